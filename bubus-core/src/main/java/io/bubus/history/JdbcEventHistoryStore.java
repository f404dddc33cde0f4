package io.bubus.history;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import javax.sql.DataSource;

import io.bubus.BaseEvent;
import io.bubus.EventHistoryStore;
import io.bubus.internal.SqlitePragmas;
import org.jspecify.annotations.Nullable;

/**
 * An {@link EventHistoryStore} in one table of a PostgreSQL or SQLite database, through
 * JDBC. Each row is one event of one bus: {@code eventbus_name}, {@code event_id}
 * (together the primary key), {@code event_type}, {@code event_created_at_us} (epoch
 * microseconds), {@code event_parent_id}, {@code event_status}, {@code event_json} (the
 * bubus JSON with results, as {@link BaseEvent#toJson()} writes it) and
 * {@code stored_at}. The table and its indexes are created when missing; the default
 * table name is {@code bubus_event_history}.
 *
 * {@snippet :
 * EventHistoryStore store = JdbcEventHistoryStore.sqlite(Path.of("data/history.db"));
 * EventBus bus = EventBus.builder("Orders").maxHistorySize(100).maxHistoryDrop(true).historyStore(store).build();
 * // after a restart, or once the event has left the in-memory history:
 * Optional<OrderPlaced> placed = bus.find(OrderPlaced.class).where((e) -> e.orderId.equals("o-1")).get();
 * }
 *
 * <h2>Connections</h2> {@link #sqlite(Path)} and {@link #postgres(String)} keep one
 * connection, shared under a lock and reopened after a failure (a restarted server).
 * {@link #JdbcEventHistoryStore(DataSource)} borrows a connection from the data source
 * for each operation: use it with a connection pool (in Spring Boot, the application's
 * {@code DataSource}). SQLite connections use the WAL journal, {@code synchronous=NORMAL}
 * and a 30 s busy timeout, so several processes can share one file. Writes run on the
 * thread that completes the event, one statement each.
 * <p>
 * Needs the optional dependency {@code org.xerial:sqlite-jdbc} or
 * {@code org.postgresql:postgresql}. Rows are kept until
 * {@link #deleteCreatedBefore(Instant)} removes them.
 */
public final class JdbcEventHistoryStore implements EventHistoryStore {

	/** The default table name. */
	public static final String DEFAULT_TABLE = "bubus_event_history";

	private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

	private static final int PAGE = 100;

	private final Connections connections;

	private final String table;

	private final String upsert;

	private final String description;

	/**
	 * A store borrowing a connection from the data source for each operation, in the
	 * default table.
	 * @param dataSource a PostgreSQL or SQLite data source, preferably pooled
	 */
	public JdbcEventHistoryStore(DataSource dataSource) {
		this(dataSource, DEFAULT_TABLE);
	}

	/**
	 * A store borrowing a connection from the data source for each operation.
	 * @param dataSource a PostgreSQL or SQLite data source, preferably pooled
	 * @param table the table name (letters, digits, underscores)
	 */
	public JdbcEventHistoryStore(DataSource dataSource, String table) {
		this(new Borrowed(Objects.requireNonNull(dataSource, "dataSource")), table, dataSource.toString());
	}

	private JdbcEventHistoryStore(Connections connections, String table, String description) {
		if (!IDENTIFIER.matcher(table).matches()) {
			throw new IllegalArgumentException(
					"History table name must be letters, digits and underscores (at most 63), got: " + table);
		}
		this.connections = connections;
		this.table = table;
		this.description = description;
		this.upsert = "INSERT INTO " + table + " (eventbus_name, event_id, event_type, event_created_at_us, "
				+ "event_parent_id, event_status, event_json) VALUES (?, ?, ?, ?, ?, ?, ?) "
				+ "ON CONFLICT (eventbus_name, event_id) DO UPDATE SET event_type = excluded.event_type, "
				+ "event_created_at_us = excluded.event_created_at_us, event_parent_id = excluded.event_parent_id, "
				+ "event_status = excluded.event_status, event_json = excluded.event_json, "
				+ "stored_at = CURRENT_TIMESTAMP";
		createSchema();
	}

	/**
	 * A store in an SQLite file (created, with its parent directories, when missing), in
	 * the default table.
	 * @throws IllegalStateException when sqlite-jdbc is not on the class path or the file
	 * cannot be opened
	 */
	public static JdbcEventHistoryStore sqlite(Path file) {
		return sqlite(file, DEFAULT_TABLE);
	}

	/**
	 * A store in a table of an SQLite file (created, with its parent directories, when
	 * missing).
	 * @throws IllegalStateException when sqlite-jdbc is not on the class path or the file
	 * cannot be opened
	 */
	public static JdbcEventHistoryStore sqlite(Path file, String table) {
		requireDriver("org.sqlite.JDBC", "org.xerial:sqlite-jdbc");
		Path path = file.toAbsolutePath();
		try {
			Path parent = path.getParent();
			if (parent != null) {
				Files.createDirectories(parent);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot create the directory of " + path, ex);
		}
		return new JdbcEventHistoryStore(new Shared("jdbc:sqlite:" + path), table, path.toString());
	}

	/**
	 * A store in a PostgreSQL database, in the default table.
	 * @param jdbcUrl {@code jdbc:postgresql://host:port/database?user=...}
	 * @throws IllegalStateException when the PostgreSQL driver is not on the class path
	 * or the database cannot be reached
	 */
	public static JdbcEventHistoryStore postgres(String jdbcUrl) {
		return postgres(jdbcUrl, DEFAULT_TABLE);
	}

	/**
	 * A store in a table of a PostgreSQL database.
	 * @param jdbcUrl {@code jdbc:postgresql://host:port/database?user=...}
	 * @param table the table name (letters, digits, underscores)
	 * @throws IllegalStateException when the PostgreSQL driver is not on the class path
	 * or the database cannot be reached
	 */
	public static JdbcEventHistoryStore postgres(String jdbcUrl, String table) {
		if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
			throw new IllegalArgumentException("PostgreSQL JDBC URL must start with jdbc:postgresql:, got: "
					+ jdbcUrl.replaceAll("password=[^&]*", "password=******"));
		}
		requireDriver("org.postgresql.Driver", "org.postgresql:postgresql");
		return new JdbcEventHistoryStore(new Shared(jdbcUrl), table,
				jdbcUrl.replaceAll("password=[^&]*", "password=******"));
	}

	private static void requireDriver(String driver, String dependency) {
		try {
			Class.forName(driver);
		}
		catch (ClassNotFoundException ex) {
			throw new IllegalStateException(
					"JdbcEventHistoryStore requires the optional dependency " + dependency + "; add it to your build",
					ex);
		}
	}

	/** The table this store uses. */
	public String table() {
		return this.table;
	}

	private void createSchema() {
		List<String> statements = List.of(
				"CREATE TABLE IF NOT EXISTS " + this.table + " (eventbus_name TEXT NOT NULL, event_id TEXT NOT NULL, "
						+ "event_type TEXT NOT NULL, event_created_at_us BIGINT NOT NULL, event_parent_id TEXT, "
						+ "event_status TEXT NOT NULL, event_json TEXT NOT NULL, "
						+ "stored_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, PRIMARY KEY (eventbus_name, event_id))",
				"CREATE INDEX IF NOT EXISTS " + this.table + "_by_type ON " + this.table
						+ " (eventbus_name, event_type, event_created_at_us)",
				"CREATE INDEX IF NOT EXISTS " + this.table + "_by_time ON " + this.table
						+ " (eventbus_name, event_created_at_us)",
				"CREATE INDEX IF NOT EXISTS " + this.table + "_created ON " + this.table + " (event_created_at_us)");
		SQLException last = null;
		// two processes creating the same PostgreSQL table at once: one of them gets a
		// unique violation on the catalog; the second try sees the table
		for (int attempt = 0; attempt < 3; attempt++) {
			try {
				run((connection) -> {
					try (Statement statement = connection.createStatement()) {
						for (String sql : statements) {
							statement.execute(sql);
						}
					}
					return null;
				});
				return;
			}
			catch (SQLException ex) {
				last = ex;
			}
		}
		this.connections.close();
		throw new IllegalStateException(
				"Cannot create the history table " + this.table + " in " + this.description + ": " + last.getMessage(),
				last);
	}

	@Override
	public void save(String busName, BaseEvent<?> event) {
		String json = event.toJson();
		try {
			run((connection) -> {
				try (PreparedStatement statement = connection.prepareStatement(this.upsert)) {
					statement.setString(1, busName);
					statement.setString(2, event.eventId());
					statement.setString(3, event.eventType());
					statement.setLong(4, micros(event.eventCreatedAt()));
					statement.setString(5, event.eventParentId());
					statement.setString(6, event.eventStatus().wireValue());
					statement.setString(7, json);
					statement.executeUpdate();
				}
				return null;
			});
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Cannot store event " + event.eventId() + " of bus " + busName + " in "
					+ this.table + ": " + ex.getMessage(), ex);
		}
	}

	@Override
	public Optional<String> get(String busName, String eventId) {
		try {
			return Optional.ofNullable(run((connection) -> {
				try (PreparedStatement statement = connection.prepareStatement(
						"SELECT event_json FROM " + this.table + " WHERE eventbus_name = ? AND event_id = ?")) {
					statement.setString(1, busName);
					statement.setString(2, eventId);
					try (ResultSet rows = statement.executeQuery()) {
						return rows.next() ? rows.getString(1) : null;
					}
				}
			}));
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Cannot read event " + eventId + " of bus " + busName + " from "
					+ this.table + ": " + ex.getMessage(), ex);
		}
	}

	@Override
	public Stream<String> newestFirst(String busName, @Nullable String eventType, @Nullable Instant createdSince) {
		Pages pages = new Pages(busName, eventType, (createdSince != null) ? micros(createdSince) : null);
		return StreamSupport.stream(pages, false);
	}

	@Override
	public int deleteCreatedBefore(Instant createdBefore) {
		try {
			Integer deleted = run((connection) -> {
				try (PreparedStatement statement = connection
					.prepareStatement("DELETE FROM " + this.table + " WHERE event_created_at_us < ?")) {
					statement.setLong(1, micros(createdBefore));
					return statement.executeUpdate();
				}
			});
			return Objects.requireNonNull(deleted);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Cannot delete old events from " + this.table + ": " + ex.getMessage(), ex);
		}
	}

	@Override
	public void close() {
		this.connections.close();
	}

	@Override
	public String toString() {
		return "JdbcEventHistoryStore(" + this.description + ", " + this.table + ")";
	}

	private static long micros(Instant instant) {
		return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
	}

	private <T> @Nullable T run(Work<T> work) throws SQLException {
		Connection connection = this.connections.borrow();
		boolean broken = false;
		try {
			return work.run(connection);
		}
		catch (SQLException ex) {
			broken = true;
			throw ex;
		}
		finally {
			this.connections.giveBack(connection, broken);
		}
	}

	/** One unit of work on a connection. */
	@FunctionalInterface
	private interface Work<T> {

		@Nullable T run(Connection connection) throws SQLException;

	}

	/** Reads a bus's rows newest first, one page per query, as the stream asks. */
	private final class Pages extends Spliterators.AbstractSpliterator<String> {

		private final String busName;

		private final @Nullable String eventType;

		private final @Nullable Long since;

		private final ArrayDeque<String> buffer = new ArrayDeque<>();

		private @Nullable Long lastCreated;

		private @Nullable String lastId;

		private boolean exhausted;

		Pages(String busName, @Nullable String eventType, @Nullable Long since) {
			super(Long.MAX_VALUE, Spliterator.ORDERED | Spliterator.NONNULL);
			this.busName = busName;
			this.eventType = eventType;
			this.since = since;
		}

		@Override
		public boolean tryAdvance(Consumer<? super String> action) {
			if (this.buffer.isEmpty() && !this.exhausted) {
				fetch();
			}
			String next = this.buffer.poll();
			if (next == null) {
				return false;
			}
			action.accept(next);
			return true;
		}

		private void fetch() {
			StringBuilder sql = new StringBuilder("SELECT event_created_at_us, event_id, event_json FROM ")
				.append(JdbcEventHistoryStore.this.table)
				.append(" WHERE eventbus_name = ?");
			List<Object> args = new ArrayList<>();
			args.add(this.busName);
			if (this.eventType != null) {
				sql.append(" AND event_type = ?");
				args.add(this.eventType);
			}
			if (this.since != null) {
				sql.append(" AND event_created_at_us >= ?");
				args.add(this.since);
			}
			if (this.lastCreated != null) {
				sql.append(" AND (event_created_at_us < ? OR (event_created_at_us = ? AND event_id < ?))");
				args.add(this.lastCreated);
				args.add(this.lastCreated);
				args.add(this.lastId);
			}
			sql.append(" ORDER BY event_created_at_us DESC, event_id DESC LIMIT ").append(PAGE);
			try {
				run((connection) -> {
					try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
						for (int i = 0; i < args.size(); i++) {
							statement.setObject(i + 1, args.get(i));
						}
						int count = 0;
						try (ResultSet rows = statement.executeQuery()) {
							while (rows.next()) {
								this.lastCreated = rows.getLong(1);
								this.lastId = rows.getString(2);
								this.buffer.add(rows.getString(3));
								count++;
							}
						}
						this.exhausted = count < PAGE;
					}
					return null;
				});
			}
			catch (SQLException ex) {
				throw new IllegalStateException("Cannot read the history of bus " + this.busName + " from "
						+ JdbcEventHistoryStore.this.table + ": " + ex.getMessage(), ex);
			}
		}

	}

	/** Where connections come from. */
	private interface Connections {

		Connection borrow() throws SQLException;

		void giveBack(Connection connection, boolean broken);

		void close();

	}

	/** A connection per operation from a data source (a pool, typically). */
	private static final class Borrowed implements Connections {

		private final DataSource dataSource;

		Borrowed(DataSource dataSource) {
			this.dataSource = dataSource;
		}

		@Override
		public Connection borrow() throws SQLException {
			Connection connection = this.dataSource.getConnection();
			if (connection.getMetaData().getURL().startsWith("jdbc:sqlite:")) {
				SqlitePragmas.apply(connection);
			}
			connection.setAutoCommit(true);
			return connection;
		}

		@Override
		public void giveBack(Connection connection, boolean broken) {
			try {
				connection.close();
			}
			catch (SQLException ex) {
				// nothing left to do with it
			}
		}

		@Override
		public void close() {
		}

	}

	/**
	 * One connection, opened from a URL, shared under a lock and reopened when broken.
	 */
	private static final class Shared implements Connections {

		private final String url;

		private final ReentrantLock lock = new ReentrantLock();

		private @Nullable Connection connection;

		private boolean closed;

		Shared(String url) {
			this.url = url;
		}

		@Override
		public Connection borrow() throws SQLException {
			this.lock.lock();
			try {
				if (this.closed) {
					throw new SQLException("the history store is closed");
				}
				Connection current = this.connection;
				if (current == null || current.isClosed()) {
					current = DriverManager.getConnection(this.url);
					if (this.url.startsWith("jdbc:sqlite:")) {
						SqlitePragmas.apply(current);
					}
					this.connection = current;
				}
				return current;
			}
			catch (SQLException | RuntimeException ex) {
				this.lock.unlock();
				throw ex;
			}
		}

		@Override
		public void giveBack(Connection connection, boolean broken) {
			try {
				if (broken) {
					// reopened by the next operation (a restarted server, a dropped link)
					closeQuietly(connection);
					this.connection = null;
				}
			}
			finally {
				this.lock.unlock();
			}
		}

		@Override
		public void close() {
			this.lock.lock();
			try {
				this.closed = true;
				Connection current = this.connection;
				if (current != null) {
					closeQuietly(current);
				}
				this.connection = null;
			}
			finally {
				this.lock.unlock();
			}
		}

		private static void closeQuietly(Connection connection) {
			try {
				connection.close();
			}
			catch (SQLException ex) {
				// already broken
			}
		}

	}

}
