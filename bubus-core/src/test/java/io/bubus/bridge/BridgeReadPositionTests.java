package io.bubus.bridge;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.bubus.DynamicEvent;
import io.bubus.EventBus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.bubus.bridge.BridgeTesting.note;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/** A plain-Java application keeps a JSONL bridge's read position across restarts. */
class BridgeReadPositionTests {

	@TempDir
	Path dir;

	@Test
	void aRestartedApplicationReceivesWhatWasWrittenWhileItWasDownOnce() throws Exception {
		Path events = this.dir.resolve("events.jsonl");
		Path positionFile = this.dir.resolve("state/events.pos");
		try (JsonlEventBridge writer = new JsonlEventBridge(events, Duration.ofMillis(10), "PosWriter", false)) {
			Receiver first = new Receiver(events, positionFile);
			for (String label : List.of("a", "b", "c")) {
				writer.emit(note(label));
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> first.labels.size() == 3);
			first.close();
			assertThat(BridgeReadPosition.stored(positionFile)).isEqualTo(Files.size(events));

			writer.emit(note("d"));
			writer.emit(note("e"));
			Receiver second = new Receiver(events, positionFile);
			await().atMost(Duration.ofSeconds(10)).until(() -> second.labels.size() == 2);
			second.close();
			assertThat(first.labels).containsExactly("a", "b", "c");
			assertThat(second.labels).containsExactly("d", "e");
			assertThat(BridgeReadPosition.stored(positionFile)).isEqualTo(Files.size(events));
		}
	}

	@Test
	void withoutAPositionFileTheBridgeStartsAtTheEnd() {
		assertThat(BridgeReadPosition.stored(this.dir.resolve("missing.pos"))).isNull();
	}

	@Test
	void aFileThatHoldsNoPositionIsRejectedNamingIt() throws Exception {
		Path positionFile = this.dir.resolve("broken.pos");
		Files.writeString(positionFile, "-3\n");
		try (JsonlEventBridge bridge = new JsonlEventBridge(this.dir.resolve("e.jsonl"), Duration.ofMillis(10),
				"PosBroken", false); EventBus bus = new EventBus("PosBrokenBus")) {
			assertThatIllegalStateException().isThrownBy(() -> BridgeReadPosition.resume(bridge, positionFile, bus))
				.withMessage(positionFile + " does not hold a read position (a whole number >= 0) but '-3'; "
						+ "correct it, or delete it");
		}
	}

	/** One run of the receiving application: bridge, bus, stored position. */
	private static final class Receiver {

		final List<Object> labels = new CopyOnWriteArrayList<>();

		private final JsonlEventBridge bridge;

		private final EventBus bus = new EventBus("PosReceiver");

		private final BridgeReadPosition position;

		Receiver(Path events, Path positionFile) {
			this.bridge = new JsonlEventBridge(events, Duration.ofMillis(10), "PosListener", false);
			this.position = BridgeReadPosition.resume(this.bridge, positionFile, this.bus, Duration.ofMillis(50));
			this.bus.on("Note", (event) -> this.labels.add(((DynamicEvent) event).get("label")));
			this.bridge.on("*", this.bus::emit);
		}

		void close() {
			this.bridge.close();
			this.bus.stop(Duration.ofSeconds(5), false);
			this.position.close();
		}

	}

}
