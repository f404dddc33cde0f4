package io.bubus.bridge;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.bubus.BaseEvent;
import io.bubus.DynamicEvent;
import io.bubus.EventBus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class JsonlEventBridgeTests {

	@TempDir
	Path dir;

	@Test
	void typedEventsTravelBothWaysBetweenTwoJvms() throws Exception {
		Path file = this.dir.resolve("events.jsonl");
		Path ready = this.dir.resolve("ready");
		Process worker = new ProcessBuilder(javaBinary(), "-cp", System.getProperty("java.class.path"),
				BridgeWorker.class.getName(), "jsonl", file.toString(), ready.toString())
			.redirectErrorStream(true)
			.redirectOutput(this.dir.resolve("worker.log").toFile())
			.start();
		try (JsonlEventBridge bridge = new JsonlEventBridge(file, Duration.ofMillis(10), "ParentBridge", false);
				EventBus bus = new EventBus("ParentBus")) {
			CompletableFuture<Pong> pong = new CompletableFuture<>();
			java.util.concurrent.atomic.AtomicInteger pings = new java.util.concurrent.atomic.AtomicInteger();
			bus.on(Ping.class, (event) -> pings.incrementAndGet());
			bus.on(Pong.class, (event) -> pong.complete(event));
			bus.on("*", bridge::emit);
			bridge.on("*", bus::emit);
			await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(ready));

			bus.emit(new Ping("from-parent", 42));

			Pong reply = pong.get(30, TimeUnit.SECONDS);
			assertThat(reply.label).isEqualTo("from-parent");
			assertThat(reply.count).isEqualTo(42);
			assertThat(reply.receivedType).isEqualTo("Ping");
			assertThat(reply.eventPath()).anyMatch((label) -> label.startsWith("ParentBridge#"))
				.anyMatch((label) -> label.startsWith("ParentBus#"));
			// the parent's own Ping also comes back through the file; its path names ParentBus, so it is not re-run
			bus.waitUntilIdle(Duration.ofSeconds(10));
			assertThat(pings).hasValue(1);
			assertThat(worker.waitFor(30, TimeUnit.SECONDS)).isTrue();
			assertThat(worker.exitValue()).isZero();
		}
		finally {
			worker.destroyForcibly();
		}
	}

	@Test
	void badLinesAreDroppedAndCountedAndTheNextGoodEventArrives() throws IOException {
		Path file = this.dir.resolve("bad.jsonl");
		try (JsonlEventBridge bridge = new JsonlEventBridge(file, Duration.ofMillis(10), "BadInputBridge", false)) {
			List<String> labels = new CopyOnWriteArrayList<>();
			bridge.on("Note", (event) -> labels.add((String) ((DynamicEvent) event).get("label")));
			Files.writeString(file, "this is not json\n{\"event_type\":\"Note\",\"event_bogus\":1}\n\n",
					StandardOpenOption.APPEND);
			Files.writeString(file, new DynamicEvent("Note", java.util.Map.of("label", "good")).toJson() + "\n",
					StandardOpenOption.APPEND);

			await().atMost(Duration.ofSeconds(10)).until(() -> labels.contains("good"));
			assertThat(bridge.droppedMessages()).isEqualTo(2);
			assertThat(labels).containsExactly("good");
		}
	}

	@Test
	void aListenerResumingFromItsOffsetReceivesWhatWasWrittenWhileItWasAway() {
		Path file = this.dir.resolve("resume.jsonl");
		List<String> seen = new CopyOnWriteArrayList<>();
		long offset;
		try (JsonlEventBridge sender = new JsonlEventBridge(file, Duration.ofMillis(10), "Sender", false)) {
			try (JsonlEventBridge first = new JsonlEventBridge(file, Duration.ofMillis(10), "FirstListener", false)) {
				first.on("Note", (event) -> seen.add((String) ((DynamicEvent) event).get("label")));
				sender.emit(new DynamicEvent("Note", java.util.Map.of("label", "one")));
				await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains("one"));
				offset = first.offset();
			}
			sender.emit(new DynamicEvent("Note", java.util.Map.of("label", "two")));
			sender.emit(new DynamicEvent("Note", java.util.Map.of("label", "three")));
			try (JsonlEventBridge resumed = new JsonlEventBridge(file, Duration.ofMillis(10), "Resumed", false)
				.fromOffset(offset)) {
				resumed.on("Note", (event) -> seen.add((String) ((DynamicEvent) event).get("label")));
				await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() >= 3);
			}
		}
		assertThat(seen).containsExactly("one", "two", "three");
	}

	private static String javaBinary() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	static {
		BaseEvent.register(Ping.class);
		BaseEvent.register(Pong.class);
	}

}
