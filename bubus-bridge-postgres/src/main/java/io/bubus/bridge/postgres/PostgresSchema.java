package io.bubus.bridge.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import io.bubus.internal.BridgeNames;

/**
 * The tables of one {@link PostgresEventBridge}: the event table in the flat layout of
 * Python and TypeScript bubus, plus two columns only the Java bridge reads (peers ignore
 * columns not named {@code event_*}), and the two tables of work sharing.
 * <p>
 * The read order: {@code bubus_txid} is the id of the transaction that inserted the row
 * and {@code bubus_seq} a sequence number. A row whose transaction id is below the oldest
 * transaction still running ({@code pg_snapshot_xmin}) is committed or never will be, so
 * reading in ({@code bubus_txid}, {@code bubus_seq}) order up to that point never skips a
 * row that commits later, which reading by a sequence alone would (two writers commit in
 * the other order than they drew their numbers).
 * <p>
 * Work sharing: {@code
 *
<table>
 * _bubus_groups} holds each group's read position, and {@code
 *
<table>
 * _bubus_claims} the events an instance of the group has claimed and not yet finished,
 * with the instance and the time its claim runs out.
 */
final class PostgresSchema {

	private static final int MAX_IDENTIFIER = 63;

	/** The oldest running transaction: rows of older ones are all visible. */
	static final String XMIN = "pg_snapshot_xmin(pg_current_snapshot())::text::bigint";

	final String table;

	final String groups;

	final String claims;

	PostgresSchema(String table) {
		this.table = table;
		this.groups = BridgeNames.truncate(table + "_bubus_groups", MAX_IDENTIFIER);
		this.claims = BridgeNames.truncate(table + "_bubus_claims", MAX_IDENTIFIER);
	}

	/** Creates the event table, its indexes and the read-order columns when missing. */
	void createEventTable(Connection connection) throws SQLException {
		executeAll(connection,
				List.of("CREATE TABLE IF NOT EXISTS \"" + this.table
						+ "\" (\"event_id\" TEXT PRIMARY KEY, \"event_created_at\" TEXT, \"event_type\" TEXT, "
						+ "\"event_payload\" TEXT, \"bubus_seq\" BIGSERIAL, \"bubus_txid\" BIGINT DEFAULT "
						+ "(pg_current_xact_id()::text::bigint))",
						"CREATE INDEX IF NOT EXISTS \"" + index("_event_created_at_idx") + "\" ON \"" + this.table
								+ "\" (\"event_created_at\")",
						"CREATE INDEX IF NOT EXISTS \"" + index("_event_type_idx") + "\" ON \"" + this.table
								+ "\" (\"event_type\")"));
		if (!hasColumn(connection, "bubus_txid")) {
			// a table a peer created: rows there so far get this transaction's id
			executeAll(connection, List.of("ALTER TABLE \"" + this.table
					+ "\" ADD COLUMN IF NOT EXISTS \"bubus_seq\" BIGSERIAL, ADD COLUMN IF NOT EXISTS \"bubus_txid\" "
					+ "BIGINT DEFAULT (pg_current_xact_id()::text::bigint)"));
		}
		executeAll(connection, List.of("CREATE INDEX IF NOT EXISTS \"" + index("_bubus_order_idx") + "\" ON \""
				+ this.table + "\" (\"bubus_txid\", \"bubus_seq\")"));
	}

	/** Creates the work sharing tables when missing. */
	void createGroupTables(Connection connection) throws SQLException {
		executeAll(connection, List.of(
				"CREATE TABLE IF NOT EXISTS \"" + this.groups
						+ "\" (\"group_name\" TEXT PRIMARY KEY, \"txid\" BIGINT NOT NULL, \"seq\" BIGINT NOT NULL)",
				"CREATE TABLE IF NOT EXISTS \"" + this.claims
						+ "\" (\"group_name\" TEXT NOT NULL, \"event_id\" TEXT NOT NULL, \"owner\" TEXT NOT NULL, "
						+ "\"lease_until\" TIMESTAMPTZ NOT NULL, PRIMARY KEY (\"group_name\", \"event_id\"))",
				"CREATE INDEX IF NOT EXISTS \"" + BridgeNames.truncate(this.claims + "_lease_idx", MAX_IDENTIFIER)
						+ "\" ON \"" + this.claims + "\" (\"group_name\", \"lease_until\")"));
	}

	/**
	 * The rows after a position, up to the oldest running transaction, in read order,
	 * with {@code bubus_txid} and {@code bubus_seq}.
	 */
	String rowsAfter(int limit) {
		return "SELECT * FROM \"" + this.table
				+ "\" WHERE (\"bubus_txid\", \"bubus_seq\") > (?, ?) AND \"bubus_txid\" < " + XMIN
				+ " ORDER BY \"bubus_txid\", \"bubus_seq\" LIMIT " + limit;
	}

	/** The rows with these event ids ({@code ?} is a text array). */
	String rowsWithIds() {
		return "SELECT * FROM \"" + this.table + "\" WHERE \"event_id\" = ANY(?)";
	}

	/** The position just before the oldest running transaction: "from now on". */
	static long end(Connection connection) throws SQLException {
		try (Statement query = connection.createStatement(); ResultSet xmin = query.executeQuery("SELECT " + XMIN)) {
			xmin.next();
			return xmin.getLong(1) - 1;
		}
	}

	private boolean hasColumn(Connection connection, String column) throws SQLException {
		try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM information_schema.columns "
				+ "WHERE table_schema = current_schema() AND table_name = ? AND column_name = ?")) {
			query.setString(1, this.table);
			query.setString(2, column);
			try (ResultSet found = query.executeQuery()) {
				return found.next();
			}
		}
	}

	private String index(String suffix) {
		return BridgeNames.truncate(this.table + suffix, MAX_IDENTIFIER);
	}

	private static void executeAll(Connection connection, List<String> ddl) throws SQLException {
		for (String sql : ddl) {
			executeIgnoringConcurrentCreate(connection, sql);
		}
	}

	/**
	 * {@code IF NOT EXISTS} still fails when two sessions create the same object at once.
	 */
	static void executeIgnoringConcurrentCreate(Connection connection, String sql) throws SQLException {
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

}
