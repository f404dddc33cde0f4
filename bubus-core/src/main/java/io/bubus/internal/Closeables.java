package io.bubus.internal;

import java.sql.Connection;
import java.sql.SQLException;

import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * Closing connections, and ending their transactions, where they may already be broken
 * and a failure changes nothing.
 */
public final class Closeables {

	private Closeables() {
	}

	public static void closeQuietly(@Nullable AutoCloseable closeable) {
		if (closeable == null) {
			return;
		}
		try {
			closeable.close();
		}
		catch (Exception ex) {
			LoggerFactory.getLogger(Closeables.class).debug("could not close {}: {}", closeable, ex.toString());
		}
	}

	/** Rolls back the open transaction, if the connection still can. */
	public static void rollbackQuietly(@Nullable Connection connection) {
		quietly(connection, "roll back", Connection::rollback);
	}

	/** Back to auto-commit after a transaction, if the connection still can. */
	public static void autoCommitQuietly(@Nullable Connection connection) {
		quietly(connection, "restore auto-commit", (open) -> open.setAutoCommit(true));
	}

	private static void quietly(@Nullable Connection connection, String what, SqlAction action) {
		if (connection == null) {
			return;
		}
		try {
			action.run(connection);
		}
		catch (SQLException ex) {
			LoggerFactory.getLogger(Closeables.class).debug("could not {} on {}: {}", what, connection, ex.toString());
		}
	}

	private interface SqlAction {

		void run(Connection connection) throws SQLException;

	}

}
