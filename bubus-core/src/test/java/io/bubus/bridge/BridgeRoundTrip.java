package io.bubus.bridge;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.bubus.BaseEvent;
import io.bubus.EventBus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The cross-JVM check every bridge runs: a {@link BridgeWorker} JVM listens, the test
 * JVM's bus forwards a typed {@link Ping} through a bridge, the worker answers with a
 * {@link Pong} through the transport, and the test JVM receives it on its bus.
 */
public final class BridgeRoundTrip {

	static {
		BaseEvent.register(Ping.class);
		BaseEvent.register(Pong.class);
	}

	private BridgeRoundTrip() {
	}

	/**
	 * @param listener the test JVM's listening bridge (receives the Pong)
	 * @param senderFor builds the bridge that sends to the worker, from the worker's
	 * ready file content
	 */
	public static void run(Path dir, String kind, String workerReplyTo, String workerListenOn, EventBridge listener,
			Function<String, EventBridge> senderFor) throws Exception {
		Path ready = dir.resolve("ready-" + kind);
		Process worker = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
				System.getProperty("java.class.path"), BridgeWorker.class.getName(), kind, workerReplyTo,
				workerListenOn, ready.toString())
			.redirectErrorStream(true)
			.redirectOutput(dir.resolve("worker-" + kind + ".log").toFile())
			.start();
		try (EventBus bus = EventBus.builder("Parent_" + kind).build(); listener) {
			CompletableFuture<Pong> pong = new CompletableFuture<>();
			AtomicInteger pings = new AtomicInteger();
			bus.on(Ping.class, (event) -> pings.incrementAndGet());
			bus.on(Pong.class, (event) -> pong.complete(event));
			listener.on("*", bus::emit);
			await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(ready) && Files.size(ready) > 0);
			try (EventBridge sender = senderFor.apply(Files.readString(ready))) {
				bus.on("*", sender::emit);
				bus.emit(new Ping("from-parent", 42));
				Pong reply = pong.get(30, TimeUnit.SECONDS);
				assertThat(reply.label).isEqualTo("from-parent");
				assertThat(reply.count).isEqualTo(42);
				assertThat(reply.receivedType).isEqualTo("Ping");
				assertThat(worker.waitFor(30, TimeUnit.SECONDS)).isTrue();
				assertThat(worker.exitValue()).isZero();
				bus.waitUntilIdle(Duration.ofSeconds(10));
				assertThat(pings).hasValue(1);
			}
		}
		finally {
			worker.destroyForcibly();
		}
	}

}
