package io.bubus.bridge;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.bubus.DynamicEvent;
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
		JsonlEventBridge bridge = new JsonlEventBridge(file, Duration.ofMillis(10), "ParentBridge", false);
		// one file carries both directions: the parent's bridge also reads its own Ping
		// back,
		// whose event_path names the parent bus, so the parent does not run it twice
		BridgeRoundTrip.run(this.dir, "jsonl", file.toString(), file.toString(), bridge, (ready) -> bridge);
	}

	@Test
	void badLinesAreLoggedCountedAndDroppedAndTheNextGoodEventArrives() throws Exception {
		Path file = this.dir.resolve("bad.jsonl");
		try (JsonlEventBridge bridge = new JsonlEventBridge(file, Duration.ofMillis(10), "JsonlBad", false)) {
			BadInput.Wire append = (line) -> Files.writeString(file, line + "\n\n", StandardOpenOption.APPEND);
			BadInput.check(bridge, append, append);
		}
	}

	@Test
	void aLineLongerThanTheReadChunkIsSkippedWithoutStallingTheReader() throws Exception {
		Path file = this.dir.resolve("long.jsonl");
		try (JsonlEventBridge bridge = new JsonlEventBridge(file, Duration.ofMillis(10), "JsonlLong", false)) {
			List<String> labels = new CopyOnWriteArrayList<>();
			bridge.on("Note", (event) -> labels.add((String) ((DynamicEvent) event).get("label")));
			// 20 MB without a newline, written in pieces while the bridge is reading
			byte[] piece = "x".repeat(1 << 20).getBytes(java.nio.charset.StandardCharsets.UTF_8);
			for (int i = 0; i < 20; i++) {
				Files.write(file, piece, StandardOpenOption.APPEND);
			}
			Files.writeString(file, "\n" + BadInput.note("after-long") + "\n", StandardOpenOption.APPEND);

			await().atMost(Duration.ofSeconds(20)).until(() -> labels.contains("after-long"));
			assertThat(bridge.droppedMessages()).isEqualTo(1);
			assertThat(labels).containsExactly("after-long");
		}
	}

	@Test
	void aTruncatedFileIsReadAgainFromTheStart() throws Exception {
		Path file = this.dir.resolve("rotated.jsonl");
		try (JsonlEventBridge sender = new JsonlEventBridge(file, Duration.ofMillis(10), "Sender", false);
				JsonlEventBridge listener = new JsonlEventBridge(file, Duration.ofMillis(10), "Listener", false)) {
			List<String> labels = new CopyOnWriteArrayList<>();
			listener.on("Note", (event) -> labels.add((String) ((DynamicEvent) event).get("label")));
			for (int i = 0; i < 5; i++) {
				sender.emit(new DynamicEvent("Note", java.util.Map.of("label", "before-" + i)));
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> labels.size() >= 5);
			// rotation: the file is emptied under the listener, then written again
			Files.write(file, new byte[0], StandardOpenOption.TRUNCATE_EXISTING);
			await().atMost(Duration.ofSeconds(10)).until(() -> listener.offset() == 0);
			sender.emit(new DynamicEvent("Note", java.util.Map.of("label", "after-rotation")));

			await().atMost(Duration.ofSeconds(10)).until(() -> labels.contains("after-rotation"));
			assertThat(labels).hasSize(6).doesNotHaveDuplicates();
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

}
