package io.bubus.bridge;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import io.bubus.DynamicEvent;
import io.bubus.json.BubusJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class JsonlEventBridgeTests {

	private static final Comparator<JsonNode> NUMBERS_BY_VALUE = (a, b) -> (a.isNumber() && b.isNumber())
			? a.decimalValue().compareTo(b.decimalValue()) : (a.equals(b) ? 0 : 1);

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
	void everyCrossRuntimeVectorArrivesWithAllItsFieldsExceptTheVolatileOnes() throws Exception {
		// the bubus-ts vectors as another runtime would append them
		Path vectors = Path.of(getClass().getClassLoader().getResource("vectors/events").toURI());
		List<Path> files;
		try (var list = Files.list(vectors)) {
			files = list.filter((file) -> file.toString().endsWith(".json")).sorted().toList();
		}
		assertThat(files).hasSize(15);
		Path file = this.dir.resolve("vectors.jsonl");
		try (JsonlEventBridge bridge = new JsonlEventBridge(file, Duration.ofMillis(10), "VectorBridge", false)) {
			List<String> received = new CopyOnWriteArrayList<>();
			bridge.on("*", (event) -> received.add(event.toJson()));
			// one at a time, each awaited, so a slow vector cannot hide a lost one
			for (Path vector : files) {
				int before = received.size();
				Files.writeString(file, BubusJson.MAPPER.readTree(Files.readString(vector)).toString() + "\n",
						StandardOpenOption.APPEND);
				await().atMost(Duration.ofSeconds(10)).until(() -> received.size() > before);
			}
			assertThat(bridge.droppedMessages()).isZero();
			Set<String> volatileFields = Set.of("event_id", "event_created_at", "event_status", "event_started_at",
					"event_completed_at", "event_results", "event_pending_bus_count", "event_path");
			// matched by type: a parallel event (vector 10) may be
			// handled after the events behind it; vectors sharing a
			// type are bus-serial and arrive in order
			Map<String, ArrayDeque<JsonNode>> byType = new HashMap<>();
			for (String json : received) {
				JsonNode node = BubusJson.MAPPER.readTree(json);
				byType.computeIfAbsent(node.get("event_type").asString(), (type) -> new ArrayDeque<>()).add(node);
			}
			for (int i = 0; i < files.size(); i++) {
				JsonNode vector = BubusJson.MAPPER.readTree(Files.readString(files.get(i)));
				JsonNode got = byType.get(vector.get("event_type").asString()).poll();
				String name = files.get(i).getFileName().toString();
				assertThat(got.get("event_id").asString()).as(name).isNotEqualTo(vector.get("event_id").asString());
				List<String> path = new ArrayList<>();
				got.get("event_path").forEach((label) -> path.add(label.asString()));
				List<String> sent = new ArrayList<>();
				vector.get("event_path").forEach((label) -> sent.add(label.asString()));
				// the path crosses unchanged; the receiving inbound bus adds itself
				assertThat(path).as("%s event_path", name).hasSize(sent.size() + 1);
				assertThat(path.subList(0, sent.size())).as("%s event_path", name).isEqualTo(sent);
				for (Map.Entry<String, JsonNode> field : vector.properties()) {
					if (!volatileFields.contains(field.getKey())) {
						JsonNode value = got.get(field.getKey());
						assertThat(value != null && value.equals(NUMBERS_BY_VALUE, field.getValue()))
							.as("%s field %s: sent %s, received %s", name, field.getKey(), field.getValue(), value)
							.isTrue();
					}
				}
			}
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

	@Test
	void batchedSendsArriveCompleteAndInOrder() throws Exception {
		Path file = this.dir.resolve("batched.jsonl");
		try (JsonlEventBridge listener = new JsonlEventBridge(file, Duration.ofMillis(10), "JsonlListener", false);
				JsonlEventBridge sender = new JsonlEventBridge(file, Duration.ofMillis(10), "JsonlBatcher", false)
					.batchSends(BatchedSends.BATCHING)) {
			BatchedSends.arriveCompleteAndInOrder(sender, listener, 2000);
		}
	}

	@Test
	void closeAppendsTheQueuedEvents() {
		Path file = this.dir.resolve("closing.jsonl");
		try (JsonlEventBridge listener = new JsonlEventBridge(file, Duration.ofMillis(10), "JsonlListener", false)) {
			JsonlEventBridge sender = new JsonlEventBridge(file, Duration.ofMillis(10), "JsonlCloser", false)
				.batchSends(BatchedSends.LINGERING);
			BatchedSends.closeSendsWhatIsQueued(sender, listener, 500);
		}
	}

	@Test
	void emitAsyncCompletesOnceTheBatchIsInTheFile() throws Exception {
		Path file = this.dir.resolve("async.jsonl");
		try (JsonlEventBridge sender = new JsonlEventBridge(file, Duration.ofMillis(10), "JsonlAsync", false)
			.batchSends(BatchedSends.LINGERING.linger(Duration.ofMillis(50)))) {
			DynamicEvent event = new DynamicEvent("Note", Map.of("label", "queued"));
			var sent = sender.emitAsync(event);
			assertThat(sent.get(10, java.util.concurrent.TimeUnit.SECONDS)).isSameAs(event);
			assertThat(Files.readString(file)).contains("\"label\":\"queued\"");
		}
	}

	@Test
	void onReadTellsTheOffsetAfterEachLineWithItsEventAndStartsOverOnTruncation() throws Exception {
		Path file = this.dir.resolve("positions.jsonl");
		String first = BadInput.note("first") + "\n";
		String bad = "not json\n";
		String second = BadInput.note("second") + "\n";
		Files.writeString(file, first + bad + second);
		List<String> reads = new CopyOnWriteArrayList<>();
		List<Object> reported = new CopyOnWriteArrayList<>();
		List<Object> handled = new CopyOnWriteArrayList<>();
		try (JsonlEventBridge listener = new JsonlEventBridge(file, Duration.ofMillis(10), "PositionListener", false)
			.fromOffset(0)
			.onRead((position, event) -> {
				reads.add(position + ":" + ((event != null) ? ((DynamicEvent) event).get("label") : "-"));
				if (event != null) {
					reported.add(event);
				}
			})) {
			listener.on("Note", handled::add);
			long afterFirst = first.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
			long afterBad = afterFirst + bad.length();
			long afterSecond = afterBad + second.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
			await().atMost(Duration.ofSeconds(10)).until(() -> reads.size() >= 4);
			assertThat(reads).containsExactly("0:-", afterFirst + ":first", afterBad + ":-", afterSecond + ":second");
			assertThat(listener.offset()).isEqualTo(afterSecond);
			// the reported events are the ones the handlers get
			await().atMost(Duration.ofSeconds(10)).until(() -> handled.size() >= 2);
			assertThat(handled).containsExactlyElementsOf(reported);

			Files.write(file, new byte[0], StandardOpenOption.TRUNCATE_EXISTING);
			await().atMost(Duration.ofSeconds(10)).until(() -> reads.size() >= 5);
			assertThat(reads.get(4)).isEqualTo("0:-");
		}
	}

	@Test
	void anOffsetPastTheEndOfTheFileReadsItFromTheStart() throws Exception {
		Path file = this.dir.resolve("replaced.jsonl");
		Files.writeString(file, BadInput.note("kept") + "\n");
		List<String> labels = new CopyOnWriteArrayList<>();
		try (JsonlEventBridge listener = new JsonlEventBridge(file, Duration.ofMillis(10), "LateListener", false)
			.fromOffset(1_000_000)) {
			listener.on("Note", (event) -> labels.add((String) ((DynamicEvent) event).get("label")));
			await().atMost(Duration.ofSeconds(10)).until(() -> labels.contains("kept"));
			assertThat(listener.offset()).isEqualTo(Files.size(file));
		}
	}

	@Test
	void onReadAfterStartIsRejected() {
		try (JsonlEventBridge bridge = new JsonlEventBridge(this.dir.resolve("late.jsonl"))) {
			bridge.start();
			assertThatThrownBy(() -> bridge.onRead(ReadPositionListener.NONE)).isInstanceOf(IllegalStateException.class)
				.hasMessage("onRead must be called before the bridge starts");
		}
	}

}
