package io.bubus.bridge.sqlite;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.bubus.bridge.BatchedSends;
import io.bubus.bridge.EventBridge;
import io.bubus.bridge.KilledReceiver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQLite delivery contract across a crash: a receiving JVM killed mid-stream loses
 * nothing, and its restart with the same position file handles again only what the killed
 * one handled after its last saved cursor.
 */
class SqliteDeliveryTests {

	private static final String TABLE = "bubus_events";

	private static final Duration POLL = Duration.ofMillis(10);

	@TempDir
	Path dir;

	@Test
	void aReceiverKilledMidStreamLosesNothingAndRepeatsOnlyWhatItHandledAfterItsLastSavedCursor() throws Exception {
		Path file = this.dir.resolve("events.db");
		try (SqliteEventBridge sender = new SqliteEventBridge(file, TABLE, POLL, "SqliteKillSender")
			.batchSends(BatchedSends.BATCHING)) {
			KilledReceiver.of(this.dir, ChildReceiver.class, file.toString())
				.resumesAfterStoredPosition((cursor) -> KilledReceiver.labelsInRows("jdbc:sqlite:" + file,
						"SELECT event_payload FROM " + TABLE + " WHERE _rowid_ <= ?", cursor))
				.run("SQLite", sender);
		}
	}

	/** The child JVM's listener, on the test's file, with a position file. */
	public static final class ChildReceiver implements KilledReceiver.Receiver {

		@Override
		public EventBridge create(List<String> args) {
			return new SqliteEventBridge(Path.of(args.get(0)), TABLE, POLL, "SqliteKillReceiver");
		}

	}

}
