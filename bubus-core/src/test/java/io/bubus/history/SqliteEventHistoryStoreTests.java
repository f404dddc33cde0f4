package io.bubus.history;

import java.nio.file.Path;
import java.time.Duration;

import io.bubus.EventBus;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** {@link JdbcEventHistoryStore} on a real SQLite file. */
class SqliteEventHistoryStoreTests extends EventHistoryStoreContract {

	@TempDir
	Path dir;

	@Override
	JdbcEventHistoryStore openStore() {
		return JdbcEventHistoryStore.sqlite(this.dir.resolve("nested/history.db"));
	}

	@Test
	void theFileAndItsDirectoriesAreCreated() {
		try (JdbcEventHistoryStore store = openStore()) {
			assertThat(this.dir.resolve("nested/history.db")).isRegularFile();
			assertThat(store.table()).isEqualTo("bubus_event_history");
		}
	}

	@Test
	void aStoreOverADataSourceReadsWhatAnotherProcessWrote() {
		try (JdbcEventHistoryStore writer = openStore();
				EventBus bus = EventBus.builder("StoreDataSource").historyStore(writer).build()) {
			bus.on(HistoryOrder.class, (order) -> "ok-" + order.orderId);
			bus.emit(new HistoryOrder(5)).done(Duration.ofSeconds(10));
			assertThat(bus.waitUntilIdle(Duration.ofSeconds(10))).isTrue();
		}
		SQLiteDataSource dataSource = new SQLiteDataSource();
		dataSource.setUrl("jdbc:sqlite:" + this.dir.resolve("nested/history.db"));
		try (JdbcEventHistoryStore reader = new JdbcEventHistoryStore(dataSource);
				EventBus bus = EventBus.builder("StoreDataSource").historyStore(reader).build()) {
			assertThat(bus.find(HistoryOrder.class).get())
				.hasValueSatisfying((order) -> assertThat(order.eventResult()).isEqualTo("ok-5"));
		}
	}

	@Test
	void aTableNameThatIsNotAnIdentifierIsRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> JdbcEventHistoryStore.sqlite(this.dir.resolve("h.db"), "events; DROP TABLE x"))
			.withMessageContaining("History table name");
	}

}
