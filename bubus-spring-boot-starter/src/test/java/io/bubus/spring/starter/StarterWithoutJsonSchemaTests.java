package io.bubus.spring.starter;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.bubus.BaseEvent;
import io.bubus.EventBus;
import io.bubus.json.BubusJson;
import io.bubus.json.ResultSchemas;
import io.bubus.spring.autoconfigure.BubusAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The starter leaves out the JSON Schema tooling (victools generator, networknt validator
 * and the YAML parsers the validator pulls in), and bubus works without it: a typed event
 * is written with {@code "event_result_type": null}, a schema received on the wire is
 * kept but not checked, and each is said once in the log, naming the artifacts to add.
 * This module's test class path is the starter's.
 */
class StarterWithoutJsonSchemaTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(BubusAutoConfiguration.class));

	@Test
	void theSchemaToolingIsNotOnTheStartersClassPath() {
		for (String name : List.of("com.github.victools.jsonschema.generator.SchemaGenerator",
				"com.github.victools.jsonschema.module.jackson.JacksonModule", "com.networknt.schema.SchemaRegistry",
				"tools.jackson.dataformat.yaml.YAMLMapper", "org.snakeyaml.engine.v2.api.Load")) {
			assertThatExceptionOfType(ClassNotFoundException.class).as(name)
				.isThrownBy(() -> Class.forName(name, false, getClass().getClassLoader()));
		}
		assertThat(ResultSchemas.generationAvailable()).isFalse();
		assertThat(ResultSchemas.validationAvailable()).isFalse();
	}

	@Test
	void eventsWorkWithoutSchemasAndTheMissingToolingIsLoggedOncePerFeature() {
		Logger logger = (Logger) LoggerFactory.getLogger(ResultSchemas.class);
		ListAppender<ILoggingEvent> appender = new ListAppender<>();
		appender.start();
		logger.addAppender(appender);
		try {
			this.contextRunner.run((context) -> {
				EventBus bus = context.getBean(EventBus.class);
				bus.on(Quote.class, (event) -> 42);
				bus.on("RemoteQuote", (event) -> "not a number");
				for (int i = 0; i < 2; i++) {
					Quote quote = bus.emit(new Quote());
					quote.done(Duration.ofSeconds(10));
					assertThat(quote.eventResult()).isEqualTo(42);
					Map<String, Object> json = read(quote.toJson());
					assertThat(json).containsEntry("event_result_type", null).containsEntry("event_type", "Quote");
					assertThat(BaseEvent.fromJson(quote.toJson(), Quote.class).eventResult()).isEqualTo(42);

					// a peer's event whose handlers must return an integer: kept, not
					// checked
					BaseEvent<?> remote = BaseEvent.fromJson("{\"event_type\": \"RemoteQuote\", "
							+ "\"event_result_type\": {\"$schema\": \"https://json-schema.org/draft/2020-12/schema\", "
							+ "\"type\": \"integer\"}}");
					bus.emit(remote).done(Duration.ofSeconds(10));
					assertThat(remote.eventResult()).isEqualTo("not a number");
					assertThat(read(remote.toJson()).get("event_result_type").toString()).contains("integer");
				}
			});
			List<ILoggingEvent> lines;
			synchronized (appender) {
				lines = List.copyOf(appender.list);
			}
			assertThat(lines).filteredOn((line) -> line.getFormattedMessage().contains("jsonschema-generator"))
				.singleElement()
				.satisfies((line) -> assertThat(line.getLevel()).isEqualTo(Level.INFO));
			assertThat(lines).filteredOn((line) -> line.getFormattedMessage().contains("json-schema-validator"))
				.singleElement()
				.satisfies((line) -> assertThat(line.getLevel()).isEqualTo(Level.WARN));
		}
		finally {
			logger.detachAppender(appender);
			appender.stop();
		}
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> read(String json) {
		return BubusJson.MAPPER.readValue(json, Map.class);
	}

	public static class Quote extends BaseEvent<Integer> {

	}

}
