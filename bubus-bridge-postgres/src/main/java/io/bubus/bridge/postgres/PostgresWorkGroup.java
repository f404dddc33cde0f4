package io.bubus.bridge.postgres;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.bubus.internal.Closeables;
import io.bubus.internal.FlatRow;
import org.jspecify.annotations.Nullable;

/**
 * The statements of work sharing: instances of one group take turns moving the group's
 * read position and claim the rows they passed, each claim with a lease the instance
 * renews while it handles the event; a finished event's claim is deleted, an unfinished
 * one's lease is ended, and any instance takes over claims whose lease ran out.
 * <p>
 * Why a position and claims rather than locking event rows: the event table is shared
 * with fan-out listeners, other groups and peers, and a group needs to know what it has
 * not read yet without a row per event and group. {@code FOR UPDATE SKIP LOCKED} on the
 * group's row lets one instance claim while the others move on at once instead of
 * waiting, and on expired claims lets several instances take over different ones.
 * <p>
 * Concurrency: used by the bridge's listener thread only; each method is one transaction
 * on the given connection.
 */
final class PostgresWorkGroup {

	/** An event row and where it stands in the read order. */
	record Row(Map<String, @Nullable String> columns, long txid, long seq) {

		String id() {
			return String.valueOf(this.columns.get(FlatRow.ID));
		}

	}

	private final PostgresSchema schema;

	private final String group;

	private final String owner;

	PostgresWorkGroup(PostgresSchema schema, String group, String owner) {
		this.schema = schema;
		this.group = group;
		this.owner = owner;
	}

	/** Creates the group at this position unless it exists (it keeps its own). */
	void join(Connection connection, boolean fromBeginning) throws SQLException {
		this.schema.createGroupTables(connection);
		long start = fromBeginning ? 0 : PostgresSchema.end(connection);
		try (PreparedStatement insert = connection.prepareStatement("INSERT INTO \"" + this.schema.groups
				+ "\" (\"group_name\", \"txid\", \"seq\") VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
			insert.setString(1, this.group);
			insert.setLong(2, start);
			insert.setLong(3, Long.MAX_VALUE);
			insert.executeUpdate();
		}
	}

	/**
	 * Claims up to {@code limit} rows after the group's position and moves it past them;
	 * none when another instance is claiming right now.
	 */
	List<Row> claimNext(Connection connection, int limit, Duration lease) throws SQLException {
		connection.setAutoCommit(false);
		try {
			List<Row> rows = new ArrayList<>();
			long[] position = lockPosition(connection);
			if (position != null) {
				try (PreparedStatement select = connection.prepareStatement(this.schema.rowsAfter(limit))) {
					select.setLong(1, position[0]);
					select.setLong(2, position[1]);
					rows = read(select);
				}
			}
			if (!rows.isEmpty()) {
				insertClaims(connection, rows, lease);
				Row last = rows.get(rows.size() - 1);
				try (PreparedStatement move = connection.prepareStatement("UPDATE \"" + this.schema.groups
						+ "\" SET \"txid\" = ?, \"seq\" = ? WHERE \"group_name\" = ?")) {
					move.setLong(1, last.txid());
					move.setLong(2, last.seq());
					move.setString(3, this.group);
					move.executeUpdate();
				}
			}
			connection.commit();
			return rows;
		}
		catch (SQLException | RuntimeException ex) {
			Closeables.rollbackQuietly(connection);
			throw ex;
		}
		finally {
			Closeables.autoCommitQuietly(connection);
		}
	}

	private long @Nullable [] lockPosition(Connection connection) throws SQLException {
		try (PreparedStatement lock = connection.prepareStatement("SELECT \"txid\", \"seq\" FROM \""
				+ this.schema.groups + "\" WHERE \"group_name\" = ? FOR UPDATE SKIP LOCKED")) {
			lock.setString(1, this.group);
			try (ResultSet found = lock.executeQuery()) {
				return found.next() ? new long[] { found.getLong(1), found.getLong(2) } : null;
			}
		}
	}

	private void insertClaims(Connection connection, List<Row> rows, Duration lease) throws SQLException {
		try (PreparedStatement insert = connection.prepareStatement("INSERT INTO \"" + this.schema.claims
				+ "\" (\"group_name\", \"event_id\", \"owner\", \"lease_until\") SELECT ?, id, ?, now() + ? * "
				+ "interval '1 millisecond' FROM unnest(?::text[]) AS id ON CONFLICT DO NOTHING")) {
			insert.setString(1, this.group);
			insert.setString(2, this.owner);
			insert.setLong(3, lease.toMillis());
			insert.setArray(4, ids(connection, rows.stream().map(Row::id).toList()));
			insert.executeUpdate();
		}
	}

	/**
	 * Takes over up to {@code limit} claims of the group whose lease ran out (an instance
	 * died, or handed them back) and returns their rows; a claim whose row is gone is
	 * deleted.
	 */
	List<Row> reclaim(Connection connection, int limit, Duration lease) throws SQLException {
		List<String> ids = new ArrayList<>();
		try (PreparedStatement take = connection.prepareStatement("UPDATE \"" + this.schema.claims
				+ "\" SET \"owner\" = ?, \"lease_until\" = now() + ? * interval '1 millisecond' "
				+ "WHERE \"group_name\" = ? AND \"event_id\" IN (SELECT \"event_id\" FROM \"" + this.schema.claims
				+ "\" WHERE \"group_name\" = ? AND \"lease_until\" < now() ORDER BY \"lease_until\" LIMIT ? "
				+ "FOR UPDATE SKIP LOCKED) RETURNING \"event_id\"")) {
			take.setString(1, this.owner);
			take.setLong(2, lease.toMillis());
			take.setString(3, this.group);
			take.setString(4, this.group);
			take.setInt(5, limit);
			try (ResultSet taken = take.executeQuery()) {
				while (taken.next()) {
					ids.add(taken.getString(1));
				}
			}
		}
		if (ids.isEmpty()) {
			return List.of();
		}
		List<Row> rows;
		try (PreparedStatement select = connection.prepareStatement(this.schema.rowsWithIds())) {
			select.setArray(1, ids(connection, ids));
			rows = read(select);
		}
		Map<String, Row> byId = new HashMap<>();
		rows.forEach((row) -> byId.put(row.id(), row));
		List<String> gone = ids.stream().filter((id) -> !byId.containsKey(id)).toList();
		if (!gone.isEmpty()) {
			settle(connection, gone, List.of());
		}
		return rows;
	}

	/** Deletes the finished claims and ends the lease of those handed back. */
	void settle(Connection connection, List<String> finished, List<String> handedBack) throws SQLException {
		if (!finished.isEmpty()) {
			try (PreparedStatement delete = connection.prepareStatement("DELETE FROM \"" + this.schema.claims
					+ "\" WHERE \"group_name\" = ? AND \"owner\" = ? AND \"event_id\" = ANY(?)")) {
				delete.setString(1, this.group);
				delete.setString(2, this.owner);
				delete.setArray(3, ids(connection, finished));
				delete.executeUpdate();
			}
		}
		if (!handedBack.isEmpty()) {
			try (PreparedStatement release = connection.prepareStatement("UPDATE \"" + this.schema.claims
					+ "\" SET \"lease_until\" = '-infinity' WHERE \"group_name\" = ? AND \"owner\" = ? "
					+ "AND \"event_id\" = ANY(?)")) {
				release.setString(1, this.group);
				release.setString(2, this.owner);
				release.setArray(3, ids(connection, handedBack));
				release.executeUpdate();
			}
		}
	}

	/** Renews the lease of these claims of this instance. */
	void renew(Connection connection, List<String> ids, Duration lease) throws SQLException {
		if (ids.isEmpty()) {
			return;
		}
		try (PreparedStatement renew = connection.prepareStatement("UPDATE \"" + this.schema.claims
				+ "\" SET \"lease_until\" = now() + ? * interval '1 millisecond' WHERE \"group_name\" = ? "
				+ "AND \"owner\" = ? AND \"lease_until\" <> '-infinity' AND \"event_id\" = ANY(?)")) {
			renew.setLong(1, lease.toMillis());
			renew.setString(2, this.group);
			renew.setString(3, this.owner);
			renew.setArray(4, ids(connection, ids));
			renew.executeUpdate();
		}
	}

	/** Hands back every claim this instance still holds (it stops). */
	void releaseAll(Connection connection) throws SQLException {
		try (PreparedStatement release = connection.prepareStatement("UPDATE \"" + this.schema.claims
				+ "\" SET \"lease_until\" = '-infinity' WHERE \"group_name\" = ? AND \"owner\" = ?")) {
			release.setString(1, this.group);
			release.setString(2, this.owner);
			release.executeUpdate();
		}
	}

	static List<Row> read(PreparedStatement select) throws SQLException {
		List<Row> rows = new ArrayList<>();
		try (ResultSet found = select.executeQuery()) {
			while (found.next()) {
				rows.add(new Row(FlatRow.read(found), found.getLong("bubus_txid"), found.getLong("bubus_seq")));
			}
		}
		return rows;
	}

	private static Array ids(Connection connection, List<String> ids) throws SQLException {
		return connection.createArrayOf("text", ids.toArray());
	}

}
