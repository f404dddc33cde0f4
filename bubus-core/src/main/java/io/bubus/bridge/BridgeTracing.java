package io.bubus.bridge;

import java.util.Map;

import io.bubus.BaseEvent;

/**
 * Carries the trace context across a bridge, so that one trace spans every process an
 * event tree crosses. The sending bridge asks {@link #inject} for the fields of the
 * context current on the emitting thread (the W3C {@code traceparent} and
 * {@code tracestate}, or whatever the tracer propagates) and sends them with the event:
 * as message headers where the transport has them (RabbitMQ, NATS, JetStream, Redis
 * Streams entry fields), as reserved top-level JSON keys otherwise (Redis pub/sub). The
 * receiving bridge hands them to {@link #extract}, and emits the event on its inbound bus
 * inside the returned scope, so the event, the buses it is forwarded to and its handlers
 * continue the sender's trace (bubus captures the context current at emit and restores it
 * around each handler).
 * <p>
 * {@link #NONE} (the default) sends and restores nothing;
 * {@link ObservationBridgeTracing} does it with Micrometer Observation and whatever
 * tracer is bridged to its registry.
 *
 * @author bubus-java
 * @since 0.1.0
 */
public interface BridgeTracing {

	/** Sends and restores nothing. */
	BridgeTracing NONE = new BridgeTracing() {

		@Override
		public Map<String, String> inject(EventBridge bridge, BaseEvent<?> event) {
			return Map.of();
		}

		@Override
		public Scope extract(EventBridge bridge, Map<String, String> fields) {
			return Scope.NOOP;
		}

	};

	/**
	 * The trace fields to send with this event, read on the emitting thread.
	 * @param bridge the sending bridge
	 * @param event the event being sent
	 * @return field names and values (empty when there is no trace)
	 */
	Map<String, String> inject(EventBridge bridge, BaseEvent<?> event);

	/**
	 * Makes the received trace context current on this thread until the scope closes.
	 * @param bridge the receiving bridge
	 * @param fields the trace fields received with the message (possibly empty)
	 * @return the scope to close once the event is on the inbound bus
	 */
	Scope extract(EventBridge bridge, Map<String, String> fields);

	/** A restored context, current until closed. */
	interface Scope extends AutoCloseable {

		/** Does nothing. */
		Scope NOOP = () -> {
		};

		@Override
		void close();

	}

}
