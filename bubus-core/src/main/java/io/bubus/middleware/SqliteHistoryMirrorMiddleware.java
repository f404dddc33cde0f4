package io.bubus.middleware;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.locks.ReentrantLock;

import io.bubus.BaseEvent;
import io.bubus.EventBus;
import io.bubus.EventBusMiddleware;
import io.bubus.EventResult;
import io.bubus.EventStatus;
import io.bubus.ResultStatus;
import io.bubus.internal.SqlitePragmas;
import io.bubus.json.BubusJson;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Mirrors every event and result transition into two append-only SQLite audit tables, one
 * row per hook call, for auditing and debugging outside the process. Several buses and
 * several processes may share one database file.
 * <ul>
 * <li>{@code events_log}: {@code id}, {@code event_id}, {@code event_type},
 * {@code event_status}, {@code eventbus_id}, {@code eventbus_name} (the bus label,
 * {@code Name#ab12}), {@code phase} (pending, started, completed), {@code event_json}
 * (the event at that moment, without results), {@code inserted_at}.</li>
 * <li>{@code event_results_log}: {@code id}, {@code event_result_id}, {@code event_id},
 * {@code handler_id}, {@code handler_name}, {@code eventbus_id}, {@code eventbus_name}
 * (label), {@code event_type}, {@code status} (the result's own status: pending, started,
 * completed, error), {@code phase}, {@code result_repr} (the value as JSON, only without
 * error), {@code error_repr} ({@code Type: message}), {@code event_result_json},
 * {@code inserted_at}.</li>
 * </ul>
 * One connection in autocommit mode, WAL journal, {@code synchronous=NORMAL}, 30 s busy
 * timeout; rows are written on the thread that runs the hook. Write failures are logged,
 * never thrown into the bus; after {@link #close()} (idempotent) hooks write nothing.
 * <p>
 * Needs the optional dependency {@code org.xerial:sqlite-jdbc}.
 */
public final class SqliteHistoryMirrorMiddleware implements EventBusMiddleware, AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(SqliteHistoryMirrorMiddleware.class);

	private static final String SCHEMA = """
			CREATE TABLE IF NOT EXISTS events_log (
				id INTEGER PRIMARY KEY AUTOINCREMENT,
				event_id TEXT NOT NULL,
				event_type TEXT NOT NULL,
				event_status TEXT NOT NULL,
				eventbus_id TEXT NOT NULL,
				eventbus_name TEXT NOT NULL,
				phase TEXT,
				event_json TEXT NOT NULL,
				inserted_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
			);
			CREATE TABLE IF NOT EXISTS event_results_log (
				id INTEGER PRIMARY KEY AUTOINCREMENT,
				event_result_id TEXT NOT NULL,
				event_id TEXT NOT NULL,
				handler_id TEXT NOT NULL,
				handler_name TEXT NOT NULL,
				eventbus_id TEXT NOT NULL,
				eventbus_name TEXT NOT NULL,
				event_type TEXT NOT NULL,
				status TEXT NOT NULL,
				phase TEXT,
				result_repr TEXT,
				error_repr TEXT,
				event_result_json TEXT NOT NULL,
				inserted_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
			)""";

	private static final String INSERT_EVENT = "INSERT INTO events_log (event_id, event_type, event_status, "
			+ "eventbus_id, eventbus_name, phase, event_json) VALUES (?, ?, ?, ?, ?, ?, ?)";

	private static final String INSERT_RESULT = "INSERT INTO event_results_log (event_result_id, event_id, "
			+ "handler_id, handler_name, eventbus_id, eventbus_name, event_type, status, phase, result_repr, "
			+ "error_repr, event_result_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

	private final Path dbPath;

	private final ReentrantLock lock = new ReentrantLock();

	private @Nullable Connection connection;

	/**
	 * Opens (or creates) the database and its tables; parent directories are created.
	 * @throws IllegalStateException when sqlite-jdbc is not on the class path or the
	 * database cannot be opened
	 */
	public SqliteHistoryMirrorMiddleware(Path dbPath) {
		this.dbPath = dbPath.toAbsolutePath();
		requireDriver();
		try {
			Path parent = this.dbPath.getParent();
			if (parent != null) {
				Files.createDirectories(parent);
			}
			this.connection = open(this.dbPath);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot create the directory of " + this.dbPath, ex);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(
					"Cannot open the SQLite history mirror " + this.dbPath + ": " + ex.getMessage(), ex);
		}
	}

	private static void requireDriver() {
		try {
			Class.forName("org.sqlite.JDBC");
		}
		catch (ClassNotFoundException ex) {
			throw new IllegalStateException("SqliteHistoryMirrorMiddleware requires the optional dependency "
					+ "org.xerial:sqlite-jdbc; add it to your build", ex);
		}
	}

	private static Connection open(Path dbPath) throws SQLException {
		Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dbPath);
		try (Statement statement = connection.createStatement()) {
			// the busy timeout first: the schema may meet another writer
			SqlitePragmas.apply(connection);
			for (String table : SCHEMA.split(";")) {
				statement.execute(table);
			}
		}
		catch (SQLException ex) {
			connection.close();
			throw ex;
		}
		return connection;
	}

	/** The database file. */
	public Path path() {
		return this.dbPath;
	}

	@Override
	public void onEventChange(EventBus bus, BaseEvent<?> event, EventStatus status) {
		String json = EventSnapshots.withoutResults(event);
		write(INSERT_EVENT, event.eventId(), event.eventType(), event.eventStatus().wireValue(), bus.id(), bus.label(),
				status.wireValue(), json);
	}

	@Override
	public void onEventResultChange(EventBus bus, BaseEvent<?> event, EventResult<?> result, ResultStatus status) {
		ObjectNode tree = EventSnapshots.tree(event);
		JsonNode row = EventSnapshots.result(tree, result.id());
		Throwable error = result.error();
		write(INSERT_RESULT, result.id(), event.eventId(), result.handlerId(), result.handlerName(), bus.id(),
				bus.label(), event.eventType(), result.status().wireValue(), status.wireValue(),
				(error == null) ? repr(result.result()) : null,
				(error != null) ? EventResult.errorType(error) + ": " + error.getMessage() : null,
				(row != null) ? BubusJson.MAPPER.writeValueAsString(row) : "{}");
	}

	private static @Nullable String repr(@Nullable Object value) {
		if (value == null) {
			return null;
		}
		if (value instanceof BaseEvent<?> event) {
			return event.toJson();
		}
		return BubusJson.MAPPER.writeValueAsString(value);
	}

	private void write(String sql, @Nullable String... values) {
		this.lock.lock();
		try {
			Connection open = this.connection;
			if (open == null) {
				log.debug("SQLite history mirror {} is closed; not recording", this.dbPath);
				return;
			}
			try (PreparedStatement statement = open.prepareStatement(sql)) {
				for (int i = 0; i < values.length; i++) {
					statement.setString(i + 1, values[i]);
				}
				statement.executeUpdate();
			}
		}
		catch (SQLException ex) {
			log.warn("SQLite history mirror {} could not record a row: {}", this.dbPath, ex.getMessage(), ex);
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Whether {@link #close()} was called. */
	public boolean isClosed() {
		this.lock.lock();
		try {
			return this.connection == null;
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Closes the connection; calling it again does nothing. */
	@Override
	public void close() {
		this.lock.lock();
		try {
			Connection open = this.connection;
			this.connection = null;
			if (open != null) {
				open.close();
			}
		}
		catch (SQLException ex) {
			log.warn("Could not close the SQLite history mirror {}: {}", this.dbPath, ex.getMessage());
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public String toString() {
		return "SqliteHistoryMirrorMiddleware[" + this.dbPath + "]";
	}

}
