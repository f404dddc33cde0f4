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
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.LockSupport;

import io.bubus.BaseEvent;
import io.bubus.bridge.BridgeException;
import io.bubus.bridge.EventBridge;
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
 * {@code pg_notify(channel, <JSON-quoted event id>)}; the listener fetches each notified
 * row and emits it on the inbound bus.
 * <p>
 * The URL is {@code postgresql://user:pass@host:5432/dbname[/tablename]?sslmode=…}; the
 * table defaults to {@code bubus_events}, the channel to {@code bubus_events}.
 * <p>
 * Delivery: durable, each event id delivered once per listener. Rows stay in the table.
 * When the listening connection drops (server restart, terminated backend, network), the
 * listener reconnects with backoff (100 ms doubling to 5 s, forever) and then reads the
 * rows it may have missed: those created from {@code catchUpWindow} (default 60 s) before
 * the connection was last known alive. Event ids already delivered (the last 100,000) are
 * skipped, so nothing arrives twice. An event created more than {@code catchUpWindow}
 * before it was written during an outage is not caught up. A listener starts with new
 * rows only; history is not replayed.
 * <p>
 * Reconnect on send: a write that fails because the connection broke is retried on a new
 * connection with backoff for up to 10 s, then fails with {@link BridgeException}. The
 * upsert is idempotent, so a retry after a lost acknowledgement does not duplicate the
 * event.
 * <p>
 * Requires {@code org.postgresql:postgresql}.
 */
public class PostgresEventBridge extends EventBridge {

	/** The default table and channel. */
	public static final String DEFAULT_TABLE = "bubus_events";

	/** The default catch-up window after a reconnect. */
	public static final Duration DEFAULT_CATCH_UP_WINDOW = Duration.ofSeconds(60);

	private static final Logger log = LoggerFactory.getLogger(PostgresEventBridge.class);

	private static final int MAX_IDENTIFIER = 63;

	private static final int SEEN_CAPACITY = 100_000;

	private static final Duration SEND_TIMEOUT = Duration.ofSeconds(10);

	private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

	private static final int WAIT_MILLIS = 500;

	/** Bind parameters in one statement, well under the protocol's limit of 65,535. */
	private static final int MAX_PARAMETERS = 30_000;

	private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'")
		.withZone(ZoneOffset.UTC);

	private final String jdbcUrl;

	private final Properties credentials;

	private final String table;

	private final String channel;

	private final Duration catchUpWindow;

	private final Object writeLock = new Object();

	private final Map<String, PreparedStatement> upserts = new HashMap<>();

	private final Set<String> columns = new HashSet<>();

	private final Set<String> seen = java.util.Collections.newSetFromMap(new LinkedHashMap<>() {
		@Override
		protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
			return size() > SEEN_CAPACITY;
		}
	});

	private final SendQueue<Map<String, @Nullable String>> sends = new SendQueue<>(this,
			(event) -> FlatRow.columns(toWire(event)), this::writeRows);

	private @Nullable Connection writer;

	private volatile @Nullable Thread listener;

	private volatile long reconnects;

	/** A bridge on the table of this URL and the default channel. */
	public PostgresEventBridge(String tableUrl) {
		this(tableUrl, null, null);
	}

	/** A bridge on the table of this URL and this channel ({@code null} = default). */
	public PostgresEventBridge(String tableUrl, @Nullable String channel, @Nullable String name) {
		this(tableUrl, channel, name, DEFAULT_CATCH_UP_WINDOW);
	}

	/** A bridge with its own catch-up window (see the class description). */
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
			this.catchUpWindow = catchUpWindow;
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
			long deadline = System.nanoTime() + SEND_TIMEOUT.toNanos();
			Duration backoff = Duration.ofMillis(50);
			while (true) {
				try {
					upsertAndNotify(rows);
					return;
				}
				catch (SQLException ex) {
					if (!isConnectionFailure(ex, this.writer) || System.nanoTime() > deadline) {
						throw new BridgeException("bridge " + name() + " could not write to table " + this.table + " ("
								+ this.jdbcUrl + "): " + ex.getMessage(), ex);
					}
					log.warn("bridge {} lost its send connection, retrying in {} ms: {}", name(), backoff.toMillis(),
							ex.getMessage());
					closeWriter();
					LockSupport.parkNanos(backoff.toNanos());
					backoff = min(backoff.multipliedBy(2), Duration.ofSeconds(1));
				}
			}
		}
	}

	@Override
	protected void startListening() {
		Connection connection;
		try {
			connection = openListener();
			rememberExistingRows(connection, Instant.now().minus(this.catchUpWindow));
		}
		catch (SQLException ex) {
			throw new BridgeException(
					"bridge " + name() + " could not LISTEN on " + this.jdbcUrl + ": " + ex.getMessage(), ex);
		}
		Thread thread = Thread.ofPlatform()
			.daemon()
			.name("bubus-postgres-" + name())
			.unstarted(() -> listen(connection));
		this.listener = thread;
		thread.start();
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
			thread.join(Duration.ofMillis(WAIT_MILLIS * 4L));
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

	// ---- listening ----

	private boolean listening() {
		return this.listener == Thread.currentThread();
	}

	private void listen(Connection first) {
		@Nullable Connection connection = first;
		Instant aliveAt = Instant.now();
		Duration backoff = Duration.ofMillis(100);
		while (listening()) {
			try {
				if (connection == null) {
					connection = openListener();
					this.reconnects++;
					log.info("bridge {} reconnected to {}, catching up", name(), this.jdbcUrl);
					catchUp(connection, aliveAt.minus(this.catchUpWindow));
					backoff = Duration.ofMillis(100);
				}
				Instant before = Instant.now();
				PGNotification[] notifications = connection.unwrap(PGConnection.class).getNotifications(WAIT_MILLIS);
				aliveAt = before;
				if (notifications != null) {
					fetchAndDeliver(connection, notifications);
				}
			}
			catch (SQLException | RuntimeException ex) {
				if (!listening()) {
					break;
				}
				log.warn("bridge {} lost its LISTEN connection, reconnecting in {} ms: {}", name(), backoff.toMillis(),
						ex.getMessage());
				Closeables.closeQuietly(connection);
				connection = null;
				LockSupport.parkNanos(backoff.toNanos());
				backoff = min(backoff.multipliedBy(2), MAX_BACKOFF);
			}
		}
		Closeables.closeQuietly(connection);
	}

	private Connection openListener() throws SQLException {
		Connection connection = open("listen");
		try {
			createTable(connection);
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

	/**
	 * Reads the notified rows not yet delivered in one query and delivers them in the
	 * order they were notified.
	 */
	private void fetchAndDeliver(Connection connection, PGNotification[] notifications) throws SQLException {
		Set<String> ids = new LinkedHashSet<>();
		for (PGNotification notification : notifications) {
			String id = notification.getParameter();
			if (this.channel.equals(notification.getName()) && id != null && !id.isEmpty() && !this.seen.contains(id)) {
				ids.add(id);
			}
		}
		if (ids.isEmpty()) {
			return;
		}
		Map<String, Map<String, @Nullable String>> rows = new HashMap<>();
		try (PreparedStatement select = connection
			.prepareStatement("SELECT * FROM \"" + this.table + "\" WHERE \"event_id\" = ANY(?)")) {
			select.setArray(1, connection.createArrayOf("text", ids.toArray()));
			try (ResultSet found = select.executeQuery()) {
				while (found.next()) {
					Map<String, @Nullable String> row = FlatRow.read(found);
					rows.put(row.get(FlatRow.ID), row);
				}
			}
		}
		for (String id : ids) {
			Map<String, @Nullable String> row = rows.get(id);
			if (row != null) {
				deliver(row);
			}
		}
	}

	/**
	 * Reads the rows created since {@code since}, oldest first, skipping ids already
	 * delivered.
	 */
	private void catchUp(Connection connection, Instant since) throws SQLException {
		String sql = "SELECT * FROM \"" + this.table
				+ "\" WHERE \"event_created_at\" >= ? ORDER BY \"event_created_at\", \"event_id\"";
		try (PreparedStatement select = connection.prepareStatement(sql)) {
			select.setString(1, "\"" + TIMESTAMP.format(since) + "\"");
			try (ResultSet rows = select.executeQuery()) {
				while (rows.next()) {
					deliver(FlatRow.read(rows));
				}
			}
		}
	}

	/**
	 * Marks recent rows as seen, so a catch-up does not replay rows older than this
	 * listener.
	 */
	private void rememberExistingRows(Connection connection, Instant since) throws SQLException {
		try (PreparedStatement select = connection
			.prepareStatement("SELECT \"event_id\" FROM \"" + this.table + "\" WHERE \"event_created_at\" >= ?")) {
			select.setString(1, "\"" + TIMESTAMP.format(since) + "\"");
			try (ResultSet ids = select.executeQuery()) {
				while (ids.next()) {
					this.seen.add(ids.getString(1));
				}
			}
		}
	}

	private void deliver(Map<String, @Nullable String> row) {
		String id = row.get(FlatRow.ID);
		if (id == null || !this.seen.add(id)) {
			return;
		}
		receiveRow(row);
	}

	// ---- sending ----

	/**
	 * The rows in one statement (the common case) or, when they need several, in one
	 * transaction.
	 */
	private void upsertAndNotify(List<Map<String, @Nullable String>> rows) throws SQLException {
		Connection connection = writer();
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

	private Connection writer() throws SQLException {
		if (this.writer == null) {
			Connection connection = open("send");
			try {
				createTable(connection);
			}
			catch (SQLException ex) {
				Closeables.closeQuietly(connection);
				throw ex;
			}
			this.writer = connection;
		}
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

	private void createTable(Connection connection) throws SQLException {
		String createdAtIndex = BridgeNames.truncate(this.table + "_event_created_at_idx", MAX_IDENTIFIER);
		String typeIndex = BridgeNames.truncate(this.table + "_event_type_idx", MAX_IDENTIFIER);
		List<String> ddl = List.of("CREATE TABLE IF NOT EXISTS \"" + this.table
				+ "\" (\"event_id\" TEXT PRIMARY KEY, \"event_created_at\" TEXT, \"event_type\" TEXT, \"event_payload\" TEXT)",
				"CREATE INDEX IF NOT EXISTS \"" + createdAtIndex + "\" ON \"" + this.table
						+ "\" (\"event_created_at\")",
				"CREATE INDEX IF NOT EXISTS \"" + typeIndex + "\" ON \"" + this.table + "\" (\"event_type\")");
		for (String sql : ddl) {
			executeIgnoringConcurrentCreate(connection, sql);
		}
	}

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
				executeIgnoringConcurrentCreate(connection,
						"ALTER TABLE \"" + this.table + "\" ADD COLUMN IF NOT EXISTS \"" + column + "\" TEXT");
			}
		}
		this.upserts.values().forEach(Closeables::closeQuietly);
		this.upserts.clear();
	}

	/**
	 * {@code IF NOT EXISTS} still fails when two sessions create the same object at once.
	 */
	private static void executeIgnoringConcurrentCreate(Connection connection, String sql) throws SQLException {
		try (Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
		catch (SQLException ex) {
			String state = String.valueOf(ex.getSQLState());
			if (!state.equals("23505") && !state.equals("42P07") && !state.equals("42701")) {
				throw ex;
			}
		}
	}

	// ---- connections ----

	private Connection open(String role) throws SQLException {
		Properties properties = new Properties();
		properties.putAll(this.credentials);
		properties.setProperty("ApplicationName", "bubus:" + name() + ":" + role);
		properties.setProperty("connectTimeout", "10");
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
