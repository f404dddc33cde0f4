package io.bubus.bridge;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

import io.bubus.BaseEvent;
import org.jspecify.annotations.Nullable;

/**
 * A bridge whose transport is a direct call into another bridge in the same JVM, to test
 * what the base class does on both ends (headers or reserved JSON keys, acknowledged or
 * at-most-once receive) apart from any real transport. Real transports are tested against
 * their servers.
 */
final class PipeBridge extends EventBridge {

	private final boolean headers;

	private final boolean acknowledged;

	private volatile @Nullable PipeBridge peer;

	/** Settlements of acknowledged deliveries, in order: "ack" or "redeliver". */
	final Queue<String> settlements = new ConcurrentLinkedQueue<>();

	volatile Consumer<String> wire = (json) -> {
	};

	PipeBridge(String name, boolean headers, boolean acknowledged) {
		super(name, DEFAULT_MAX_MESSAGE_BYTES);
		this.headers = headers;
		this.acknowledged = acknowledged;
	}

	PipeBridge to(PipeBridge receiver) {
		this.peer = receiver;
		return this;
	}

	@Override
	public BaseEvent<?> emit(BaseEvent<?> event) {
		Map<String, String> fields = this.acknowledged ? outboundFields(event) : sequencedFields(event);
		String json = this.headers ? toWire(event) : toWire(event, fields);
		this.wire.accept(json);
		PipeBridge receiver = this.peer;
		if (receiver != null) {
			receiver.deliver(json, this.headers ? fields : Map.of());
		}
		return event;
	}

	/** Delivers a message as the transport would. */
	void deliver(String json, Map<String, String> fields) {
		if (!this.acknowledged) {
			receive(json, fields);
			return;
		}
		receive(json, fields, new Acknowledgement() {
			@Override
			public void ack() {
				PipeBridge.this.settlements.add("ack");
			}

			@Override
			public void redeliver() {
				PipeBridge.this.settlements.add("redeliver");
			}
		});
	}

	@Override
	protected void startListening() {
	}

	@Override
	protected void stopListening() {
	}

}
