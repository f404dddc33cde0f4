package io.bubus.spring.autoconfigure.publication;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A database of its own for one test: an H2 file in a temporary directory, or a fresh
 * schema in the local PostgreSQL (dropped afterwards).
 */
interface PublicationDatabase extends AutoCloseable {

	String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

	/** The JDBC URL the application uses. */
	String url();

	@Override
	void close();

	/**
	 * An H2 file that child JVMs and this one open together (AUTO_SERVER), with every
	 * commit written to the file before it returns (WRITE_DELAY=0): H2's default delay of
	 * 500 ms loses the last commits to a kill -9.
	 */
	static PublicationDatabase h2(Path dir) {
		String url = "jdbc:h2:file:" + dir.resolve("publications").toAbsolutePath() + ";AUTO_SERVER=TRUE;WRITE_DELAY=0";
		return new PublicationDatabase() {
			@Override
			public String url() {
				return url;
			}

			@Override
			public void close() {
			}
		};
	}

	static PublicationDatabase postgres() {
		String schema = "pub_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		execute("CREATE SCHEMA " + schema);
		return new PublicationDatabase() {
			@Override
			public String url() {
				return POSTGRES + "&currentSchema=" + schema;
			}

			@Override
			public void close() {
				execute("DROP SCHEMA " + schema + " CASCADE");
			}
		};
	}

	private static void execute(String sql) {
		try (Connection connection = DriverManager.getConnection(POSTGRES);
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(
					"PostgreSQL at 127.0.0.1:5432 (database test) is needed: " + ex.getMessage(), ex);
		}
	}

}
