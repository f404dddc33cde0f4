package io.bubus.history;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;

/**
 * {@link JdbcEventHistoryStore} on the real PostgreSQL server of SERVICES.md, in a table
 * of its own per test.
 */
@Tag("services")
class PostgresEventHistoryStoreTests extends EventHistoryStoreContract {

	private static final String URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

	private final String table = "bubus_history_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

	@Override
	JdbcEventHistoryStore openStore() {
		return JdbcEventHistoryStore.postgres(URL, this.table);
	}

	@AfterEach
	void dropTable() throws SQLException {
		try (Connection connection = DriverManager.getConnection(URL);
				Statement statement = connection.createStatement()) {
			statement.execute("DROP TABLE IF EXISTS " + this.table);
		}
	}

}
