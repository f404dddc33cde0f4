package io.bubus.bridge;

import java.sql.Connection;
import java.sql.SQLException;

import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * Closing connections, and ending their transactions, where they may already be broken
 * and a failure changes nothing.
 */
final class Closeables {

	private Closeables() {
	}

	static void closeQuietly(@Nullable AutoCloseable closeable) {
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
	static void rollbackQuietly(@Nullable Connection connection) {
		if (connection == null) {
			return;
		}
		try {
			connection.rollback();
		}
		catch (SQLException ex) {
			LoggerFactory.getLogger(Closeables.class).debug("could not roll back on {}: {}", connection, ex.toString());
		}
	}

	/** Back to auto-commit after a transaction, if the connection still can. */
	static void autoCommitQuietly(@Nullable Connection connection) {
		if (connection == null) {
			return;
		}
		try {
			connection.setAutoCommit(true);
		}
		catch (SQLException ex) {
			LoggerFactory.getLogger(Closeables.class)
				.debug("could not restore auto-commit on {}: {}", connection, ex.toString());
		}
	}

}
