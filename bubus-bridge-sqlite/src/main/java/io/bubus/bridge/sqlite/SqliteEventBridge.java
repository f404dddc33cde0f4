package io.bubus.bridge.sqlite;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
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
import java.util.Set;
import java.util.TreeSet;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * A bridge over a table in a SQLite file, shared by any number of processes on one
 * machine (and by Python and TypeScript bubus, which use the same table layout):
 * {@link #emit} upserts one row per event; listening polls for rows added since the last
 * one read, every {@code pollInterval}.
 * <p>
 * The table (default {@code bubus_events}) has a column per {@code event_*} field with
 * that field's JSON encoding, and {@code event_payload} with the whole event; columns are
 * added as new {@code event_*} fields appear. Connections use WAL and wait up to 30 s for
 * a lock held by another process.
 * <p>
 * Order: a parent's row is written before its children's. Python and TypeScript bubus
 * read the table in {@code (event_created_at, event_id)} order from a cursor and skip a
 * row committed after one created later; and a forwarder on {@code "*"} runs after an
 * event's own handlers, so a handler that emits and awaits a child forwards the child
 * first. An event whose parent, in this process, is still being handled and was not
 * written by this bridge yet is therefore held back: it is written right after its
 * parent's row, or when the parent completes without being sent here, or at
 * {@link #close()}; its {@code emit} returns before that. Events from unrelated senders
 * written concurrently can still commit out of creation order; the Java listener reads in
 * commit order and misses none.
 * <p>
 * Delivery: durable, each row delivered once per listener. A committed row stays in the
 * file (SQLite's default {@code synchronous=FULL}, so it survives a crash of the process
 * or the machine). The listener reads in commit order ({@code rowid}), so an event
 * written late, such as one created earlier and forwarded after a backlog, is not
 * skipped. A listener starts after the last existing row; one started with
 * {@link #fromCursor(long)} at an earlier {@link #cursor()} receives every row written
 * while it was away; {@link #onRead(ReadPositionListener)} tells the cursor after each
 * row, with the event received for it, so that an application can store the cursor of the
 * last event it has handled. A cursor past the last row (the table was emptied, or the
 * file replaced) starts over at the first row, with a warning. Upserting an event id that
 * was already read does not deliver it again.
 * <p>
 * Reconnect: there is no connection to lose. A locked or busy database is waited for
 * (busy timeout); a poll that fails anyway is logged and retried at the next poll.
 * <p>
 * Requires {@code org.xerial:sqlite-jdbc}.
 */
public class SqliteEventBridge extends EventBridge implements ResumableBridge {

	/** The default table. */
	public static final String DEFAULT_TABLE = "bubus_events";

	/** The default poll interval. */
	public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(250);

	private static final Logger log = LoggerFactory.getLogger(SqliteEventBridge.class);

	private static final int BUSY_TIMEOUT_MILLIS = 30_000;

	private static final int BATCH = 500;

	private final Path path;

	private final String table;

	private final Duration pollInterval;

	private final Object writeLock = new Object();

	private final Map<String, PreparedStatement> upserts = new HashMap<>();

	private final Set<String> columns = new HashSet<>();

	private final SendQueue<Map<String, @Nullable String>> sends = new SendQueue<>(this,
			(event) -> FlatRow.columns(toWire(event)), this::writeRows);

	/** The most events held back for their parents at a time. */
	static final int MAX_HELD = 10_000;

	private final ParentFirstOrder order = new ParentFirstOrder(this.sends::emit, this::heldSendFailed, this::heldFull,
			MAX_HELD);

	private volatile boolean heldFullLogged;

	private @Nullable Connection writer;

	private volatile long cursor = -1;

	private volatile @Nullable Thread poller;

	/** A bridge on the default table of this file, polling every 250 ms. */
	public SqliteEventBridge(Path path) {
		this(path, DEFAULT_TABLE, DEFAULT_POLL_INTERVAL, null);
	}

	/** A bridge on this table of this file. */
	public SqliteEventBridge(Path path, String table, Duration pollInterval, @Nullable String name) {
		super(name, DEFAULT_MAX_MESSAGE_BYTES);
		try {
			if (pollInterval.isNegative() || pollInterval.isZero()) {
				throw new IllegalArgumentException("pollInterval must be > 0, got " + pollInterval);
			}
			this.path = path.toAbsolutePath();
			this.table = BridgeNames.identifier("table name", table);
			this.pollInterval = pollInterval;
		}
		catch (RuntimeException ex) {
			throw abandon(ex);
		}
	}

	/**
	 * Starts listening after this {@link #cursor()} instead of after the last row
	 * (resume).
	 */
	public SqliteEventBridge fromCursor(long rowid) {
		if (isStarted()) {
			throw new IllegalStateException("fromCursor must be called before the bridge starts");
		}
		this.cursor = rowid;
		return this;
	}

	/** Same as {@link #fromCursor(long)}. */
	@Override
	public SqliteEventBridge resumeFrom(long position) {
		return fromCursor(position);
	}

	/** {@code "cursor"}: positions are {@code rowid}s. */
	@Override
	public String positionUnit() {
		return "cursor";
	}

	/**
	 * Tells this listener the cursor after each row read, with the event received for it
	 * (see {@link ReadPositionListener}); before the bridge starts.
	 * @param listener the listener
	 * @return this bridge
	 */
	@Override
	public SqliteEventBridge onRead(ReadPositionListener listener) {
		readPositions("onRead", listener);
		return this;
	}

	/**
	 * The {@code rowid} of the last row read, to resume from later ({@code -1} before
	 * start).
	 */
	public long cursor() {
		return this.cursor;
	}

	/** The database file. */
	public Path path() {
		return this.path;
	}

	/** The table. */
	public String table() {
		return this.table;
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * An event whose parent is still being handled in this process and was not sent
	 * through this bridge yet is held back, so that the parent's row comes first (see the
	 * class description); {@code emit} then returns before it is written.
	 */
	@Override
	public BaseEvent<?> emit(BaseEvent<?> event) {
		if (!this.order.emit(event)) {
			// held back: fail now rather than later if it cannot be encoded
			FlatRow.columns(toWire(event));
		}
		return event;
	}

	/** Events held back for their parent's row (see {@link #emit}). */
	public int heldEvents() {
		return this.order.held();
	}

	private void heldSendFailed(BaseEvent<?> event, RuntimeException failure) {
		log.error("bridge {} could not write {} {}, held back for its parent's row: {}", name(), event.eventType(),
				event.eventId(), failure.getMessage());
		countLost(1, "could not write an event held back for its parent's row");
	}

	private void heldFull() {
		if (!this.heldFullLogged) {
			this.heldFullLogged = true;
			log.warn("bridge {} holds {} events for their parents' rows; later ones are written at once, before their "
					+ "parents (Python and TypeScript readers may skip such a parent)", name(), MAX_HELD);
		}
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * Each batch is one transaction, so one commit (and one sync of the write-ahead log).
	 */
	@Override
	public SqliteEventBridge batchSends(SendBatching batching) {
		super.batchSends(batching);
		return this;
	}

	@Override
	protected SendQueue<?> sends() {
		return this.sends;
	}

	/** The rows in one transaction (a single row commits on its own). */
	private void writeRows(List<Map<String, @Nullable String>> rows) {
		synchronized (this.writeLock) {
			Connection connection = null;
			try {
				connection = writer();
				Set<String> names = new TreeSet<>();
				rows.forEach((row) -> names.addAll(row.keySet()));
				addMissingColumns(connection, names);
				if (rows.size() == 1) {
					upsert(connection, rows.get(0));
					return;
				}
				connection.setAutoCommit(false);
				for (Map<String, @Nullable String> row : rows) {
					upsert(connection, row);
				}
				connection.commit();
			}
			catch (SQLException ex) {
				Closeables.rollbackQuietly(connection);
				throw new BridgeException("bridge " + name() + " could not write to " + this.path + " table "
						+ this.table + ": " + ex.getMessage(), ex);
			}
			finally {
				Closeables.autoCommitQuietly(connection);
			}
		}
	}

	private void upsert(Connection connection, Map<String, @Nullable String> row) throws SQLException {
		PreparedStatement upsert = upsert(connection, new ArrayList<>(row.keySet()));
		int index = 1;
		for (String value : row.values()) {
			upsert.setString(index++, value);
		}
		upsert.executeUpdate();
	}

	@Override
	protected void startListening() {
		Connection reader;
		try {
			reader = open();
			createTable(reader);
			long last = lastRowid(reader);
			if (this.cursor < 0) {
				this.cursor = last;
			}
			else if (this.cursor > last) {
				log.warn("bridge {}: cursor {} is past the last row {} of {} table {} (emptied or replaced); "
						+ "reading from the first row", name(), this.cursor, last, this.path, this.table);
				this.cursor = 0;
			}
		}
		catch (SQLException ex) {
			throw new BridgeException("bridge " + name() + " could not open " + this.path + ": " + ex.getMessage(), ex);
		}
		reportPosition(this.cursor, null);
		Thread thread = Thread.ofPlatform().daemon().name("bubus-sqlite-" + name()).unstarted(() -> poll(reader));
		this.poller = thread;
		thread.start();
	}

	@Override
	protected void stopListening() {
		Thread thread = this.poller;
		this.poller = null;
		if (thread != null) {
			LockSupport.unpark(thread);
		}
	}

	@Override
	public void close() {
		this.order.close();
		super.close();
		synchronized (this.writeLock) {
			Closeables.closeQuietly(this.writer);
			this.writer = null;
			this.upserts.clear();
			this.columns.clear();
		}
	}

	private void poll(Connection reader) {
		try (reader) {
			while (this.poller == Thread.currentThread()) {
				int read = readNewRows(reader);
				if (read < BATCH) {
					LockSupport.parkNanos(this.pollInterval.toNanos());
				}
			}
		}
		catch (SQLException ex) {
			log.debug("bridge {} could not close its reader: {}", name(), ex.toString());
		}
	}

	/** Reads up to one batch of rows after the cursor, in commit order. */
	private int readNewRows(Connection reader) {
		String sql = "SELECT _rowid_ AS bubus_rowid, * FROM \"" + this.table
				+ "\" WHERE _rowid_ > ? ORDER BY _rowid_ LIMIT " + BATCH;
		int read = 0;
		try (PreparedStatement select = reader.prepareStatement(sql)) {
			select.setLong(1, this.cursor);
			try (ResultSet rows = select.executeQuery()) {
				while (rows.next() && this.poller == Thread.currentThread()) {
					long rowid = rows.getLong("bubus_rowid");
					BaseEvent<?> event;
					try {
						event = receiveRowEvent(FlatRow.read(rows));
					}
					catch (IllegalStateException closing) {
						break;
					}
					this.cursor = rowid;
					reportPosition(rowid, event);
					read++;
				}
			}
		}
		catch (SQLException | RuntimeException ex) {
			log.warn("bridge {} could not read {} table {} (retrying at the next poll): {}", name(), this.path,
					this.table, ex.toString());
		}
		return read;
	}

	private Connection writer() throws SQLException {
		if (this.writer == null) {
			Connection connection = open();
			createTable(connection);
			this.writer = connection;
		}
		return this.writer;
	}

	private Connection open() throws SQLException {
		try {
			Files.createDirectories(this.path.getParent());
		}
		catch (java.io.IOException ex) {
			throw new SQLException("could not create the directory of " + this.path + ": " + ex, ex);
		}
		SQLiteConfig config = new SQLiteConfig();
		config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
		config.setJournalMode(SQLiteConfig.JournalMode.WAL);
		SQLException last = null;
		// switching to WAL needs a moment without other writers; another process may hold
		// one
		for (int attempt = 0; attempt < 20; attempt++) {
			try {
				return config.createConnection("jdbc:sqlite:" + this.path);
			}
			catch (SQLException ex) {
				if (!isLocked(ex)) {
					throw ex;
				}
				last = ex;
				LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
			}
		}
		throw last;
	}

	private void createTable(Connection connection) throws SQLException {
		try (Statement ddl = connection.createStatement()) {
			ddl.execute("CREATE TABLE IF NOT EXISTS \"" + this.table
					+ "\" (\"event_id\" TEXT PRIMARY KEY, \"event_created_at\" TEXT, \"event_type\" TEXT, \"event_payload\" JSON)");
			ddl.execute("CREATE INDEX IF NOT EXISTS \"" + this.table + "_event_created_at_idx\" ON \"" + this.table
					+ "\" (\"event_created_at\")");
			ddl.execute("CREATE INDEX IF NOT EXISTS \"" + this.table + "_event_type_idx\" ON \"" + this.table
					+ "\" (\"event_type\")");
		}
	}

	private void addMissingColumns(Connection connection, Set<String> wanted) throws SQLException {
		if (this.columns.containsAll(wanted)) {
			return;
		}
		readColumns(connection);
		for (String column : wanted) {
			if (this.columns.contains(column)) {
				continue;
			}
			try (Statement ddl = connection.createStatement()) {
				ddl.execute("ALTER TABLE \"" + this.table + "\" ADD COLUMN \"" + column + "\" TEXT");
			}
			catch (SQLException ex) {
				// another process added it first
				if (!String.valueOf(ex.getMessage()).contains("duplicate column name")) {
					throw ex;
				}
			}
			this.columns.add(column);
		}
		this.upserts.values().forEach(Closeables::closeQuietly);
		this.upserts.clear();
	}

	private void readColumns(Connection connection) throws SQLException {
		try (Statement query = connection.createStatement();
				ResultSet info = query.executeQuery("PRAGMA table_info(\"" + this.table + "\")")) {
			while (info.next()) {
				this.columns.add(info.getString("name"));
			}
		}
	}

	private PreparedStatement upsert(Connection connection, List<String> names) throws SQLException {
		String key = String.join(",", names);
		PreparedStatement cached = this.upserts.get(key);
		if (cached != null) {
			return cached;
		}
		PreparedStatement statement = connection.prepareStatement(FlatRow.upsertSql(this.table, names, "json(?)", 1));
		this.upserts.put(key, statement);
		return statement;
	}

	private long lastRowid(Connection connection) throws SQLException {
		try (Statement query = connection.createStatement();
				ResultSet max = query.executeQuery("SELECT COALESCE(MAX(_rowid_), 0) FROM \"" + this.table + "\"")) {
			max.next();
			return max.getLong(1);
		}
	}

	private static boolean isLocked(SQLException ex) {
		String message = String.valueOf(ex.getMessage());
		return message.contains("SQLITE_BUSY") || message.contains("locked");
	}

}
