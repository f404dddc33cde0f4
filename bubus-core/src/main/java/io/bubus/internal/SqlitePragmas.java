package io.bubus.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The settings every SQLite connection of the project runs with, so several connections,
 * buses and processes can share one database file.
 */
public final class SqlitePragmas {

	private SqlitePragmas() {
	}

	/**
	 * Sets a 30 second busy timeout, write-ahead logging and {@code synchronous=NORMAL}
	 * on the connection. The busy timeout comes first: the other pragmas may meet another
	 * writer.
	 * @param connection an open SQLite connection
	 * @throws SQLException when a pragma fails
	 */
	public static void apply(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement()) {
			statement.execute("PRAGMA busy_timeout=30000");
			statement.execute("PRAGMA journal_mode=WAL");
			statement.execute("PRAGMA synchronous=NORMAL");
		}
	}

}
