package io.bubus.bridge.sqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.bubus.BaseEvent;
import io.bubus.DynamicEvent;
import io.bubus.EventBus;
import io.bubus.bridge.BridgeTesting;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The writer's row order as Python and TypeScript bubus read it: from a cursor, in
 * {@code (event_created_at, event_id)} order, skipping whatever is committed behind the
 * cursor.
 */
class SqliteParentFirstOrderTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	@TempDir
	Path dir;

	@Test
	void aReaderPagingByCreationTimeSeesEveryParentChildAndGrandchild() throws Exception {
		Path file = this.dir.resolve("order.db");
		String table = BridgeTesting.randomName("order");
		EventBus bus = EventBus.builder("OrderSender").maxHistorySize(1000).build();
		try (SqliteEventBridge bridge = new SqliteEventBridge(file, table, Duration.ofMillis(10), "OrderBridge");
				CreationOrderReader reader = new CreationOrderReader(file, table)) {
			// the forwarder runs after each event's own handler: children reach it first
			bus.on("*", bridge::emit);
			bus.on("Parent", (parent) -> {
				bus.emit(new DynamicEvent("Child", Map.of("n", 1))).done(WAIT);
				bus.emit(new DynamicEvent("Child", Map.of("n", 2))).done(WAIT);
				return null;
			});
			bus.on("Child", (child) -> bus.emit(new DynamicEvent("Grandchild", Map.of())).done(WAIT));
			List<String> sent = new ArrayList<>();
			for (int i = 0; i < 30; i++) {
				BaseEvent<?> parent = bus.emit(new DynamicEvent("Parent", Map.of("i", i))).done(WAIT);
				sent.add(parent.eventId());
				for (BaseEvent<?> child : parent.eventChildren()) {
					sent.add(child.eventId());
					child.eventChildren().forEach((grandchild) -> sent.add(grandchild.eventId()));
				}
			}
			assertThat(sent).hasSize(30 * 5);
			await().atMost(WAIT).until(() -> bridge.heldEvents() == 0 && reader.caughtUp());
			assertThat(reader.seen()).as("rows the reader saw, of %s", dump(file, table)).containsAll(sent);
			assertThat(typesInCommitOrder(file, table).subList(0, 5)).containsExactly("Parent", "Child", "Grandchild",
					"Child", "Grandchild");
		}
		finally {
			bus.stop(WAIT, true);
		}
	}

	@Test
	void aChildWhoseParentIsNotForwardedIsWrittenWhenTheParentCompletes() throws Exception {
		Path file = this.dir.resolve("children.db");
		String table = BridgeTesting.randomName("children");
		EventBus bus = EventBus.builder("ChildrenOnly").build();
		try (SqliteEventBridge bridge = new SqliteEventBridge(file, table, Duration.ofMillis(10), "ChildrenBridge")) {
			bus.on("Child", bridge::emit);
			CountDownLatch childDone = new CountDownLatch(1);
			CountDownLatch finishParent = new CountDownLatch(1);
			bus.on("Parent", (parent) -> {
				bus.emit(new DynamicEvent("Child", Map.of())).done(WAIT);
				childDone.countDown();
				return finishParent.await(WAIT.toSeconds(), TimeUnit.SECONDS);
			});
			BaseEvent<?> parent = bus.emit(new DynamicEvent("Parent", Map.of()));
			assertThat(childDone.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
			assertThat(bridge.heldEvents()).as("held while the parent runs").isEqualTo(1);
			assertThat(typesInCommitOrder(file, table)).isEmpty();
			finishParent.countDown();
			parent.done(WAIT);
			await().atMost(WAIT).until(() -> typesInCommitOrder(file, table).equals(List.of("Child")));
			assertThat(bridge.heldEvents()).isZero();
		}
		finally {
			bus.stop(WAIT, true);
		}
	}

	@Test
	void closeWritesTheEventsStillHeld() throws Exception {
		Path file = this.dir.resolve("close.db");
		String table = BridgeTesting.randomName("close");
		EventBus bus = EventBus.builder("ClosingSender").build();
		CountDownLatch finishParent = new CountDownLatch(1);
		try {
			SqliteEventBridge bridge = new SqliteEventBridge(file, table, Duration.ofMillis(10), "ClosingBridge");
			bus.on("*", bridge::emit);
			CountDownLatch childDone = new CountDownLatch(1);
			bus.on("Parent", (parent) -> {
				bus.emit(new DynamicEvent("Child", Map.of())).done(WAIT);
				childDone.countDown();
				return finishParent.await(WAIT.toSeconds(), TimeUnit.SECONDS);
			});
			bus.emit(new DynamicEvent("Parent", Map.of()));
			assertThat(childDone.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
			assertThat(bridge.heldEvents()).isEqualTo(1);
			bridge.close();
			assertThat(typesInCommitOrder(file, table)).containsExactly("Child");
			assertThat(bridge.heldEvents()).isZero();
		}
		finally {
			finishParent.countDown();
			bus.stop(WAIT, true);
		}
	}

	private static String dump(Path file, String table) throws SQLException {
		StringBuilder out = new StringBuilder();
		try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
				Statement query = connection.createStatement();
				ResultSet rows = query.executeQuery("SELECT _rowid_, event_type, event_created_at, event_id FROM \""
						+ table + "\" ORDER BY _rowid_ LIMIT 20")) {
			while (rows.next()) {
				out.append('\n')
					.append(rows.getLong(1))
					.append(' ')
					.append(rows.getString(2))
					.append(' ')
					.append(rows.getString(3))
					.append(' ')
					.append(rows.getString(4));
			}
		}
		return out.toString();
	}

	private static List<String> typesInCommitOrder(Path file, String table) throws SQLException {
		List<String> types = new ArrayList<>();
		try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
				Statement query = connection.createStatement()) {
			try (ResultSet tables = query
				.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table' AND name = '" + table + "'")) {
				if (!tables.next()) {
					return types;
				}
			}
			try (ResultSet rows = query.executeQuery("SELECT event_type FROM \"" + table + "\" ORDER BY _rowid_")) {
				while (rows.next()) {
					types.add(rows.getString(1).replace("\"", ""));
				}
			}
		}
		return types;
	}

	/**
	 * Reads the table as bubus-ts and Python bubus do: from the last row at start, then
	 * every row after the cursor {@code (event_created_at, event_id)}, polling every
	 * millisecond.
	 */
	private static final class CreationOrderReader implements AutoCloseable {

		private final Set<String> seen = ConcurrentHashMap.newKeySet();

		private final Path file;

		private final String table;

		private final Thread thread;

		private volatile boolean running = true;

		private volatile String createdAt = "";

		private volatile String id = "";

		CreationOrderReader(Path file, String table) {
			this.file = file;
			this.table = table;
			this.thread = Thread.ofPlatform().daemon().start(this::run);
		}

		Set<String> seen() {
			return this.seen;
		}

		/** Whether the cursor is at the table's last row by creation order. */
		boolean caughtUp() throws SQLException {
			try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + this.file);
					Statement query = connection.createStatement();
					ResultSet last = query
						.executeQuery("SELECT COALESCE(event_created_at, ''), COALESCE(event_id, '') FROM \""
								+ this.table + "\" ORDER BY 1 DESC, 2 DESC LIMIT 1")) {
				return last.next() && last.getString(1).equals(this.createdAt) && last.getString(2).equals(this.id);
			}
		}

		private void run() {
			String sql = "SELECT COALESCE(event_created_at, '') AS created_at, COALESCE(event_id, '') AS id FROM \""
					+ this.table + "\" WHERE COALESCE(event_created_at, '') > ? OR (COALESCE(event_created_at, '') = ? "
					+ "AND COALESCE(event_id, '') > ?) ORDER BY 1 ASC, 2 ASC";
			while (this.running) {
				try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + this.file);
						PreparedStatement select = connection.prepareStatement(sql)) {
					while (this.running) {
						select.setString(1, this.createdAt);
						select.setString(2, this.createdAt);
						select.setString(3, this.id);
						try (ResultSet rows = select.executeQuery()) {
							while (rows.next()) {
								this.createdAt = rows.getString("created_at");
								this.id = rows.getString("id");
								this.seen.add(this.id.replace("\"", ""));
							}
						}
						LockSupport.parkNanos(Duration.ofMillis(1).toNanos());
					}
				}
				catch (SQLException ex) {
					// the table does not exist yet
					LockSupport.parkNanos(Duration.ofMillis(1).toNanos());
				}
			}
		}

		@Override
		public void close() throws InterruptedException {
			this.running = false;
			this.thread.join(WAIT.toMillis());
		}

	}

}
