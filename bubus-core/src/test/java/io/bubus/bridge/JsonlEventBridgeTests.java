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

}
