package io.bubus.spring.autoconfigure.publication;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.bubus.BaseEvent;
import io.bubus.spring.autoconfigure.BubusAutoConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Base of the publication log tests: each test gets a database of its own, an H2 file in
 * its temporary directory here; the {@code Postgres*} subclasses override
 * {@link #openDatabase} with a fresh schema in the local PostgreSQL.
 */
abstract class PublicationDatabaseTests {

	static final Duration WAIT = Duration.ofSeconds(20);

	@TempDir
	Path dir;

	PublicationDatabase database;

	@BeforeEach
	void openDatabase() {
		this.database = openDatabase(this.dir);
	}

	@AfterEach
	void closeDatabase() {
		this.database.close();
	}

	PublicationDatabase openDatabase(Path dir) {
		return PublicationDatabase.h2(dir);
	}

	/**
	 * The starter with a DataSource on the test's database, transactions and the
	 * publication log (no scheduled checks unless the properties set an interval).
	 */
	ApplicationContextRunner runner(String... properties) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
					DataSourceTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class,
					JdbcTemplateAutoConfiguration.class, BubusAutoConfiguration.class,
					BubusPublicationAutoConfiguration.class))
			.withPropertyValues("spring.datasource.url=" + this.database.url(), "bubus.publications.enabled=true",
					"bubus.publications.check-interval=0")
			.withPropertyValues(properties);
	}

	/** The log on the test's database, read as another application would. */
	PublicationStore store() {
		return new PublicationStore(new DriverManagerDataSource(this.database.url()), new BubusPublicationProperties());
	}

	static <T> T inTransaction(ApplicationContext context, Supplier<T> action) {
		return new TransactionTemplate(context.getBean(PlatformTransactionManager.class))
			.execute((status) -> action.get());
	}

	static Map<String, HandlerPublication> byKey(EventPublication publication) {
		Map<String, HandlerPublication> handlers = new ConcurrentHashMap<>();
		publication.handlers().forEach((handler) -> handlers.put(handler.handlerKey(), handler));
		return handlers;
	}

	public static class OrderPlaced extends BaseEvent<String> {

		public String orderId;

		public OrderPlaced() {
		}

		public OrderPlaced(String orderId) {
			this.orderId = orderId;
		}

	}

	public static class OrderShipped extends BaseEvent<String> {

		public String orderId;

		public OrderShipped() {
		}

		public OrderShipped(String orderId) {
			this.orderId = orderId;
		}

	}

}
