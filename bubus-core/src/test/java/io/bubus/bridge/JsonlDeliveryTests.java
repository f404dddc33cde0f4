package io.bubus.bridge;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JSON Lines delivery contract across a crash: a receiving JVM killed mid-stream
 * loses nothing, and its restart with the same position file handles again only what the
 * killed one handled after its last saved position.
 */
class JsonlDeliveryTests {

	@TempDir
	Path dir;

	@Test
	void aReceiverKilledMidStreamLosesNothingAndRepeatsOnlyWhatItHandledAfterItsLastSavedPosition() throws Exception {
		Path events = this.dir.resolve("events.jsonl");
		try (JsonlEventBridge sender = new JsonlEventBridge(events, Duration.ofMillis(10), "JsonlKillSender", false)
			.batchSends(BatchedSends.BATCHING)) {
			KilledReceiver.of(this.dir, ChildReceiver.class, events.toString())
				.resumesAfterStoredPosition((offset) -> KilledReceiver
					.labelsIn(new String(Files.readAllBytes(events), 0, (int) offset, StandardCharsets.UTF_8)))
				.run("JSON Lines", sender);
		}
	}

	/** The child JVM's listener, on the test's file, with a position file. */
	public static final class ChildReceiver implements KilledReceiver.Receiver {

		@Override
		public EventBridge create(List<String> args) {
			return new JsonlEventBridge(Path.of(args.get(0)), Duration.ofMillis(10), "JsonlKillReceiver", false);
		}

	}

}
