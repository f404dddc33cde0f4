package io.bubus.bridge.postgres;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Queue;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.bubus.BaseEvent;
import io.bubus.bridge.BridgeException;
import io.bubus.bridge.EventBridge;
import io.bubus.bridge.ReadPositionListener;
import io.bubus.bridge.ResumableBridge;
import io.bubus.bridge.SendBatching;
import io.bubus.bridge.SendQueue;
import io.bubus.internal.BridgeNames;
import io.bubus.internal.Closeables;
import io.bubus.internal.FlatRow;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bridge over a PostgreSQL table plus {@code LISTEN/NOTIFY}, compatible with Python and
 * TypeScript bubus: {@link #emit} upserts the event as a row (the same flat layout as
 * {@code SqliteEventBridge}) and, in the same transaction, sends
 * {@code pg_notify(channel, <JSON-quoted event id>)}; the listener, woken by the
 * notification (and every half second), reads the rows it has not read yet in commit
 * order and emits them on the inbound bus.
 * <p>
 * The URL is {@code postgresql://user:pass@host:5432/dbname[/tablename]?sslmode=…}; the
 * table defaults to {@code bubus_events}, the channel to {@code bubus_events}. The Java
 * bridge adds two columns peers ignore, {@code bubus_txid} and {@code bubus_seq} (the
 * transaction that wrote a row and a sequence number), to read rows in commit order.
 * <p>
 * <strong>Fan-out</strong> (the default): every listener reads every row, each once, from
 * where it starts: the end (rows committed from then on), the beginning
 * ({@link #fromBeginning()}), or a stored position ({@link #resumeFrom(long)}, told after
 * each row to {@link #onRead(ReadPositionListener)}; {@code BridgeReadPosition} keeps it
 * in a file), so that a restarted receiver gets, once, what was written while it was
 * down. When the listening connection drops, the listener reconnects with backoff (100 ms
 * doubling to 5 s, forever) and goes on from its position. Rows stay in the table. An
 * upsert of an event id already read is not delivered again.
 * <p>
 * <strong>Work sharing</strong> ({@link #group(String)}): bridges with the same group
 * share the rows, each event handled by one of them. An instance claims rows with a lease
 * of {@link #claimTimeout(Duration)} (default 30 s) that it renews while the event runs;
 * a claim is deleted once the bus completed the event (whatever its handlers returned or
 * threw), handed back at once when its work did not finish (the bridge closed, the bus
 * stopped), and taken over by another instance when the lease runs out (the instance
 * died, or lost the database for longer than the lease). The group keeps its position in
 * the database, so a restarted group resumes with what was written meanwhile; a new group
 * starts at the end ({@link #fromBeginning()}: the beginning). Delivery: at least once; a
 * row delivered again to the same bridge is recognised by its event id in
 * {@link #duplicateWindow()}; one handled by an instance that died before its claim was
 * deleted is handled again by the instance that takes it over. At most {@value #PREFETCH}
 * events are in flight per bridge.
 * <p>
 * <strong>Ordering.</strong> Rows are read in the order their transactions committed
 * (more exactly: by transaction id, once no older transaction is running), so a long
 * transaction anywhere on the server holds back delivery until it ends. Work sharing
 * instances handle concurrently, and taken-over claims come later.
 * <p>
 * <strong>Sending.</strong> A write that fails because the connection broke, or that the
 * server does not answer, is retried on a new connection with backoff, every statement
 * bounded by what is left of {@link #sendTimeout(Duration)} (default 10 s); then it fails
 * with a {@link BridgeException} naming the bridge, the table and the wait. The upsert is
 * idempotent, so a retry after a lost acknowledgement does not duplicate the event. Trace
 * context travels in the event JSON as the reserved keys {@code traceparent} and
 * {@code tracestate}.
 * <p>
 * Requires {@code org.postgresql:postgresql}.
 */
public class PostgresEventBridge extends EventBridge implements ResumableBridge {

	/** The default table and channel. */
	public static final String DEFAULT_TABLE = "bubus_events";

	/**
	 * The former catch-up window.
	 * @deprecated the listener reads from its position and needs no window
	 */
	@Deprecated
	public static final Duration DEFAULT_CATCH_UP_WINDOW = Duration.ofSeconds(60);

	/** How long a write waits by default, retries included. */
	public static final Duration DEFAULT_SEND_TIMEOUT = Duration.ofSeconds(10);

	/** How long a work sharing claim lasts by default without being renewed. */
	public static final Duration DEFAULT_CLAIM_TIMEOUT = Duration.ofSeconds(30);

	/** Events a work sharing listener has in flight at most. */
	public static final int PREFETCH = 256;

	private static final Logger log = LoggerFactory.getLogger(PostgresEventBridge.class);

	private static final int MAX_IDENTIFIER = 63;

	/** How long a listener's statement may wait for the server. */
	private static final int LISTEN_SOCKET_TIMEOUT_SECONDS = 10;

	private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

	private static final int WAIT_MILLIS = 500;

	private static final int PAGE = 256;

	/** Bind parameters in one statement, well under the protocol's limit of 65,535. */
	private static final int MAX_PARAMETERS = 30_000;

	private final String jdbcUrl;

	private final Properties credentials;

	private final String table;

	private final String channel;

	private final PostgresSchema schema;

	private final Object writeLock = new Object();

	private final Map<String, PreparedStatement> upserts = new HashMap<>();

	private final Set<String> columns = new HashSet<>();

	private final SendQueue<Map<String, @Nullable String>> sends = new SendQueue<>(this,
			(event) -> FlatRow.columns(toWire(event, outboundFields(event))), this::writeRows);

	private volatile Duration sendTimeout = DEFAULT_SEND_TIMEOUT;

	private @Nullable Connection writer;

	private volatile @Nullable Thread listener;

	private volatile long reconnects;

	private volatile @Nullable String group;

	private final String owner;

	private volatile Duration claimTimeout = DEFAULT_CLAIM_TIMEOUT;

	private volatile boolean fromBeginning;

	private volatile @Nullable Long startPosition;

	/** Free places for events in flight (work sharing). */
	private final Semaphore room = new Semaphore(PREFETCH);

	/** Settled claims the listener thread has yet to write (work sharing). */
	private final Queue<Settled> settled = new ConcurrentLinkedQueue<>();

	/**
	 * The claims this instance renews: delivered and not yet settled in the database,
	 * with how many deliveries of each are open. A claim it holds without having
	 * delivered it (the connection broke after a claim committed) is not renewed, so it
	 * runs out and is taken over. Used by the listener thread only.
	 */
	private final Map<String, Integer> holding = new HashMap<>();

	private volatile boolean claiming;

	/** A bridge on the table of this URL and the default channel. */
	public PostgresEventBridge(String tableUrl) {
		this(tableUrl, null, null);
	}

	/** A bridge on the table of this URL and this channel ({@code null} = default). */
	@SuppressWarnings("deprecation")
	public PostgresEventBridge(String tableUrl, @Nullable String channel, @Nullable String name) {
		this(tableUrl, channel, name, DEFAULT_CATCH_UP_WINDOW);
	}

	/**
	 * A bridge on the table of this URL and this channel ({@code null} = default).
	 * @param tableUrl the URL
	 * @param channel the notification channel
	 * @param name the bridge name
	 * @param catchUpWindow not used any more: the listener reads from its position
	 * @deprecated use {@link #PostgresEventBridge(String, String, String)}
	 */
	@Deprecated
	public PostgresEventBridge(String tableUrl, @Nullable String channel, @Nullable String name,
			Duration catchUpWindow) {
		super(name, DEFAULT_MAX_MESSAGE_BYTES);
		try {
			URI uri = BridgeNames.url(tableUrl, "PostgresEventBridge URL must start with postgresql://", "postgresql",
					"postgres");
			List<String> segments = BridgeNames.pathSegments(uri);
			if (segments.isEmpty()) {
				throw new IllegalArgumentException(
						"PostgresEventBridge URL must include at least database in path, e.g. postgresql://user:pass@host:5432/dbname[/tablename]");
			}
			if (segments.size() > 2) {
				throw new IllegalArgumentException(
						"PostgresEventBridge URL path must be /dbname or /dbname/tablename, got " + uri.getRawPath());
			}
			this.table = BridgeNames.identifier("table name", (segments.size() > 1) ? segments.get(1) : DEFAULT_TABLE);
			this.channel = BridgeNames.identifier("channel name",
					BridgeNames.truncate((channel != null) ? channel : DEFAULT_TABLE, MAX_IDENTIFIER));
			String host = (uri.getHost() != null) ? uri.getHost() : "localhost";
			int port = (uri.getPort() > 0) ? uri.getPort() : 5432;
			this.jdbcUrl = "jdbc:postgresql://" + host + ":" + port + "/" + segments.get(0)
					+ ((uri.getRawQuery() != null) ? "?" + uri.getRawQuery() : "");
			this.credentials = credentials(uri.getRawUserInfo());
			this.schema = new PostgresSchema(this.table);
			this.owner = name() + "-" + UUID.randomUUID().toString().substring(0, 8);
		}
		catch (RuntimeException ex) {
			throw abandon(ex);
		}
	}

	/** The table. */
	public String table() {
		return this.table;
	}

	/** The notification channel. */
	public String channel() {
		return this.channel;
	}

	/** How often the listener lost its connection and reconnected. */
	public long reconnects() {
		return this.reconnects;
	}

	/** The work sharing group, or {@code null} for fan-out. */
	public @Nullable String group() {
		return this.group;
	}

	/**
	 * Shares the rows with the other bridges of this group (N instances of an
	 * application), each event handled by one of them, instead of reading every row;
	 * before the bridge starts.
	 * @param group the group name
	 * @return this bridge
	 */
	public PostgresEventBridge group(String group) {
		requireNotStarted("group");
		if (group.isBlank() || group.length() > 200) {
			throw new IllegalArgumentException("group must be 1 to 200 characters, got '" + group + "'");
		}
		this.group = group;
		return this;
	}

	/**
	 * How long a work sharing claim lasts without being renewed (default
	 * {@link #DEFAULT_CLAIM_TIMEOUT}): how long the events of a dead instance wait before
	 * another takes them over.
	 * @param timeout the lease
	 * @return this bridge
	 */
	public PostgresEventBridge claimTimeout(Duration timeout) {
		requireNotStarted("claimTimeout");
		if (timeout.toMillis() < 300) {
			throw new IllegalArgumentException("claimTimeout must be at least 300 ms, got " + timeout);
		}
		this.claimTimeout = timeout;
		return this;
	}

	/**
	 * Reads the rows already in the table too (a fan-out listener, or a group this bridge
	 * creates), instead of starting at the end; before the bridge starts.
	 * @return this bridge
	 */
	public PostgresEventBridge fromBeginning() {
		requireNotStarted("fromBeginning");
		this.fromBeginning = true;
		return this;
	}

	/**
	 * Starts a fan-out listener after this position (every row of a later transaction is
	 * read), before the bridge starts; for a group only 0 is accepted, as
	 * {@link #fromBeginning()}.
	 * @param position a position the bridge reported to its {@link ReadPositionListener}
	 * (0: the beginning)
	 * @return this bridge
	 */
	@Override
	public PostgresEventBridge resumeFrom(long position) {
		requireNotStarted("resumeFrom");
		if (position < 0) {
			throw new IllegalArgumentException("position must be >= 0, got " + position);
		}
		if (this.group != null) {
			if (position != 0) {
				throw new IllegalStateException("bridge " + name() + " shares work in group " + this.group
						+ ", which keeps its position in the database; resumeFrom applies to fan-out listeners");
			}
			return fromBeginning();
		}
		this.startPosition = position;
		return this;
	}

	/** {@code "transaction"}: positions are transaction ids. */
	@Override
	public String positionUnit() {
		return "transaction";
	}

	/**
	 * Tells this listener the position after each row a fan-out listener reads: the
	 * transaction id up to which every row was read.
	 * @param listener the listener
	 * @return this bridge
	 */
	@Override
	public PostgresEventBridge onRead(ReadPositionListener listener) {
		readPositions("onRead", listener);
		return this;
	}

	/**
	 * Sets how long a write waits for the server, retries on a new connection included
	 * (default {@link #DEFAULT_SEND_TIMEOUT}); then it fails with a
	 * {@link BridgeException}.
	 * @param timeout the longest wait
	 * @return this bridge
	 */
	public PostgresEventBridge sendTimeout(Duration timeout) {
		if (timeout.toMillis() < 1) {
			throw new IllegalArgumentException("sendTimeout must be positive, got " + timeout);
		}
		this.sendTimeout = timeout;
		return this;
	}

	@Override
	public BaseEvent<?> emit(BaseEvent<?> event) {
		return this.sends.emit(event);
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * Each batch is one statement: a multi-row upsert whose rows are notified in order,
	 * as one transaction (a batch mixing events with different {@code event_*} fields, or
	 * holding one event id twice, is a few statements in one transaction).
	 */
	@Override
	public PostgresEventBridge batchSends(SendBatching batching) {
		super.batchSends(batching);
		return this;
	}

	@Override
	protected SendQueue<?> sends() {
		return this.sends;
	}

	private void writeRows(List<Map<String, @Nullable String>> rows) {
		synchronized (this.writeLock) {
			Duration timeout = this.sendTimeout;
			long deadline = System.nanoTime() + timeout.toNanos();
			Duration backoff = Duration.ofMillis(50);
			while (true) {
				long left = deadline - System.nanoTime();
				try {
					writeAll(writer(left), rows);
					return;
				}
				catch (SQLException ex) {
					boolean broken = isConnectionFailure(ex, this.writer);
					if (broken) {
						closeWriter();
					}
					if (!broken || deadline - System.nanoTime() <= backoff.toNanos()) {
						throw new BridgeException("bridge " + name() + " could not write to table " + this.table + " ("
								+ this.jdbcUrl + ")" + (broken ? " within " + timeout : "") + ": " + ex.getMessage(),
								ex);
					}
					log.warn("bridge {} lost its send connection, retrying in {} ms: {}", name(), backoff.toMillis(),
							ex.getMessage());
					LockSupport.parkNanos(backoff.toNanos());
					backoff = min(backoff.multipliedBy(2), Duration.ofSeconds(1));
				}
			}
		}
	}

	@Override
	protected void startListening() {
		Connection connection;
		Runnable loop;
		try {
			connection = openListener();
			String shared = this.group;
			if (shared != null) {
				PostgresWorkGroup work = new PostgresWorkGroup(this.schema, shared, this.owner);
				work.join(connection, this.fromBeginning);
				this.claiming = true;
				loop = () -> share(connection, work);
			}
			else {
				Long resume = this.startPosition;
				long start = (resume != null) ? resume : this.fromBeginning ? 0 : PostgresSchema.end(connection);
				reportPosition(start, null);
				loop = () -> listen(connection, start);
			}
		}
		catch (SQLException ex) {
			throw new BridgeException(
					"bridge " + name() + " could not LISTEN on " + this.jdbcUrl + ": " + ex.getMessage(), ex);
		}
		Thread thread = Thread.ofPlatform().daemon().name("bubus-postgres-" + name()).unstarted(loop);
		this.listener = thread;
		thread.start();
	}

	@Override
	protected void stopReceiving() {
		this.claiming = false;
	}

	@Override
	protected void stopListening() {
		Thread thread = this.listener;
		this.listener = null;
		if (thread == null) {
			return;
		}
		LockSupport.unpark(thread);
		try {
			// the last statements of work sharing (settling, handing back) included
			thread.join(Duration.ofMillis(WAIT_MILLIS * 10L));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void close() {
		super.close();
		synchronized (this.writeLock) {
			closeWriter();
		}
	}

	private void requireNotStarted(String method) {
		if (isStarted()) {
			throw new IllegalStateException(method + "() must be called before the bridge starts");
		}
	}

	// ---- listening ----

	private boolean listening() {
		return this.listener == Thread.currentThread();
	}

	/** The fan-out listener thread: reads after its position, reconnecting as needed. */
	private void listen(Connection first, long start) {
		long[] cursor = { start, Long.MAX_VALUE };
		@Nullable Connection connection = first;
		Duration backoff = Duration.ofMillis(100);
		while (listening()) {
			try {
				if (connection == null) {
					connection = reopen();
					backoff = Duration.ofMillis(100);
				}
				if (readAfter(connection, cursor) < PAGE) {
					// a notification ends the wait early
					connection.unwrap(PGConnection.class).getNotifications(WAIT_MILLIS);
				}
			}
			catch (SQLException | RuntimeException ex) {
				if (!listening()) {
					break;
				}
				connection = lost(connection, backoff, ex);
				backoff = min(backoff.multipliedBy(2), MAX_BACKOFF);
			}
		}
		Closeables.closeQuietly(connection);
	}

	/**
	 * Reads up to a page of rows after the cursor and delivers them, reporting the
	 * position after each: its transaction id once every row of that transaction was
	 * read, else the one before. Returns how many rows were read.
	 */
	private int readAfter(Connection connection, long[] cursor) throws SQLException {
		List<PostgresWorkGroup.Row> rows;
		try (PreparedStatement select = connection.prepareStatement(this.schema.rowsAfter(PAGE))) {
			select.setLong(1, cursor[0]);
			select.setLong(2, cursor[1]);
			rows = PostgresWorkGroup.read(select);
		}
		for (int i = 0; i < rows.size() && listening(); i++) {
			PostgresWorkGroup.Row row = rows.get(i);
			BaseEvent<?> event;
			try {
				event = receiveRowEvent(row.columns());
			}
			catch (IllegalStateException closing) {
				return 0;
			}
			cursor[0] = row.txid();
			cursor[1] = row.seq();
			boolean whole = (i + 1 < rows.size()) ? rows.get(i + 1).txid() != row.txid() : rows.size() < PAGE;
			reportPosition(whole ? row.txid() : row.txid() - 1, event);
		}
		return rows.size();
	}

	/**
	 * The work sharing listener thread: settles what the bus finished, renews its claims,
	 * takes over expired ones and claims new rows while there is room; at the end hands
	 * back what it still holds.
	 */
	private void share(Connection first, PostgresWorkGroup work) {
		@Nullable Connection connection = first;
		Duration backoff = Duration.ofMillis(100);
		Duration lease = this.claimTimeout;
		long renewEvery = lease.toNanos() / 3;
		long reclaimEvery = Math.min(TimeUnit.SECONDS.toNanos(1), lease.toNanos() / 2);
		long nextRenew = System.nanoTime() + renewEvery;
		long nextReclaim = System.nanoTime();
		while (listening()) {
			try {
				if (connection == null) {
					connection = reopen();
					backoff = Duration.ofMillis(100);
				}
				settle(connection, work);
				if (System.nanoTime() - nextRenew >= 0) {
					work.renew(connection, List.copyOf(this.holding.keySet()), lease);
					nextRenew = System.nanoTime() + renewEvery;
				}
				int claimed = 0;
				if (this.claiming && System.nanoTime() - nextReclaim >= 0) {
					claimed += deliver(work.reclaim(connection, Math.min(this.room.availablePermits(), PAGE), lease));
					nextReclaim = System.nanoTime() + reclaimEvery;
				}
				if (this.claiming && this.room.availablePermits() > 0) {
					claimed += deliver(work.claimNext(connection, Math.min(this.room.availablePermits(), PAGE), lease));
				}
				if (claimed == 0) {
					awaitWork(connection);
				}
			}
			catch (SQLException | RuntimeException ex) {
				if (!listening()) {
					break;
				}
				connection = lost(connection, backoff, ex);
				backoff = min(backoff.multipliedBy(2), MAX_BACKOFF);
			}
		}
		if (connection != null) {
			try {
				settle(connection, work);
				work.releaseAll(connection);
			}
			catch (SQLException | RuntimeException ex) {
				log.warn("bridge {} could not hand back its claims (they are taken over after {}): {}", name(), lease,
						ex.toString());
			}
		}
		Closeables.closeQuietly(connection);
	}

	/** Waits up to half a second for a notification or for settled events. */
	private void awaitWork(Connection connection) throws SQLException {
		PGConnection pg = connection.unwrap(PGConnection.class);
		for (int i = 0; i < WAIT_MILLIS / 100 && this.settled.isEmpty() && listening(); i++) {
			PGNotification[] notifications = pg.getNotifications(100);
			if (notifications != null && notifications.length > 0) {
				return;
			}
		}
	}

	private int deliver(List<PostgresWorkGroup.Row> rows) {
		for (PostgresWorkGroup.Row row : rows) {
			String id = row.id();
			if (!this.claiming) {
				// claimed while closing: handed back at once
				this.settled.add(new Settled(id, false));
				continue;
			}
			this.room.acquireUninterruptibly();
			this.holding.merge(id, 1, Integer::sum);
			receiveRow(row.columns(), new Acknowledgement() {

				@Override
				public void ack() {
					PostgresEventBridge.this.settled.add(new Settled(id, true));
					PostgresEventBridge.this.room.release();
				}

				@Override
				public void redeliver() {
					PostgresEventBridge.this.settled.add(new Settled(id, false));
					PostgresEventBridge.this.room.release();
				}

			});
		}
		return rows.size();
	}

	/** Writes the settled claims; kept for the next try when that fails. */
	private void settle(Connection connection, PostgresWorkGroup work) throws SQLException {
		List<Settled> batch = new ArrayList<>();
		for (Settled next; (next = this.settled.poll()) != null;) {
			batch.add(next);
		}
		if (batch.isEmpty()) {
			return;
		}
		try {
			work.settle(connection, batch.stream().filter(Settled::done).map(Settled::id).toList(),
					batch.stream().filter((each) -> !each.done()).map(Settled::id).toList());
		}
		catch (SQLException | RuntimeException ex) {
			this.settled.addAll(batch);
			throw ex;
		}
		for (Settled each : batch) {
			this.holding.computeIfPresent(each.id(), (id, open) -> (open > 1) ? open - 1 : null);
		}
	}

	/** A claim the bus is done with: finished, or handed back. */
	private record Settled(String id, boolean done) {
	}

	private Connection reopen() throws SQLException {
		Connection connection = openListener();
		this.reconnects++;
		log.info("bridge {} reconnected to {}, reading on from its position", name(), this.jdbcUrl);
		return connection;
	}

	private @Nullable Connection lost(@Nullable Connection connection, Duration backoff, Exception ex) {
		log.warn("bridge {} lost its LISTEN connection, reconnecting in {} ms: {}", name(), backoff.toMillis(),
				ex.getMessage());
		Closeables.closeQuietly(connection);
		LockSupport.parkNanos(backoff.toNanos());
		return null;
	}

	private Connection openListener() throws SQLException {
		Connection connection = open("listen", Duration.ofSeconds(10));
		try {
			this.schema.createEventTable(connection);
			try (Statement listen = connection.createStatement()) {
				listen.execute("LISTEN \"" + this.channel + "\"");
			}
			return connection;
		}
		catch (SQLException ex) {
			Closeables.closeQuietly(connection);
			throw ex;
		}
	}

	// ---- sending ----

	/**
	 * The rows in one statement (the common case) or, when they need several, in one
	 * transaction.
	 */
	private void writeAll(Connection connection, List<Map<String, @Nullable String>> rows) throws SQLException {
		Set<String> names = new TreeSet<>();
		rows.forEach((row) -> names.addAll(row.keySet()));
		addMissingColumns(connection, names);
		List<List<Map<String, @Nullable String>>> statements = FlatRow.statements(rows, MAX_PARAMETERS);
		if (statements.size() == 1) {
			upsertAndNotify(connection, statements.get(0));
			return;
		}
		connection.setAutoCommit(false);
		try {
			for (List<Map<String, @Nullable String>> statement : statements) {
				upsertAndNotify(connection, statement);
			}
			connection.commit();
		}
		catch (SQLException | RuntimeException ex) {
			Closeables.rollbackQuietly(connection);
			throw ex;
		}
		finally {
			Closeables.autoCommitQuietly(connection);
		}
	}

	/** Rows with the same columns and distinct ids, upserted and notified in order. */
	private void upsertAndNotify(Connection connection, List<Map<String, @Nullable String>> rows) throws SQLException {
		List<String> names = new ArrayList<>(rows.get(0).keySet());
		if (rows.size() == 1) {
			bindAndNotify(upsert(connection, names), rows);
			return;
		}
		try (PreparedStatement statement = connection.prepareStatement(upsertSql(names, rows.size()))) {
			bindAndNotify(statement, rows);
		}
	}

	private void bindAndNotify(PreparedStatement statement, List<Map<String, @Nullable String>> rows)
			throws SQLException {
		int index = 1;
		for (Map<String, @Nullable String> row : rows) {
			for (String value : row.values()) {
				statement.setString(index++, value);
			}
		}
		statement.setString(index, this.channel);
		try (ResultSet notified = statement.executeQuery()) {
			while (notified.next()) {
				// one pg_notify per row
			}
		}
	}

	/**
	 * The send connection, opened when needed, every statement on it bounded by what is
	 * left of the send timeout.
	 */
	private Connection writer(long leftNanos) throws SQLException {
		int millis = (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(leftNanos));
		if (this.writer == null) {
			Connection connection = open("send", Duration.ofMillis(millis));
			try {
				connection.setNetworkTimeout(Runnable::run, millis);
				this.schema.createEventTable(connection);
			}
			catch (SQLException ex) {
				Closeables.closeQuietly(connection);
				throw ex;
			}
			this.writer = connection;
		}
		this.writer.setNetworkTimeout(Runnable::run, millis);
		return this.writer;
	}

	private void closeWriter() {
		Closeables.closeQuietly(this.writer);
		this.writer = null;
		this.upserts.clear();
		this.columns.clear();
	}

	private PreparedStatement upsert(Connection connection, List<String> names) throws SQLException {
		String key = String.join(",", names);
		PreparedStatement cached = this.upserts.get(key);
		if (cached == null) {
			cached = connection.prepareStatement(upsertSql(names, 1));
			this.upserts.put(key, cached);
		}
		return cached;
	}

	/**
	 * One statement, so the rows and their notifications (one per row, in the rows'
	 * order) commit together.
	 */
	private String upsertSql(List<String> names, int rows) {
		return "WITH upserted AS (" + FlatRow.upsertSql(this.table, names, "?", rows)
				+ " RETURNING \"event_id\") SELECT pg_notify(?, \"event_id\") FROM upserted";
	}

	// ---- schema ----

	private void addMissingColumns(Connection connection, Set<String> wanted) throws SQLException {
		if (this.columns.containsAll(wanted)) {
			return;
		}
		try (PreparedStatement query = connection.prepareStatement(
				"SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ?")) {
			query.setString(1, this.table);
			try (ResultSet names = query.executeQuery()) {
				while (names.next()) {
					this.columns.add(names.getString(1));
				}
			}
		}
		for (String column : wanted) {
			if (this.columns.add(column)) {
				PostgresSchema.executeIgnoringConcurrentCreate(connection,
						"ALTER TABLE \"" + this.table + "\" ADD COLUMN IF NOT EXISTS \"" + column + "\" TEXT");
			}
		}
		this.upserts.values().forEach(Closeables::closeQuietly);
		this.upserts.clear();
	}

	// ---- connections ----

	/**
	 * A new connection; connecting and logging in take at most {@code bound} (whole
	 * seconds, at least one), and a listener's statements at most
	 * {@value #LISTEN_SOCKET_TIMEOUT_SECONDS} s.
	 */
	private Connection open(String role, Duration bound) throws SQLException {
		String seconds = String.valueOf(Math.max(1, (bound.toMillis() + 999) / 1000));
		Properties properties = new Properties();
		properties.putAll(this.credentials);
		properties.setProperty("ApplicationName", "bubus:" + name() + ":" + role);
		properties.setProperty("connectTimeout", seconds);
		properties.setProperty("loginTimeout", seconds);
		properties.setProperty("socketTimeout", String.valueOf(LISTEN_SOCKET_TIMEOUT_SECONDS));
		properties.setProperty("tcpKeepAlive", "true");
		return DriverManager.getConnection(this.jdbcUrl, properties);
	}

	private static boolean isConnectionFailure(SQLException ex, @Nullable Connection connection) {
		String state = String.valueOf(ex.getSQLState());
		if (state.startsWith("08") || state.startsWith("57P")) {
			return true;
		}
		try {
			return connection == null || connection.isClosed();
		}
		catch (SQLException closed) {
			return true;
		}
	}

	private static Properties credentials(@Nullable String rawUserInfo) {
		Properties properties = new Properties();
		if (rawUserInfo == null || rawUserInfo.isEmpty()) {
			return properties;
		}
		int colon = rawUserInfo.indexOf(':');
		String user = (colon < 0) ? rawUserInfo : rawUserInfo.substring(0, colon);
		properties.setProperty("user", decode(user));
		if (colon >= 0) {
			properties.setProperty("password", decode(rawUserInfo.substring(colon + 1)));
		}
		return properties;
	}

	/** Percent-decoding only: a '+' in a URL's user info is a plus, not a space. */
	private static String decode(String raw) {
		return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
	}

	private static Duration min(Duration a, Duration b) {
		return (a.compareTo(b) <= 0) ? a : b;
	}

}
