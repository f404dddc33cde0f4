package io.bubus.spring.autoconfigure.publication;

import javax.sql.DataSource;

import io.bubus.EventBus;
import io.bubus.spring.autoconfigure.BubusAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the starter turns the publication log on: with
 * {@code bubus.publications.enabled=true}, a single {@code DataSource} of PostgreSQL or
 * H2 and spring-jdbc; otherwise an event emitted in a transaction runs at once, as
 * without the log.
 */
@ExtendWith(OutputCaptureExtension.class)
class BubusPublicationAutoConfigurationTests extends PublicationDatabaseTests {

	private static final String TABLES = "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES "
			+ "WHERE UPPER(TABLE_NAME) = 'BUBUS_PUBLICATION'";

	private final ApplicationContextRunner withoutDataSource = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(BubusAutoConfiguration.class, BubusPublicationAutoConfiguration.class))
		.withPropertyValues("bubus.publications.enabled=true", "bubus.publications.check-interval=0");

	@Test
	void theLogIsOffUnlessEnabledAndAnEventEmittedInATransactionRunsAtOnce() {
		runner("bubus.publications.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(EventPublications.class);
			EventBus bus = context.getBean(EventBus.class);
			bus.on(OrderPlaced.class, (event) -> "ran in the transaction");
			String result = inTransaction(context, () -> bus.emit(new OrderPlaced("o-1")).eventResult());
			assertThat(result).isEqualTo("ran in the transaction");
			assertThat(context.getBean(JdbcTemplate.class).queryForObject(TABLES, Integer.class)).isZero();
		});
	}

	@Test
	void enabledItCreatesTheTablesAndHoldsEventsOfEveryBusTheStarterCreates() {
		runner("bubus.buses.audit.max-history-size=10").run((context) -> {
			assertThat(context).hasSingleBean(EventPublications.class);
			assertThat(context.getBean(JdbcTemplate.class).queryForObject(TABLES, Integer.class)).isOne();
			EventBus audit = context.getBean("audit", EventBus.class);
			audit.on(OrderPlaced.class, (event) -> "audited");
			OrderPlaced event = inTransaction(context, () -> audit.emit(new OrderPlaced("o-2")));
			assertThat(event.eventResult()).isEqualTo("audited");
			assertThat(context.getBean(EventPublications.class).find(event.eventId()))
				.hasValueSatisfying((publication) -> assertThat(publication.busName()).isEqualTo("audit"));
		});
	}

	@Test
	void aBusBuiltByHandIsNotHeldByTheTransaction() {
		runner().run((context) -> {
			try (EventBus manual = EventBus.builder("Manual").build()) {
				manual.on(OrderPlaced.class, (event) -> "ran in the transaction");
				OrderPlaced event = inTransaction(context, () -> {
					OrderPlaced emitted = manual.emit(new OrderPlaced("o-3"));
					assertThat(emitted.eventResult()).isEqualTo("ran in the transaction");
					return emitted;
				});
				assertThat(context.getBean(EventPublications.class).find(event.eventId())).isEmpty();
			}
		});
	}

	@Test
	void backsOffWhenBubusIsDisabled() {
		runner("bubus.enabled=false").run((context) -> assertThat(context).hasNotFailed()
			.doesNotHaveBean(EventPublications.class)
			.doesNotHaveBean(EventBus.class));
	}

	@Test
	void backsOffWithoutADataSource() {
		this.withoutDataSource.run((context) -> assertThat(context).hasNotFailed()
			.hasSingleBean(EventBus.class)
			.doesNotHaveBean(EventPublications.class));
	}

	@Test
	void backsOffWithTwoDataSourcesAndNoPrimary() {
		this.withoutDataSource
			.withBean("orders", DataSource.class, () -> new DriverManagerDataSource(this.database.url()))
			.withBean("reports", DataSource.class, () -> new DriverManagerDataSource(this.database.url()))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(EventBus.class)
				.doesNotHaveBean(EventPublications.class));
	}

	@Test
	void backsOffWithoutSpringJdbc() {
		runner().withClassLoader(new FilteredClassLoader(DataSourceUtils.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(EventBus.class)
				.doesNotHaveBean(EventPublications.class));
	}

	@Test
	void anotherDatabaseFailsTheStartupNamingIt() {
		String sqlite = "jdbc:sqlite:" + this.dir.resolve("app.db");
		this.withoutDataSource.withBean(DataSource.class, () -> new DriverManagerDataSource(sqlite))
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("supports PostgreSQL and H2, not SQLite")
				.hasMessageContaining("bubus.publications.enabled=false"));
	}

	@Test
	void anH2FileDatabaseThatDelaysCommitsIsWarnedAboutAtStartup(CapturedOutput output) {
		runner().run((context) -> assertThat(context).hasNotFailed());
		assertThat(output.getOut()).as("the test database has WRITE_DELAY=0").doesNotContain("WRITE_DELAY");
		runner("spring.datasource.url=jdbc:h2:file:" + this.dir.resolve("delayed").toAbsolutePath())
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output.getOut()).contains("writes commits up to 500 ms after it acknowledged them (WRITE_DELAY)",
				"add ;WRITE_DELAY=0 to the JDBC URL");
	}

}
