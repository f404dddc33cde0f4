package io.bubus.bridge.postgres;

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
import java.util.concurrent.CompletableFuture;

import io.bubus.BaseEvent;
import io.bubus.bridge.BadInput;
import io.bubus.bridge.BatchedSends;
import io.bubus.bridge.BridgeRoundTrip;
import io.bubus.bridge.BridgeTesting;
import io.bubus.bridge.TcpProxy;
import io.bubus.json.BubusJson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.bubus.bridge.BridgeTesting.deliver;
import static io.bubus.bridge.BridgeTesting.labels;
import static io.bubus.bridge.BridgeTesting.note;
import static io.bubus.bridge.BridgeTesting.noteLabels;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

@Tag("services")
class PostgresEventBridgeTests {

	private static final String SERVER = "postgresql://postgres@127.0.0.1:5432/test";

	private static final String ADMIN_JDBC = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

	@TempDir
	Path dir;

	private final String table = BridgeTesting.randomName("pg");

	private final String channel = BridgeTesting.randomName("ch");

	@BeforeAll
	static void postgresIsRunning() {
		BridgeTesting.requireService("PostgreSQL", 5432,
				"pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start");
	}

	@AfterEach
	void dropTable() throws SQLException {
		sql("DROP TABLE IF EXISTS \"" + this.table + "\"");
	}

	@Test
	void typedEventsTravelBothWaysBetweenTwoJvms() throws Exception {
		String url = SERVER + "/" + this.table;
		PostgresEventBridge bridge = new PostgresEventBridge(url, this.channel, "ParentBridge");
		BridgeRoundTrip.run(this.dir, "postgres", this.channel, url, bridge, (ready) -> bridge);
	}

	@Test
	void rowsHoldJsonEncodedEventFieldsAndNotificationsCarryTheQuotedId() throws Exception {
		try (Connection admin = DriverManager.getConnection(ADMIN_JDBC);
				PostgresEventBridge bridge = new PostgresEventBridge(SERVER + "/" + this.table, this.channel,
						"Schema")) {
			try (Statement listen = admin.createStatement()) {
				listen.execute("LISTEN \"" + this.channel + "\"");
			}
			bridge.emit(note("postgres_ok"));
			List<String> columns = new ArrayList<>();
			try (PreparedStatement query = admin
				.prepareStatement("SELECT column_name FROM information_schema.columns WHERE table_name = ?")) {
				query.setString(1, this.table);
				try (ResultSet names = query.executeQuery()) {
					while (names.next()) {
						columns.add(names.getString(1));
					}
				}
			}
			// peers read only the event_* columns; bubus_* order the rows for the Java
			// listener
			assertThat(columns).contains("event_payload", "event_id", "event_path", "bubus_txid", "bubus_seq")
				.doesNotContain("label")
				.allMatch((column) -> column.startsWith("event_") || column.startsWith("bubus_"));
			try (Statement query = admin.createStatement();
					ResultSet row = query.executeQuery("SELECT event_id, event_payload FROM \"" + this.table + "\"")) {
				assertThat(row.next()).isTrue();
				String id = row.getString("event_id");
				assertThat(id).startsWith("\"").endsWith("\"");
				assertThat(BubusJson.MAPPER.readTree(row.getString("event_payload")).get("label").asString())
					.isEqualTo("postgres_ok");
				var notifications = admin.unwrap(org.postgresql.PGConnection.class).getNotifications(5000);
				assertThat(notifications).hasSize(1);
				assertThat(notifications[0].getParameter()).isEqualTo(id);
			}
		}
	}

	@Test
	void badRowsAreLoggedCountedAndDroppedAndTheNextGoodEventArrives() throws Exception {
		try (PostgresEventBridge bridge = new PostgresEventBridge(SERVER + "/" + this.table, this.channel, "PgBad");
				Connection admin = DriverManager.getConnection(ADMIN_JDBC)) {
			bridge.start();
			sql("SELECT pg_notify('" + this.channel + "', '\"no-such-row\"')");
			BadInput.check(bridge, (payload) -> {
				String id = "\"" + BadInput.uuid() + "\"";
				try (PreparedStatement insert = admin
					.prepareStatement("INSERT INTO \"" + this.table + "\" (event_id, event_payload) VALUES (?, ?)");
						PreparedStatement notify = admin.prepareStatement("SELECT pg_notify(?, ?)")) {
					insert.setString(1, id);
					insert.setString(2, payload);
					insert.executeUpdate();
					notify.setString(1, this.channel);
					notify.setString(2, id);
					notify.execute();
				}
			}, (good) -> bridge.emit(BaseEvent.fromJson(good)));
		}
	}

	@Test
	void terminatedBackendsReconnectAndEveryEventArrivesOnce() throws Exception {
		String url = SERVER + "/" + this.table;
		try (PostgresEventBridge listener = new PostgresEventBridge(url, this.channel, "PgTerminatedListener");
				PostgresEventBridge sender = new PostgresEventBridge(url, this.channel, "PgTerminatedSender")) {
			// written before the listener starts: never delivered, not even by a catch-up
			sender.emit(note("history"));
			List<Object> labels = noteLabels(listener);
			for (int i = 0; i < 100; i++) {
				sender.emit(note("e" + i));
			}
			// names no other test uses, so only these two backends match
			assertThat(terminate("PgTerminatedListener") + terminate("PgTerminatedSender")).isEqualTo(2);
			for (int i = 100; i < 200; i++) {
				sender.emit(note("e" + i));
			}
			await().atMost(Duration.ofSeconds(30)).until(() -> labels.size() >= 200);
			assertThat(labels).containsExactlyInAnyOrderElementsOf(labels(200));
			assertThat(listener.reconnects()).isEqualTo(1);
		}
	}

	@Test
	void rowsWrittenWhileTheListenerWasCutOffArriveAfterItReconnects() throws Exception {
		try (TcpProxy proxy = new TcpProxy(5432);
				PostgresEventBridge listener = new PostgresEventBridge(
						"postgresql://postgres@127.0.0.1:" + proxy.port() + "/test/" + this.table, this.channel,
						"PgCutListener");
				PostgresEventBridge sender = new PostgresEventBridge(SERVER + "/" + this.table, this.channel,
						"PgSender")) {
			List<Object> labels = noteLabels(listener);
			deliver(sender, labels, "e0");

			proxy.refuse(true);
			proxy.cut();
			for (int i = 1; i < 50; i++) {
				sender.emit(note("e" + i));
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> proxy.accepted() >= 2);
			assertThat(labels).containsExactly("e0");
			proxy.refuse(false);

			await().atMost(Duration.ofSeconds(30)).until(() -> labels.size() >= 50);
			assertThat(labels).containsExactlyInAnyOrderElementsOf(labels(50));
		}
	}

	@Test
	void batchedSendsArriveCompleteAndInOrder() throws Exception {
		String url = SERVER + "/" + this.table;
		try (PostgresEventBridge listener = new PostgresEventBridge(url, this.channel, "PgListener");
				PostgresEventBridge sender = new PostgresEventBridge(url, this.channel, "PgBatcher")
					.batchSends(BatchedSends.BATCHING)) {
			BatchedSends.arriveCompleteAndInOrder(sender, listener, 2000);
		}
	}

	@Test
	void closeWritesTheQueuedEvents() {
		String url = SERVER + "/" + this.table;
		try (PostgresEventBridge listener = new PostgresEventBridge(url, this.channel, "PgListener")) {
			PostgresEventBridge sender = new PostgresEventBridge(url, this.channel, "PgCloser")
				.batchSends(BatchedSends.LINGERING);
			BatchedSends.closeSendsWhatIsQueued(sender, listener, 500);
		}
	}

	@Test
	void anEventQueuedTwiceInOneBatchIsWrittenAndDeliveredOnce() throws Exception {
		String url = SERVER + "/" + this.table;
		try (PostgresEventBridge listener = new PostgresEventBridge(url, this.channel, "PgListener");
				PostgresEventBridge sender = new PostgresEventBridge(url, this.channel, "PgRepeater")
					.batchSends(BatchedSends.BATCHING)) {
			List<Object> labels = noteLabels(listener);
			BaseEvent<?> twice = note("twice");
			sender.emit(note("before"));
			sender.emit(twice);
			sender.emit(twice);
			sender.emit(note("after"));
			assertThat(sender.flush()).succeedsWithin(Duration.ofSeconds(10));
			await().atMost(Duration.ofSeconds(10)).until(() -> labels.contains("after"));
			assertThat(labels).containsExactly("before", "twice", "after");
		}
	}

	@Test
	void aBatchingSenderCutOffFromTheServerRetriesThenReportsWhatItCouldNotWrite() throws Exception {
		try (TcpProxy proxy = new TcpProxy(5432);
				PostgresEventBridge listener = new PostgresEventBridge(SERVER + "/" + this.table, this.channel,
						"PgListener");
				PostgresEventBridge sender = new PostgresEventBridge(
						"postgresql://postgres@127.0.0.1:" + proxy.port() + "/test/" + this.table, this.channel,
						"PgCutSender")
					.batchSends(BatchedSends.BATCHING)) {
			List<Object> labels = noteLabels(listener);
			deliver(sender, labels, "e0");

			// a cut connection is opened again and the batch written again
			proxy.cut();
			for (int i = 1; i < 50; i++) {
				sender.emit(note("e" + i));
			}
			assertThat(sender.flush()).succeedsWithin(Duration.ofSeconds(30));
			await().atMost(Duration.ofSeconds(30)).until(() -> labels.size() >= 50);
			assertThat(labels).containsExactlyElementsOf(labels(50));

			// refused for longer than the sender retries: the batch is reported, not lost
			// silently
			proxy.refuse(true);
			proxy.cut();
			CompletableFuture<BaseEvent<?>> lost = sender.emitAsync(note("lost"));
			CompletableFuture<Void> flushed = sender.flush();
			BatchedSends.assertFailure(lost)
				.withMessageContaining("bridge PgCutSender could not write to table " + this.table);
			BatchedSends.assertFailure(flushed)
				.withMessage("bridge PgCutSender: 1 events could not be sent since flush() was called");
			assertThat(sender.failedSends()).isEqualTo(1);

			proxy.refuse(false);
			deliver(sender, labels, "back");
			assertThat(labels).doesNotContain("lost").endsWith("back");
		}
	}

	@Test
	void rejectsBadUrlsAndNames() {
		assertThatThrownBy(() -> new PostgresEventBridge("postgresql://127.0.0.1:5432"))
			.hasMessageContaining("must include at least database in path");
		assertThatThrownBy(() -> new PostgresEventBridge(SERVER + "/bad-table"))
			.hasMessage("Invalid table name: 'bad-table'. Use only [A-Za-z0-9_] and start with a letter/_");
		assertThatThrownBy(() -> new PostgresEventBridge(SERVER, "x;y", null))
			.hasMessageStartingWith("Invalid channel name: 'x;y'");
	}

	private static int terminate(String bridgeName) throws SQLException {
		try (Connection admin = DriverManager.getConnection(ADMIN_JDBC);
				PreparedStatement kill = admin.prepareStatement(
						"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE ?")) {
			kill.setString(1, "bubus:" + bridgeName + ":%");
			int killed = 0;
			try (ResultSet results = kill.executeQuery()) {
				while (results.next()) {
					killed += results.getBoolean(1) ? 1 : 0;
				}
			}
			return killed;
		}
	}

	private static void sql(String sql) throws SQLException {
		try (Connection admin = DriverManager.getConnection(ADMIN_JDBC);
				Statement statement = admin.createStatement()) {
			statement.execute(sql);
		}
	}

}
