package io.bubus.spring.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;

import javax.sql.DataSource;

import io.bubus.EventBus;
import io.bubus.history.JdbcEventHistoryStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's recipe for durable history in a Spring Boot application: a
 * {@link JdbcEventHistoryStore} over the application's {@link DataSource}, set on every
 * bus by an {@link EventBusBuilderCustomizer}; a restarted application finds the earlier
 * run's events.
 */
class DurableHistoryTests {

	@TempDir
	Path dir;

	@Test
	void eventsOfAnEarlierRunAreFoundAfterARestart() {
		ApplicationContextRunner runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(BubusAutoConfiguration.class))
			.withUserConfiguration(HistoryConfiguration.class)
			.withBean(DataSource.class, () -> {
				SQLiteDataSource dataSource = new SQLiteDataSource();
				dataSource.setUrl("jdbc:sqlite:" + this.dir.resolve("history.db"));
				return dataSource;
			});
		runner.run((context) -> {
			EventBus bus = context.getBean(EventBus.class);
			bus.on(OrderPlaced.class, (event) -> "placed " + event.orderId);
			bus.emit(new OrderPlaced("o-7")).done();
			assertThat(bus.waitUntilIdle(Duration.ofSeconds(10))).isTrue();
		});
		runner.run((context) -> {
			EventBus restarted = context.getBean(EventBus.class);
			assertThat(restarted.eventHistory()).isEmpty();
			assertThat(restarted.find(OrderPlaced.class).get()).hasValueSatisfying((event) -> {
				assertThat(event.orderId).isEqualTo("o-7");
				assertThat(event.eventResult()).isEqualTo("placed o-7");
			});
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class HistoryConfiguration {

		@Bean(destroyMethod = "close")
		JdbcEventHistoryStore eventHistoryStore(DataSource dataSource) {
			return new JdbcEventHistoryStore(dataSource);
		}

		@Bean
		EventBusBuilderCustomizer durableHistory(JdbcEventHistoryStore store) {
			return (name, builder) -> builder.historyStore(store);
		}

	}

}
