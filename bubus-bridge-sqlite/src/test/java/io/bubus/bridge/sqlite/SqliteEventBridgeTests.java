package io.bubus.bridge.sqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.bubus.BaseEvent;
import io.bubus.DynamicEvent;
import io.bubus.bridge.BadInput;
import io.bubus.bridge.BatchedSends;
import io.bubus.bridge.BridgeException;
import io.bubus.bridge.BridgeRoundTrip;
import io.bubus.bridge.BridgeTesting;
import io.bubus.bridge.SendBatching;
import io.bubus.json.BubusJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.bubus.bridge.BridgeTesting.note;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class SqliteEventBridgeTests {

	private static final Duration POLL = Duration.ofMillis(10);

	@TempDir
	Path dir;

	@Test
	void typedEventsTravelBothWaysBetweenTwoJvms() throws Exception {
		Path file = this.dir.resolve("events.db");
		String table = BridgeTesting.randomName("rt");
		SqliteEventBridge bridge = new SqliteEventBridge(file, table, POLL, "ParentBridge");
		// one table carries both directions; each side reads its own rows back and the
		// bus
		// in their event_path ignores them
		BridgeRoundTrip.run(this.dir, "sqlite", table, file.toString(), bridge, (ready) -> bridge);
	}

	@Test
	void rowsHoldJsonEncodedEventFieldsAndTheWholeEventAsPayload() throws Exception {
		Path file = this.dir.resolve("schema.db");
		try (SqliteEventBridge bridge = new SqliteEventBridge(file, "bubus_events", POLL, "Schema")) {
			bridge.emit(new DynamicEvent("Note", Map.of("label", "sqlite_ok")));
		}
		try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
				Statement query = connection.createStatement()) {
			List<String> columns = new ArrayList<>();
			try (ResultSet info = query.executeQuery("PRAGMA table_info(bubus_events)")) {
				while (info.next()) {
					columns.add(info.getString("name"));
				}
			}
			assertThat(columns).contains("event_payload", "event_id", "event_type", "event_path")
				.doesNotContain("label")
				.allMatch((column) -> column.startsWith("event_"));
			try (ResultSet row = query.executeQuery("SELECT event_id, event_type, event_payload FROM bubus_events")) {
				assertThat(row.next()).isTrue();
				assertThat(row.getString("event_id")).startsWith("\"").endsWith("\"");
				assertThat(row.getString("event_type")).isEqualTo("\"Note\"");
				assertThat(BubusJson.MAPPER.readTree(row.getString("event_payload")).get("label").asString())
					.isEqualTo("sqlite_ok");
			}
		}
	}

	@Test
	void badRowsAreLoggedCountedAndDroppedAndTheNextGoodEventArrives() throws Exception {
		Path file = this.dir.resolve("bad.db");
		try (SqliteEventBridge bridge = new SqliteEventBridge(file, "bubus_events", POLL, "SqliteBad");
				Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file)) {
			bridge.start();
			BadInput.check(bridge, (payload) -> {
				try (PreparedStatement insert = connection
					.prepareStatement("INSERT INTO bubus_events (event_id, event_payload) VALUES (?, ?)")) {
					insert.setString(1, "\"" + BadInput.uuid() + "\"");
					insert.setString(2, payload);
					insert.executeUpdate();
				}
			}, (good) -> bridge.emit(BaseEvent.fromJson(good)));
		}
	}

	@Test
	void aListenerResumingFromItsCursorReceivesWhatWasWrittenWhileItWasAway() {
		Path file = this.dir.resolve("resume.db");
		List<Object> seen = new CopyOnWriteArrayList<>();
		long cursor;
		try (SqliteEventBridge sender = new SqliteEventBridge(file, "bubus_events", POLL, "Sender")) {
			try (SqliteEventBridge first = new SqliteEventBridge(file, "bubus_events", POLL, "First")) {
				first.on("Note", (event) -> seen.add(((DynamicEvent) event).get("label")));
				sender.emit(note("one"));
				await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains("one"));
				cursor = first.cursor();
			}
			sender.emit(note("two"));
			sender.emit(note("three"));
			try (SqliteEventBridge resumed = new SqliteEventBridge(file, "bubus_events", POLL, "Resumed")
				.fromCursor(cursor)) {
				resumed.on("Note", (event) -> seen.add(((DynamicEvent) event).get("label")));
				await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() >= 3);
			}
		}
		assertThat(seen).containsExactly("one", "two", "three");
	}

	@Test
	void anEventCreatedEarlierButWrittenLaterIsStillDelivered() {
		// a bus forwards an event when it processes it, which can be long after it was
		// created; a cursor on event_created_at would skip it
		Path file = this.dir.resolve("late.db");
		try (SqliteEventBridge sender = new SqliteEventBridge(file, "bubus_events", POLL, "Sender");
				SqliteEventBridge listener = new SqliteEventBridge(file, "bubus_events", POLL, "Listener")) {
			List<Object> seen = new CopyOnWriteArrayList<>();
			listener.on("Note", (event) -> seen.add(((DynamicEvent) event).get("label")));
			BaseEvent<?> early = note("created-first");
			sender.emit(note("created-second"));
			await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains("created-second"));
			sender.emit(early);
			await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains("created-first"));
			assertThat(seen).containsExactly("created-second", "created-first");
		}
	}

	@Test
	void writesWaitForAnotherProcessesLockAndEveryEventArrivesOnce() throws Exception {
		Path file = this.dir.resolve("locked.db");
		try (SqliteEventBridge listener = new SqliteEventBridge(file, "bubus_events", POLL, "Listener")) {
			List<Object> seen = new CopyOnWriteArrayList<>();
			listener.on("Note", (event) -> seen.add(((DynamicEvent) event).get("label")));
			CompletableFuture<Void> writes;
			try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + file);
					Statement lock = other.createStatement()) {
				lock.execute("BEGIN IMMEDIATE");
				writes = CompletableFuture.runAsync(() -> {
					try (SqliteEventBridge sender = new SqliteEventBridge(file, "bubus_events", POLL, "Blocked")) {
						for (int i = 0; i < 50; i++) {
							sender.emit(note("locked-" + i));
						}
					}
				});
				await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !writes.isDone());
				lock.execute("COMMIT");
			}
			writes.get(30, java.util.concurrent.TimeUnit.SECONDS);
			await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() >= 50);
			assertThat(seen).hasSize(50).doesNotHaveDuplicates();
		}
	}

	@Test
	void concurrentWritersFromSeveralBridgesLoseNothing() throws Exception {
		Path file = this.dir.resolve("stress.db");
		int writers = 4;
		int perWriter = 250;
		try (SqliteEventBridge listener = new SqliteEventBridge(file, "bubus_events", POLL, "Listener")) {
			List<Object> seen = new CopyOnWriteArrayList<>();
			listener.on("Note", (event) -> seen.add(((DynamicEvent) event).get("label")));
			List<SqliteEventBridge> senders = new ArrayList<>();
			try (ExecutorService pool = Executors.newFixedThreadPool(writers * 2)) {
				for (int w = 0; w < writers; w++) {
					SqliteEventBridge sender = new SqliteEventBridge(file, "bubus_events", POLL, "Writer" + w);
					senders.add(sender);
					for (int t = 0; t < 2; t++) {
						String prefix = "w" + w + "t" + t + "-";
						pool.submit(() -> {
							for (int i = 0; i < perWriter / 2; i++) {
								sender.emit(note(prefix + i));
							}
						});
					}
				}
			}
			senders.forEach(SqliteEventBridge::close);
			await().atMost(Duration.ofSeconds(30)).until(() -> seen.size() >= writers * perWriter);
			assertThat(seen).hasSize(writers * perWriter).doesNotHaveDuplicates();
		}
	}

	@Test
	void rejectsTableNamesThatAreNotIdentifiers() {
		assertThatThrownBy(() -> new SqliteEventBridge(this.dir.resolve("x.db"), "events; DROP TABLE x", POLL, null))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessage("Invalid table name: 'events; DROP TABLE x'. Use only [A-Za-z0-9_] and start with a letter/_");
	}

	@Test
	void batchedSendsArriveCompleteAndInOrder() throws Exception {
		Path file = this.dir.resolve("batched.db");
		try (SqliteEventBridge listener = new SqliteEventBridge(file, "bubus_events", POLL, "SqliteListener");
				SqliteEventBridge sender = new SqliteEventBridge(file, "bubus_events", POLL, "SqliteBatcher")
					.batchSends(BatchedSends.BATCHING)) {
			BatchedSends.arriveCompleteAndInOrder(sender, listener, 2000);
		}
	}

	@Test
	void closeCommitsTheQueuedEvents() {
		Path file = this.dir.resolve("closing.db");
		try (SqliteEventBridge listener = new SqliteEventBridge(file, "bubus_events", POLL, "SqliteListener")) {
			SqliteEventBridge sender = new SqliteEventBridge(file, "bubus_events", POLL, "SqliteCloser")
				.batchSends(BatchedSends.LINGERING);
			BatchedSends.closeSendsWhatIsQueued(sender, listener, 500);
		}
	}

	@Test
	void aBatchTheDatabaseRejectsIsReportedAndLaterEventsStillArrive() throws Exception {
		Path file = this.dir.resolve("rejecting.db");
		try (SqliteEventBridge listener = new SqliteEventBridge(file, "bubus_events", POLL, "SqliteListener");
				SqliteEventBridge sender = new SqliteEventBridge(file, "bubus_events", POLL, "Rejected")
					.batchSends(BatchedSends.BATCHING);
				Connection admin = DriverManager.getConnection("jdbc:sqlite:" + file);
				Statement ddl = admin.createStatement()) {
			List<Object> labels = BridgeTesting.noteLabels(listener);
			BridgeTesting.deliver(sender, labels, "before");
			ddl.execute("CREATE TRIGGER refuse_poison BEFORE INSERT ON bubus_events "
					+ "WHEN NEW.event_payload LIKE '%poison%' BEGIN SELECT RAISE(ABORT, 'poisoned event'); END");

			CompletableFuture<BaseEvent<?>> poisoned = sender.emitAsync(note("poison"));
			CompletableFuture<Void> flushed = sender.flush();

			BatchedSends.assertFailure(poisoned)
				.withMessageContaining("bridge Rejected could not write to")
				.withMessageContaining("poisoned event");
			BatchedSends.assertFailure(flushed)
				.withMessage("bridge Rejected: 1 events could not be sent since flush() was called");
			assertThat(sender.failedSends()).isEqualTo(1);
			BridgeTesting.deliver(sender, labels, "after");
			assertThat(labels).containsExactly("before", "after");
			assertThat(sender.flush()).succeedsWithin(Duration.ofSeconds(10));
		}
	}

	@Test
	void whileAnotherProcessHoldsTheLockAFullQueueFailsEmitAndCloseStopsWaitingAfterItsTimeout() throws Exception {
		Path file = this.dir.resolve("stalled.db");
		SendBatching small = SendBatching.defaults()
			.maxBatchSize(2)
			.queueCapacity(4)
			.linger(Duration.ZERO)
			.queueFullTimeout(Duration.ofMillis(200))
			.closeTimeout(Duration.ofMillis(300));
		SqliteEventBridge sender = new SqliteEventBridge(file, "bubus_events", POLL, "Stalled").batchSends(small);
		sender.emitAsync(note("table created")).get(10, TimeUnit.SECONDS);
		CompletableFuture<Void> closed;
		CompletableFuture<Void> flushed;
		int accepted;
		try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + file);
				Statement lock = other.createStatement()) {
			lock.execute("BEGIN IMMEDIATE");
			// the sender takes a batch and waits for the lock; then the queue fills up
			assertThatThrownBy(() -> {
				for (int i = 0; i < 10; i++) {
					sender.emit(note("q" + i));
				}
			}).isInstanceOf(BridgeException.class)
				.hasMessage("bridge Stalled: the send queue has been full (4 events) for PT0.2S; "
						+ "the transport is down or slower than the events arrive");
			accepted = sender.pendingSends();
			assertThat(accepted).isBetween(5, 6);
			flushed = sender.flush();
			closed = CompletableFuture.runAsync(sender::close);
			// close gives up on the queued events after its timeout, while the batch
			// being
			// sent still waits for the lock
			await().atMost(Duration.ofSeconds(10)).until(() -> sender.failedSends() == 4);
			assertThat(sender.pendingSends()).isEqualTo(accepted - 4);
			assertThat(closed).isNotDone();
			lock.execute("COMMIT");
		}
		assertThat(closed).succeedsWithin(Duration.ofSeconds(30));
		BatchedSends.assertFailure(flushed)
			.withMessage("bridge Stalled: 4 events could not be sent since flush() was called");
		assertThat(sender.pendingSends()).isZero();
		try (Connection reader = DriverManager.getConnection("jdbc:sqlite:" + file);
				Statement query = reader.createStatement();
				ResultSet count = query.executeQuery("SELECT COUNT(*) FROM bubus_events")) {
			// the first event, and the batch that was being sent when the lock was
			// released
			assertThat(count.getInt(1)).isEqualTo(1 + accepted - 4);
		}
	}

	@Test
	void onReadTellsTheCursorAfterEachRowWithItsEvent() {
		Path file = this.dir.resolve("positions.db");
		List<String> reads = new CopyOnWriteArrayList<>();
		try (SqliteEventBridge sender = new SqliteEventBridge(file, "bubus_events", POLL, "PositionSender")) {
			sender.emit(note("before"));
			try (SqliteEventBridge listener = new SqliteEventBridge(file, "bubus_events", POLL, "PositionListener")
				.onRead((position, event) -> reads
					.add(position + ":" + ((event != null) ? ((DynamicEvent) event).get("label") : "-")))) {
				listener.on("Note", (event) -> null);
				sender.emit(note("one"));
				sender.emit(note("two"));
				await().atMost(Duration.ofSeconds(10)).until(() -> reads.size() >= 3);
				assertThat(reads).containsExactly("1:-", "2:one", "3:two");
				assertThat(listener.cursor()).isEqualTo(3);
			}
		}
	}

	@Test
	void aCursorPastTheLastRowStartsOverAtTheFirstRow() {
		Path file = this.dir.resolve("replaced.db");
		List<Object> seen = new CopyOnWriteArrayList<>();
		try (SqliteEventBridge sender = new SqliteEventBridge(file, "bubus_events", POLL, "ReplacedSender")) {
			sender.emit(note("only"));
			try (SqliteEventBridge listener = new SqliteEventBridge(file, "bubus_events", POLL, "ReplacedListener")
				.fromCursor(1_000)) {
				listener.on("Note", (event) -> seen.add(((DynamicEvent) event).get("label")));
				await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains("only"));
				assertThat(listener.cursor()).isEqualTo(1);
			}
		}
		assertThat(seen).containsExactly("only");
	}

}
