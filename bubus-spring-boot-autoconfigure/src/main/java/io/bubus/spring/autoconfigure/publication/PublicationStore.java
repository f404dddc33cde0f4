package io.bubus.spring.autoconfigure.publication;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import javax.sql.DataSource;

import io.bubus.spring.autoconfigure.publication.BubusPublicationProperties.CompletionMode;
import io.bubus.spring.autoconfigure.publication.EventPublications.Counts;
import io.bubus.spring.autoconfigure.publication.EventPublications.Selection;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.datasource.DataSourceUtils;

/**
 * The publication log's SQL. Every statement but {@link #insert} runs on a connection of
 * its own (auto-commit, or one short transaction for a claim), never in a transaction
 * bound to the calling thread: marking a handler completed must not roll back with an
 * unrelated transaction of the handler's caller.
 * <p>
 * Concurrency between instances sharing the database rests on the claim columns: an
 * instance dispatches a publication only after a conditional UPDATE set
 * {@code claimed_by} to itself while no other live lease held it (one row, one winner:
 * the database's row lock orders competing updates, and the condition is checked again
 * under it). On PostgreSQL the candidates are read with {@code FOR UPDATE SKIP LOCKED},
 * so instances claiming at the same moment take different rows instead of waiting for
 * each other.
 */
final class PublicationStore {

	private static final Logger log = LoggerFactory.getLogger(PublicationStore.class);

	static final String TABLE = "bubus_publication";

	static final String HANDLERS = "bubus_publication_handler";

	private static final int MAX_ERROR_LENGTH = 4000;

	/** PostgreSQL advisory lock key held while the tables are created. */
	private static final long SCHEMA_LOCK = 0x6275627573L;

	private static final Object SCHEMA_MONITOR = new Object();

	private static final int SCHEMA_ATTEMPTS = 3;

	private static final String COLUMNS = "event_id, bus_name, event_type, event_class, event_json, published_at, "
			+ "completed_at, next_attempt_at, claimed_by, claimed_until, resubmissions";

	/** Most event ids in one lease renewal statement. */
	private static final int RENEW_BATCH = 100;

	private static final String CLAIMABLE = "(claimed_until IS NULL OR claimed_until < ?)";

	/** Claimable, or claimed by this instance id in an earlier run (restart only). */
	private static final String CLAIMABLE_ON_RESTART = "(claimed_until IS NULL OR claimed_until < ? OR claimed_by = ?)";

	private final DataSource dataSource;

	private final BubusPublicationProperties properties;

	private final Dialect dialect;

	PublicationStore(DataSource dataSource, BubusPublicationProperties properties) {
		this.dataSource = dataSource;
		this.properties = properties;
		this.dialect = detect(dataSource);
	}

	Dialect dialect() {
		return this.dialect;
	}

	/**
	 * Warns when the database acknowledges commits before it wrote them: an H2 file with
	 * a write delay loses the transactions of that last delay to a crash of the process,
	 * the events they emitted (whose handlers may have run) with them.
	 */
	void warnIfCommitsAreDelayed() {
		if (this.dialect != Dialect.H2) {
			return;
		}
		try (Connection connection = this.dataSource.getConnection();
				Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery(
						"SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'WRITE_DELAY'")) {
			String url = connection.getMetaData().getURL();
			int delay = rows.next() ? Integer.parseInt(rows.getString(1).strip()) : 0;
			if (delay > 0 && url != null && !url.startsWith("jdbc:h2:mem:")) {
				log.warn(
						"The H2 database of the bubus publication log writes commits up to {} ms after it "
								+ "acknowledged them (WRITE_DELAY): a crash of the process in that time loses the "
								+ "transactions and the events they emitted; add ;WRITE_DELAY=0 to the JDBC URL",
						delay);
			}
		}
		catch (SQLException | NumberFormatException ex) {
			log.debug("Could not read the H2 write delay: {}", ex.getMessage());
		}
	}

	// ---- schema ----

	/**
	 * Creates the tables when they are missing. Instances starting together must not fail
	 * on each other: {@code CREATE ... IF NOT EXISTS} is not safe against itself
	 * (PostgreSQL failed on a duplicate type, H2 on an index that "already exists"). On
	 * PostgreSQL one instance creates them under an advisory lock while the others wait
	 * and then find them; in one JVM the creations take turns; other processes on one H2
	 * database are covered by running the script again, which skips what exists.
	 */
	void initializeSchema() {
		String script = readScript("schema-" + this.dialect.name().toLowerCase(Locale.ROOT) + ".sql");
		SQLException failure = null;
		for (int attempt = 1; attempt <= SCHEMA_ATTEMPTS; attempt++) {
			try {
				synchronized (SCHEMA_MONITOR) {
					createTables(script);
				}
				return;
			}
			catch (SQLException ex) {
				failure = ex;
				log.debug("Creating the bubus publication tables failed (attempt {} of {}): {}", attempt,
						SCHEMA_ATTEMPTS, ex.getMessage());
			}
		}
		throw new IllegalStateException("Could not create the bubus publication tables (" + failure.getMessage()
				+ "); create them from " + "io/bubus/spring/autoconfigure/publication/schema-"
				+ this.dialect.name().toLowerCase(Locale.ROOT) + ".sql or fix the DataSource", failure);
	}

	private void createTables(String script) throws SQLException {
		try (Connection connection = this.dataSource.getConnection()) {
			boolean autoCommit = connection.getAutoCommit();
			connection.setAutoCommit(false);
			try (Statement statement = connection.createStatement()) {
				if (this.dialect == Dialect.POSTGRESQL) {
					statement.execute("SELECT pg_advisory_xact_lock(" + SCHEMA_LOCK + ")");
				}
				for (String sql : statements(script)) {
					statement.execute(sql);
				}
				connection.commit();
			}
			catch (SQLException ex) {
				connection.rollback();
				throw ex;
			}
			finally {
				connection.setAutoCommit(autoCommit);
			}
		}
	}

	private static String readScript(String name) {
		try (InputStream in = PublicationStore.class.getResourceAsStream(name)) {
			if (in == null) {
				throw new IllegalStateException("Missing resource " + name);
			}
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not read " + name, ex);
		}
	}

	private static List<String> statements(String script) {
		StringBuilder withoutComments = new StringBuilder();
		for (String line : script.split("\n")) {
			if (!line.strip().startsWith("--")) {
				withoutComments.append(line).append('\n');
			}
		}
		List<String> statements = new ArrayList<>();
		for (String sql : withoutComments.toString().split(";")) {
			if (!sql.isBlank()) {
				statements.add(sql.strip());
			}
		}
		return statements;
	}

	// ---- writes ----

	/**
	 * Writes the event and its handler rows on the connection of the transaction bound to
	 * this thread (the emitting transaction), with this instance's claim on it.
	 */
	void insert(String eventId, String busName, String eventType, String eventClass, String eventJson,
			List<String> handlerKeys, Instant now, String instanceId) {
		Connection connection = DataSourceUtils.getConnection(this.dataSource);
		try {
			try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + TABLE
					+ " (event_id, bus_name, event_type, event_class, event_json, published_at, next_attempt_at,"
					+ " claimed_by, claimed_until, resubmissions) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0)")) {
				insert.setString(1, eventId);
				insert.setString(2, busName);
				insert.setString(3, eventType);
				insert.setString(4, eventClass);
				insert.setString(5, eventJson);
				insert.setObject(6, time(now));
				insert.setObject(7, time(now));
				insert.setString(8, instanceId);
				insert.setObject(9, time(now.plus(this.properties.getLease())));
				insert.executeUpdate();
			}
			try (PreparedStatement rows = connection.prepareStatement("INSERT INTO " + HANDLERS
					+ " (event_id, handler_key, status, attempts) VALUES (?, ?, 'PENDING', 0)")) {
				for (String key : handlerKeys) {
					rows.setString(1, eventId);
					rows.setString(2, key);
					rows.addBatch();
				}
				if (!handlerKeys.isEmpty()) {
					rows.executeBatch();
				}
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not write " + eventType + "#" + eventId
					+ " to the bubus publication log: " + ex.getMessage(), ex);
		}
		finally {
			DataSourceUtils.releaseConnection(connection, this.dataSource);
		}
	}

	/** Removes a publication (its transaction rolled back without taking the rows). */
	void delete(String eventId) {
		update("DELETE FROM " + TABLE + " WHERE event_id = ?", eventId);
	}

	/** Records one finished run of a handler. */
	void recordRun(String eventId, String handlerKey, boolean completed, @Nullable String resultJson,
			@Nullable String errorType, @Nullable String errorMessage, Instant now) {
		update("UPDATE " + HANDLERS + " SET status = ?, attempts = attempts + 1, last_attempt_at = ?,"
				+ " completed_at = ?, result_json = ?, error_type = ?, error_message = ?"
				+ " WHERE event_id = ? AND handler_key = ? AND status <> 'COMPLETED'",
				completed ? "COMPLETED" : "FAILED", time(now), completed ? time(now) : null, resultJson, errorType,
				truncate(errorMessage), eventId, handlerKey);
	}

	/**
	 * The dispatch of a claimed publication ended: completes it, or schedules its next
	 * attempt (by the backoff of its most-tried incomplete handler), or leaves it
	 * unscheduled when every incomplete handler used up its attempts; the claim ends.
	 * Returns whether it completed.
	 */
	boolean finish(String eventId, String instanceId, Instant now) {
		Optional<EventPublication> found = find(eventId);
		if (found.isEmpty()) {
			return false;
		}
		List<HandlerPublication> incomplete = found.get().incompleteHandlers();
		if (incomplete.isEmpty()) {
			update("UPDATE " + TABLE + " SET completed_at = ?, next_attempt_at = NULL, claimed_by = NULL,"
					+ " claimed_until = NULL WHERE event_id = ?", time(now), eventId);
			if (this.properties.getRetention().isZero()) {
				purgeCompleted(now);
			}
			return true;
		}
		Instant next = nextAttempt(incomplete, now);
		update("UPDATE " + TABLE + " SET next_attempt_at = ?, claimed_by = NULL, claimed_until = NULL"
				+ " WHERE event_id = ? AND claimed_by = ?", (next != null) ? time(next) : null, eventId, instanceId);
		return false;
	}

	private @Nullable Instant nextAttempt(List<HandlerPublication> incomplete, Instant now) {
		int attempts = 0;
		boolean due = false;
		for (HandlerPublication handler : incomplete) {
			if (handler.attempts() < this.properties.getMaxAttempts()) {
				due = true;
				attempts = Math.max(attempts, handler.attempts());
			}
		}
		if (!due) {
			return null;
		}
		return now.plus(backoff(attempts));
	}

	Duration backoff(int attempts) {
		double factor = Math.pow(this.properties.getBackoffMultiplier(), Math.max(0, attempts - 1));
		double millis = this.properties.getBackoff().toMillis() * factor;
		long max = this.properties.getMaxBackoff().toMillis();
		return Duration.ofMillis((millis >= max) ? max : (long) millis);
	}

	/**
	 * Extends the leases of the publications this instance is dispatching, and of no
	 * other claim of its instance id: an earlier run's claims (a crash, a restart with
	 * the same id) and claims whose dispatch never started (a commit of unknown outcome)
	 * expire, so that the schedule resubmits them.
	 */
	void renewLeases(String instanceId, Collection<String> dispatching, Instant now) {
		List<String> ids = List.copyOf(dispatching);
		for (int from = 0; from < ids.size(); from += RENEW_BATCH) {
			List<String> batch = ids.subList(from, Math.min(ids.size(), from + RENEW_BATCH));
			Object[] args = new Object[batch.size() + 2];
			args[0] = time(now.plus(this.properties.getLease()));
			args[1] = instanceId;
			for (int i = 0; i < batch.size(); i++) {
				args[i + 2] = batch.get(i);
			}
			update("UPDATE " + TABLE + " SET claimed_until = ? WHERE claimed_by = ? AND completed_at IS NULL"
					+ " AND event_id IN (" + String.join(", ", Collections.nCopies(batch.size(), "?")) + ")", args);
		}
	}

	/**
	 * Claims up to {@code limit} incomplete publications that are due (their next attempt
	 * time passed) and not claimed by a live lease; {@code restart} also takes this
	 * instance's own claims (an earlier run with the same instance id) and ignores the
	 * backoff. Returns the claimed event ids, oldest first.
	 */
	List<String> claimDue(String instanceId, Instant now, int limit, boolean restart) {
		String due = restart ? "next_attempt_at IS NOT NULL AND " + CLAIMABLE_ON_RESTART
				: "next_attempt_at <= ? AND " + CLAIMABLE;
		String select = "SELECT event_id FROM " + TABLE + " WHERE completed_at IS NULL AND " + due
				+ " ORDER BY published_at LIMIT " + Math.max(1, limit) + this.dialect.skipLocked;
		List<String> claimed = new ArrayList<>();
		try (Connection connection = this.dataSource.getConnection()) {
			connection.setAutoCommit(false);
			try {
				List<String> candidates = new ArrayList<>();
				try (PreparedStatement statement = connection.prepareStatement(select)) {
					statement.setObject(1, time(now));
					if (restart) {
						statement.setString(2, instanceId);
					}
					else {
						statement.setObject(2, time(now));
					}
					try (ResultSet rows = statement.executeQuery()) {
						while (rows.next()) {
							candidates.add(rows.getString(1));
						}
					}
				}
				for (String eventId : candidates) {
					if (claim(connection, eventId, instanceId, now, restart)) {
						claimed.add(eventId);
					}
				}
				connection.commit();
			}
			catch (SQLException ex) {
				connection.rollback();
				throw ex;
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not claim publications to resubmit: " + ex.getMessage(), ex);
		}
		return claimed;
	}

	/**
	 * Claims one incomplete publication for a resubmission asked for by hand (no schedule
	 * or attempt limit); false when it is completed, unknown, or another dispatch holds a
	 * live claim.
	 */
	boolean claimOne(String eventId, String instanceId, Instant now) {
		try (Connection connection = this.dataSource.getConnection()) {
			return claim(connection, eventId, instanceId, now, false);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not claim publication " + eventId + ": " + ex.getMessage(), ex);
		}
	}

	private boolean claim(Connection connection, String eventId, String instanceId, Instant now, boolean restart)
			throws SQLException {
		String sql = "UPDATE " + TABLE + " SET claimed_by = ?, claimed_until = ?, resubmissions = resubmissions + 1"
				+ " WHERE event_id = ? AND completed_at IS NULL AND " + (restart ? CLAIMABLE_ON_RESTART : CLAIMABLE);
		try (PreparedStatement statement = connection.prepareStatement(sql)) {
			statement.setString(1, instanceId);
			statement.setObject(2, time(now.plus(this.properties.getLease())));
			statement.setString(3, eventId);
			statement.setObject(4, time(now));
			if (restart) {
				statement.setString(5, instanceId);
			}
			return statement.executeUpdate() == 1;
		}
	}

	/** Ends this instance's claim without a dispatch, retrying at {@code next}. */
	void unclaim(String eventId, String instanceId, @Nullable Instant next) {
		update("UPDATE " + TABLE + " SET claimed_by = NULL, claimed_until = NULL, next_attempt_at = ?"
				+ " WHERE event_id = ? AND claimed_by = ?", (next != null) ? time(next) : null, eventId, instanceId);
	}

	/**
	 * Applies the completion mode to publications completed longer than the retention
	 * ago; returns how many were removed from the log.
	 */
	int purgeCompleted(Instant now) {
		CompletionMode mode = this.properties.getCompletionMode();
		if (mode == CompletionMode.KEEP) {
			return 0;
		}
		OffsetDateTime before = time(now.minus(this.properties.getRetention()));
		String due = " WHERE completed_at IS NOT NULL AND completed_at <= ?";
		try (Connection connection = this.dataSource.getConnection()) {
			connection.setAutoCommit(false);
			try {
				if (mode == CompletionMode.ARCHIVE) {
					execute(connection, "INSERT INTO " + TABLE + "_archive SELECT * FROM " + TABLE + due, before);
					execute(connection, "INSERT INTO " + HANDLERS + "_archive SELECT h.* FROM " + HANDLERS + " h WHERE"
							+ " h.event_id IN (SELECT event_id FROM " + TABLE + due + ")", before);
				}
				execute(connection,
						"DELETE FROM " + HANDLERS + " WHERE event_id IN (SELECT event_id FROM " + TABLE + due + ")",
						before);
				int removed = execute(connection, "DELETE FROM " + TABLE + due, before);
				connection.commit();
				return removed;
			}
			catch (SQLException ex) {
				connection.rollback();
				throw ex;
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not purge completed publications: " + ex.getMessage(), ex);
		}
	}

	// ---- reads ----

	Optional<EventPublication> find(String eventId) {
		List<EventPublication> found = query("SELECT " + COLUMNS + " FROM " + TABLE + " WHERE event_id = ?", eventId);
		return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
	}

	List<EventPublication> findIncomplete(int limit) {
		return find(Selection.INCOMPLETE, null, null, limit);
	}

	/**
	 * Publications of one selection, optionally of one event type: incomplete, failed and
	 * stale ones oldest first, completed ones most recently completed first.
	 * {@code staleBefore} is the publication time a stale one is older than (only for
	 * {@link Selection#STALE}).
	 */
	List<EventPublication> find(Selection selection, @Nullable String eventType, @Nullable Instant staleBefore,
			int limit) {
		List<Object> args = new ArrayList<>();
		StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM " + TABLE + " p WHERE ");
		sql.append((selection == Selection.COMPLETED) ? "completed_at IS NOT NULL" : "completed_at IS NULL");
		if (selection == Selection.FAILED) {
			sql.append(" AND EXISTS (SELECT 1 FROM " + HANDLERS
					+ " h WHERE h.event_id = p.event_id AND h.status = 'FAILED')");
		}
		if (selection == Selection.STALE) {
			if (staleBefore == null) {
				return List.of();
			}
			sql.append(" AND published_at < ?");
			args.add(time(staleBefore));
		}
		if (eventType != null) {
			sql.append(" AND event_type = ?");
			args.add(eventType);
		}
		sql.append((selection == Selection.COMPLETED) ? " ORDER BY completed_at DESC" : " ORDER BY published_at");
		sql.append(" LIMIT ").append(Math.max(0, limit));
		return query(sql.toString(), args.toArray());
	}

	/**
	 * How many publications are incomplete, have a failed handler, are completed, and are
	 * stale (incomplete and published before {@code staleBefore}; 0 without it), and when
	 * the oldest incomplete one was published.
	 */
	Counts counts(@Nullable Instant staleBefore) {
		String summary = "SELECT COUNT(CASE WHEN completed_at IS NULL THEN 1 END),"
				+ " COUNT(CASE WHEN completed_at IS NOT NULL THEN 1 END),"
				+ " MIN(CASE WHEN completed_at IS NULL THEN published_at END) FROM " + TABLE;
		try (Connection connection = this.dataSource.getConnection()) {
			long incomplete;
			long completed;
			Instant oldest;
			try (PreparedStatement statement = connection.prepareStatement(summary);
					ResultSet rows = statement.executeQuery()) {
				rows.next();
				incomplete = rows.getLong(1);
				completed = rows.getLong(2);
				OffsetDateTime first = rows.getObject(3, OffsetDateTime.class);
				oldest = (first != null) ? first.toInstant() : null;
			}
			long failed = count(connection, "SELECT COUNT(*) FROM " + TABLE + " p WHERE completed_at IS NULL AND EXISTS"
					+ " (SELECT 1 FROM " + HANDLERS + " h WHERE h.event_id = p.event_id AND h.status = 'FAILED')");
			long stale = (staleBefore != null && incomplete > 0) ? count(connection,
					"SELECT COUNT(*) FROM " + TABLE + " WHERE completed_at IS NULL AND published_at < ?",
					time(staleBefore)) : 0;
			return new Counts(incomplete, failed, stale, completed, oldest);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not read the bubus publication log: " + ex.getMessage(), ex);
		}
	}

	long countIncomplete() {
		return count("SELECT COUNT(*) FROM " + TABLE + " WHERE completed_at IS NULL");
	}

	long countPublishedBefore(Instant before) {
		return count("SELECT COUNT(*) FROM " + TABLE + " WHERE completed_at IS NULL AND published_at < ?",
				time(before));
	}

	private List<EventPublication> query(String sql, Object... args) {
		try (Connection connection = this.dataSource.getConnection();
				PreparedStatement statement = prepare(connection, sql, args);
				ResultSet rows = statement.executeQuery()) {
			List<EventPublication> found = new ArrayList<>();
			while (rows.next()) {
				String eventId = rows.getString("event_id");
				found.add(new EventPublication(eventId, rows.getString("bus_name"), rows.getString("event_type"),
						rows.getString("event_class"), rows.getString("event_json"), instant(rows, "published_at"),
						instant(rows, "completed_at"), instant(rows, "next_attempt_at"), rows.getString("claimed_by"),
						instant(rows, "claimed_until"), rows.getInt("resubmissions"), handlers(connection, eventId)));
			}
			return found;
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not read the bubus publication log: " + ex.getMessage(), ex);
		}
	}

	private static List<HandlerPublication> handlers(Connection connection, String eventId) throws SQLException {
		List<HandlerPublication> handlers = new ArrayList<>();
		try (PreparedStatement statement = prepare(connection,
				"SELECT handler_key, status, attempts, last_attempt_at, completed_at, result_json, error_type,"
						+ " error_message FROM " + HANDLERS + " WHERE event_id = ? ORDER BY handler_key",
				eventId); ResultSet rows = statement.executeQuery()) {
			while (rows.next()) {
				handlers
					.add(new HandlerPublication(rows.getString(1), HandlerPublication.Status.valueOf(rows.getString(2)),
							rows.getInt(3), instant(rows, "last_attempt_at"), instant(rows, "completed_at"),
							rows.getString(6), rows.getString(7), rows.getString(8)));
			}
		}
		return handlers;
	}

	private long count(String sql, Object... args) {
		try (Connection connection = this.dataSource.getConnection()) {
			return count(connection, sql, args);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not read the bubus publication log: " + ex.getMessage(), ex);
		}
	}

	private static long count(Connection connection, String sql, Object... args) throws SQLException {
		try (PreparedStatement statement = prepare(connection, sql, args); ResultSet rows = statement.executeQuery()) {
			return rows.next() ? rows.getLong(1) : 0;
		}
	}

	private int update(String sql, @Nullable Object... args) {
		try (Connection connection = this.dataSource.getConnection()) {
			return execute(connection, sql, args);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not update the bubus publication log: " + ex.getMessage(), ex);
		}
	}

	private static int execute(Connection connection, String sql, @Nullable Object... args) throws SQLException {
		try (PreparedStatement statement = prepare(connection, sql, args)) {
			return statement.executeUpdate();
		}
	}

	private static PreparedStatement prepare(Connection connection, String sql, @Nullable Object... args)
			throws SQLException {
		PreparedStatement statement = connection.prepareStatement(sql);
		for (int i = 0; i < args.length; i++) {
			statement.setObject(i + 1, args[i]);
		}
		return statement;
	}

	private static @Nullable Instant instant(ResultSet rows, String column) throws SQLException {
		OffsetDateTime value = rows.getObject(column, OffsetDateTime.class);
		return (value != null) ? value.toInstant() : null;
	}

	/**
	 * The instant as the database keeps it: to the microsecond. Both databases round
	 * finer values, so a completion time written from a later nanosecond could compare
	 * after the same instant given as a bound (retention 0 then purged nothing).
	 */
	private static OffsetDateTime time(Instant instant) {
		return instant.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
	}

	private static @Nullable String truncate(@Nullable String message) {
		return (message == null || message.length() <= MAX_ERROR_LENGTH) ? message
				: message.substring(0, MAX_ERROR_LENGTH);
	}

	private static Dialect detect(DataSource dataSource) {
		try (Connection connection = dataSource.getConnection()) {
			String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
			if (product.contains("postgres")) {
				return Dialect.POSTGRESQL;
			}
			if (product.contains("h2")) {
				return Dialect.H2;
			}
			throw new IllegalStateException("The bubus publication log supports PostgreSQL and H2, not "
					+ connection.getMetaData().getDatabaseProductName()
					+ "; set bubus.publications.enabled=false or use one of those");
		}
		catch (SQLException ex) {
			throw new IllegalStateException(
					"Could not connect to the DataSource of the bubus publication log: " + ex.getMessage(), ex);
		}
	}

	/** The databases the log speaks. */
	enum Dialect {

		/** Claims candidates with FOR UPDATE SKIP LOCKED. */
		POSTGRESQL(" FOR UPDATE SKIP LOCKED"),

		/** Claims by conditional update alone. */
		H2("");

		final String skipLocked;

		Dialect(String skipLocked) {
			this.skipLocked = skipLocked;
		}

	}

}
