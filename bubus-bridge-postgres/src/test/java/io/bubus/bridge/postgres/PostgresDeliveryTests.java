package io.bubus.bridge.postgres;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.bubus.BaseEvent;
import io.bubus.DynamicEvent;
import io.bubus.EventBus;
import io.bubus.bridge.BatchedSends;
import io.bubus.bridge.BridgeException;
import io.bubus.bridge.BridgeReadPosition;
import io.bubus.bridge.BridgeTesting;
import io.bubus.bridge.BridgeTracing;
import io.bubus.bridge.EventBridge;
import io.bubus.bridge.KilledReceiver;
import io.bubus.bridge.Tally;
import io.bubus.bridge.TcpProxy;
import io.bubus.internal.Closeables;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.bubus.bridge.BridgeTesting.labels;
import static io.bubus.bridge.BridgeTesting.note;
import static io.bubus.bridge.BridgeTesting.noteLabels;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The PostgreSQL delivery contract under faults, against the real server through loopback
 * proxies: bounded sends, resume from a stored position, and work sharing with claims.
 */
@Tag("services")
class PostgresDeliveryTests {

	private static final String SERVER = "postgresql://postgres@127.0.0.1:5432/test";

	private static final String ADMIN_JDBC = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

	private static final int EVENTS = 10_000;

	private static final Duration CLAIM_TIMEOUT = Duration.ofSeconds(2);

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
	void dropTables() throws SQLException {
		try (Connection admin = DriverManager.getConnection(ADMIN_JDBC);
				Statement statement = admin.createStatement()) {
			statement.execute("DROP TABLE IF EXISTS \"" + this.table + "\", \"" + this.table + "_bubus_groups\", \""
					+ this.table + "_bubus_claims\"");
		}
	}

	@Test
	void aSilentServerFailsTheEmitWithinTheSendTimeoutNamingTheBridgeAndTheWait() throws Exception {
		try (TcpProxy proxy = new TcpProxy(5432);
				PostgresEventBridge sender = new PostgresEventBridge(via(proxy), this.channel, "PgSilent")
					.sendTimeout(Duration.ofSeconds(2))) {
			sender.emit(note("before"));
			proxy.freeze(true);
			long started = System.nanoTime();
			CompletableFuture<Object> emit = CompletableFuture.supplyAsync(() -> sender.emit(note("during")));
			assertThat(emit).failsWithin(Duration.ofSeconds(20))
				.withThrowableOfType(ExecutionException.class)
				.havingCause()
				.isInstanceOf(BridgeException.class)
				.withMessageContaining("bridge PgSilent could not write to table " + this.table)
				.withMessageContaining("within PT2S");
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(8));
			proxy.freeze(false);
		}
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "fan-out", "group" })
	void tenThousandEventsThroughCutAndFrozenLinksAreEachHandledOnce(String mode) throws Exception {
		Tally tally = new Tally();
		try (TcpProxy listenerProxy = new TcpProxy(5432);
				TcpProxy senderProxy = new TcpProxy(5432);
				PostgresEventBridge listener = listener(via(listenerProxy), "PgFaultListener", mode);
				PostgresEventBridge sender = new PostgresEventBridge(via(senderProxy), this.channel, "PgFaultSender")
					.batchSends(BatchedSends.BATCHING)) {
			tally.count(listener);
			// a lost commit acknowledgement: the batch is written again, and the upsert
			// stores each event once
			TcpProxy.sendThroughFaults(sender, tally, listenerProxy, senderProxy, EVENTS);
			awaitAllHandled(tally, EVENTS);
			if (mode.equals("group")) {
				await().atMost(Duration.ofSeconds(30)).until(() -> count("_bubus_claims") == 0);
			}
			assertThat(tally.missing(EVENTS)).isEmpty();
			assertThat(tally.repeated()).isEmpty();
			assertThat(tally.total()).isEqualTo(EVENTS);
			assertThat(count("")).isEqualTo(EVENTS);
			System.out.println("Postgres faults (" + mode + "): " + EVENTS + " sent, 0 lost, 0 twice, "
					+ listener.duplicateMessages() + " duplicate deliveries suppressed, listener reconnects "
					+ listener.reconnects() + ", sender connections " + senderProxy.accepted());
		}
	}

	@Test
	void aRestartedListenerResumesFromItsStoredPositionWithWhatWasWrittenWhileItWasDown() throws Exception {
		Path positionFile = this.dir.resolve("pg.position");
		try (PostgresEventBridge sender = new PostgresEventBridge(url(), this.channel, "PgResumeSender")) {
			List<Object> first = new CopyOnWriteArrayList<>();
			receiveWithPosition(positionFile, first, () -> BridgeTesting.deliver(sender, first, "before"));
			for (int i = 0; i < 500; i++) {
				sender.emit(note("e" + i));
			}
			List<Object> again = new CopyOnWriteArrayList<>();
			receiveWithPosition(positionFile, again,
					() -> await().atMost(Duration.ofSeconds(30)).until(() -> again.size() >= 500));
			assertThat(again).containsExactlyElementsOf(labels(500));
			assertThat(BridgeReadPosition.stored(positionFile)).isPositive();
		}
	}

	private void receiveWithPosition(Path positionFile, List<Object> labels, Runnable whileListening) {
		EventBus bus = EventBus.builder("PgResumeApp").maxHistorySize(0).build();
		PostgresEventBridge listener = new PostgresEventBridge(url(), this.channel, "PgResume");
		BridgeReadPosition position = BridgeReadPosition.resume(listener, positionFile, bus, Duration.ofMillis(50));
		try {
			bus.on("Note", (event) -> labels.add(((DynamicEvent) event).get("label")));
			listener.on("*", bus::emit);
			whileListening.run();
			assertThat(bus.waitUntilIdle(Duration.ofSeconds(10))).isTrue();
		}
		finally {
			listener.close();
			bus.stop(Duration.ofSeconds(5), true);
			position.close();
		}
	}

	@Test
	void threeInstancesOfOneGroupShareTenThousandEventsEachHandledOnceWhenOneStopsMidStream() throws Exception {
		Tally tally = new Tally();
		List<PostgresEventBridge> listeners = new ArrayList<>();
		try (PostgresEventBridge sender = new PostgresEventBridge(url(), this.channel, "PgShareSender")
			.batchSends(BatchedSends.BATCHING)) {
			for (int i = 0; i < 3; i++) {
				PostgresEventBridge listener = tally.count(listener(url(), "PgShare" + i, "group"));
				listeners.add(listener);
			}
			for (int i = 0; i < EVENTS; i++) {
				sender.emit(note("e" + i));
				if (i == EVENTS / 3) {
					assertThat(sender.flush()).succeedsWithin(Duration.ofSeconds(30));
					await().atMost(Duration.ofSeconds(30)).until(() -> listeners.get(0).receivedMessages() > 0);
					// what it runs finishes and its claim is deleted, what it claimed and
					// did not start is handed back to the others
					listeners.get(0).close();
				}
			}
			assertThat(sender.flush()).succeedsWithin(Duration.ofSeconds(60));
			awaitAllHandled(tally, EVENTS);
			await().atMost(Duration.ofSeconds(30)).until(() -> count("_bubus_claims") == 0);
			assertThat(tally.missing(EVENTS)).isEmpty();
			assertThat(tally.repeated()).isEmpty();
			assertThat(tally.total()).isEqualTo(EVENTS);
			assertThat(listeners.get(1).receivedMessages()).isPositive();
			assertThat(listeners.get(2).receivedMessages()).isPositive();
			System.out.println("Postgres work sharing: handled per instance " + listeners.get(0).receivedMessages()
					+ " (stopped), " + listeners.get(1).receivedMessages() + ", "
					+ listeners.get(2).receivedMessages());
		}
		finally {
			listeners.forEach(Closeables::closeQuietly);
		}
	}

	@Test
	void theClaimsOfAnInstanceThatDiesMidHandlerAreTakenOverOnceTheirLeaseRunsOut() throws Exception {
		Tally tally = new Tally();
		CountDownLatch never = new CountDownLatch(1);
		AtomicInteger stuck = new AtomicInteger();
		try (TcpProxy deadLink = new TcpProxy(5432);
				PostgresEventBridge dying = listener(via(deadLink), "PgDying", "group");
				PostgresEventBridge survivor = tally.count(listener(url(), "PgSurvivor", "group"));
				PostgresEventBridge sender = new PostgresEventBridge(url(), this.channel, "PgDyingSender")
					.batchSends(BatchedSends.BATCHING)) {
			// its handlers hang, then its link dies: its claims are neither finished
			// nor handed back nor renewed
			dying.drainTimeout(Duration.ZERO);
			dying.on("Note", (event) -> {
				stuck.incrementAndGet();
				never.await(60, TimeUnit.SECONDS);
				return null;
			});
			for (int i = 0; i < 2_000; i++) {
				sender.emit(note("e" + i));
			}
			assertThat(sender.flush()).succeedsWithin(Duration.ofSeconds(30));
			await().atMost(Duration.ofSeconds(30)).until(() -> stuck.get() > 0);
			deadLink.refuse(true);
			deadLink.cut();
			awaitAllHandled(tally, 2_000);
			assertThat(tally.missing(2_000)).isEmpty();
			assertThat(tally.repeated()).isEmpty();
			System.out.println("Postgres dead instance: " + stuck.get() + " events stuck in it, taken over after "
					+ CLAIM_TIMEOUT);
		}
		finally {
			never.countDown();
		}
	}

	@Test
	void aFanOutReceiverKilledMidStreamLosesNothingAndRepeatsOnlyWhatItHandledAfterItsLastSavedPosition()
			throws Exception {
		try (PostgresEventBridge sender = new PostgresEventBridge(url(), this.channel, "PgKillSender")
			.batchSends(BatchedSends.BATCHING)) {
			KilledReceiver.of(this.dir, ChildReceiver.class, url(), this.channel, "fan-out")
				.resumesAfterStoredPosition((txid) -> KilledReceiver.labelsInRows(ADMIN_JDBC,
						"SELECT event_payload FROM \"" + this.table + "\" WHERE bubus_txid <= ?", txid))
				.run("Postgres fan-out", sender);
		}
	}

	@Test
	void aGroupInstanceKilledMidStreamLosesNothingAndOnlyItsUnfinishedClaimsRunAgain() throws Exception {
		try (PostgresEventBridge sender = new PostgresEventBridge(url(), this.channel, "PgKillSender")
			.batchSends(BatchedSends.BATCHING)) {
			// its claims are taken over once their lease runs out; those it had
			// handled and not yet deleted run again
			KilledReceiver.of(this.dir, ChildReceiver.class, url(), this.channel, "group")
				.repeatsAtMost(2 * PostgresEventBridge.PREFETCH)
				.settledWhen(() -> count("_bubus_claims") == 0)
				.run("Postgres group", sender);
		}
	}

	/**
	 * The child JVM's listener: URL, channel, and {@code fan-out} (with a position file)
	 * or {@code group}.
	 */
	public static final class ChildReceiver implements KilledReceiver.Receiver {

		@Override
		public EventBridge create(List<String> args) {
			PostgresEventBridge listener = new PostgresEventBridge(args.get(0), args.get(1), "PgKillReceiver");
			if (args.get(2).equals("group")) {
				listener.group("kill").claimTimeout(CLAIM_TIMEOUT);
			}
			return listener;
		}

	}

	@Test
	void theTraceContextTravelsWithTheRow() {
		List<Map<String, String>> extracted = new CopyOnWriteArrayList<>();
		String traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
		BridgeTracing tracing = new BridgeTracing() {

			@Override
			public Map<String, String> inject(EventBridge bridge, BaseEvent<?> event) {
				return Map.of("traceparent", traceparent);
			}

			@Override
			public Scope extract(EventBridge bridge, Map<String, String> fields) {
				extracted.add(fields);
				return Scope.NOOP;
			}

		};
		try (PostgresEventBridge listener = new PostgresEventBridge(url(), this.channel, "PgTraceListener");
				PostgresEventBridge sender = new PostgresEventBridge(url(), this.channel, "PgTraceSender")) {
			listener.tracing(tracing);
			sender.tracing(tracing);
			BridgeTesting.deliver(sender, noteLabels(listener), "traced");
			assertThat(extracted).singleElement()
				.satisfies((fields) -> assertThat(fields).containsEntry("traceparent", traceparent));
		}
	}

	/**
	 * Waits until every label was handled; when that times out, prints what the database
	 * holds, to tell a lost event from one held back.
	 */
	private void awaitAllHandled(Tally tally, int events) throws SQLException {
		try {
			await().atMost(Duration.ofSeconds(60)).until(() -> tally.distinct() == events);
		}
		catch (ConditionTimeoutException ex) {
			List<String> missing = tally.missing(events);
			System.out.println("not handled: " + missing.size() + " " + missing.subList(0, Math.min(10, missing.size()))
					+ "; rows " + count("") + "; claims "
					+ rows("SELECT owner, lease_until, event_id FROM \"" + this.table + "_bubus_claims\" LIMIT 5")
					+ "; groups " + rows("SELECT group_name, txid, seq FROM \"" + this.table + "_bubus_groups\"")
					+ "; long transactions " + rows("SELECT application_name, state, backend_xid, now() - xact_start "
							+ "FROM pg_stat_activity WHERE xact_start < now() - interval '5 seconds'"));
			throw ex;
		}
	}

	private String rows(String sql) {
		List<String> rows = new ArrayList<>();
		try (Connection admin = DriverManager.getConnection(ADMIN_JDBC);
				Statement query = admin.createStatement();
				ResultSet found = query.executeQuery(sql)) {
			while (found.next()) {
				List<String> values = new ArrayList<>();
				for (int i = 1; i <= found.getMetaData().getColumnCount(); i++) {
					values.add(found.getString(i));
				}
				rows.add(String.join("|", values));
			}
		}
		catch (SQLException ex) {
			rows.add(ex.getMessage());
		}
		return rows.toString();
	}

	private PostgresEventBridge listener(String url, String name, String mode) {
		PostgresEventBridge listener = new PostgresEventBridge(url, this.channel, name);
		if (mode.equals("group")) {
			listener.group("shared").claimTimeout(CLAIM_TIMEOUT);
		}
		return listener;
	}

	private long count(String suffix) throws SQLException {
		try (Connection admin = DriverManager.getConnection(ADMIN_JDBC);
				Statement query = admin.createStatement();
				ResultSet rows = query.executeQuery("SELECT count(*) FROM \"" + this.table + suffix + "\"")) {
			rows.next();
			return rows.getLong(1);
		}
	}

	private String url() {
		return SERVER + "/" + this.table;
	}

	private String via(TcpProxy proxy) {
		return "postgresql://postgres@127.0.0.1:" + proxy.port() + "/test/" + this.table;
	}

}
