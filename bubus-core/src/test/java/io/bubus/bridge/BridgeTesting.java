package io.bubus.bridge;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;

import io.bubus.BaseEvent;
import io.bubus.DynamicEvent;

import static org.awaitility.Awaitility.await;

/** Names, events and service checks shared by the bridge tests. */
public final class BridgeTesting {

	private BridgeTesting() {
	}

	/**
	 * A fresh identifier such as {@code bubus_t_3fa9c2d1}, so concurrent runs do not
	 * meet.
	 */
	public static String randomName(String prefix) {
		return "bubus_" + prefix + "_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
	}

	/**
	 * Fails (never skips) when the service does not answer on 127.0.0.1, naming the
	 * service and how to start it.
	 */
	public static void requireService(String service, int port, String startCommand) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
		}
		catch (IOException ex) {
			throw new AssertionError(service + " is not reachable on 127.0.0.1:" + port + " (" + ex.getMessage()
					+ "). These tests need the real server (see shared/SERVICES.md); start it as root with: "
					+ startCommand, ex);
		}
	}

	/** The labels {@code e0 … e<count-1>}. */
	public static List<String> labels(int count) {
		return IntStream.range(0, count).mapToObj((i) -> "e" + i).toList();
	}

	/** A {@code Note} event with this label. */
	public static DynamicEvent note(String label) {
		return new DynamicEvent("Note", Map.of("label", label));
	}

	/**
	 * The labels of the {@code Note} events the listener receives from now on, in arrival
	 * order.
	 */
	public static List<Object> noteLabels(EventBridge listener) {
		List<Object> labels = new CopyOnWriteArrayList<>();
		listener.on("Note", (event) -> labels.add(((DynamicEvent) event).get("label")));
		return labels;
	}

	/** Sends a note over the sender and waits until it is among the received labels. */
	public static void deliver(EventBridge sender, List<Object> labels, String label) {
		sender.emit(note(label));
		await().atMost(Duration.ofSeconds(10)).until(() -> labels.contains(label));
	}

	/**
	 * A tracing that sends this {@code traceparent} with every event and adds the fields
	 * each received event brings to {@code extracted}.
	 */
	public static BridgeTracing fixedTraceparent(String traceparent, List<Map<String, String>> extracted) {
		return new BridgeTracing() {

			@Override
			public Map<String, String> inject(EventBridge bridge, BaseEvent<?> event) {
				return Map.of("traceparent", traceparent);
			}

			@Override
			public Scope extract(EventBridge bridge, Map<String, String> fields) {
				extracted.add(fields);
				return Scope.NOOP;
			}

		};
	}

}
