package io.bubus.spring.autoconfigure;

import java.math.BigDecimal;
import java.util.Date;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.bubus.BaseEvent;
import io.bubus.DynamicEvent;
import io.bubus.EventBus;
import io.bubus.json.BubusJson;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JacksonModule;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Event payloads and handler results use the application's {@code JsonMapper} (its
 * Jackson modules and {@code spring.jackson.*} settings); the {@code event_*} metadata
 * keeps its names and wire forms whatever those settings say.
 */
class BubusJacksonAutoConfigurationTests {

	private static final String TIMESTAMP = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{9}Z";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, BubusJacksonAutoConfiguration.class,
				BubusAutoConfiguration.class));

	@Test
	void theApplicationsJacksonModulesApplyToPayloadsAndResults() {
		this.contextRunner.withBean("moneyModule", JacksonModule.class, BubusJacksonAutoConfigurationTests::moneyModule)
			.run((context) -> {
				assertThat(context).hasSingleBean(BubusPayloadMapper.class);
				EventBus bus = context.getBean(EventBus.class);
				bus.on(Priced.class, (event) -> new Money(event.price.amount().add(BigDecimal.ONE), "EUR"));
				Priced priced = bus.emit(new Priced("o-1", new Money(new BigDecimal("12.50"), "EUR")));
				priced.done();

				Map<String, Object> json = read(priced.toJson());
				assertThat(json).containsEntry("order_id", "o-1").containsEntry("price", "12.50 EUR");
				assertThat(json.get("event_results").toString()).contains("result=13.50 EUR");
				Priced copy = BaseEvent.fromJson(priced.toJson(), Priced.class);
				assertThat(copy.price).isEqualTo(new Money(new BigDecimal("12.50"), "EUR"));
				assertThat(copy.eventResult()).isEqualTo(new Money(new BigDecimal("13.50"), "EUR"));
				// a received event of an unknown type, read into the class by a handler
				BaseEvent<?> received = BaseEvent.fromJson(priced.toJson().replace("\"Priced\"", "\"PricedV2\""));
				assertThat(received).isInstanceOf(DynamicEvent.class);
				assertThat(received.as(Priced.class).price).isEqualTo(new Money(new BigDecimal("12.50"), "EUR"));
			});
	}

	@Test
	void aDateFormatChangesPayloadDatesButNotTheEventTimestamps() {
		this.contextRunner.withPropertyValues("spring.jackson.date-format=yyyy-MM-dd", "spring.jackson.time-zone=UTC")
			.run((context) -> {
				Stamped stamped = new Stamped();
				stamped.shippedOn = new Date(86_400_000L * 365);
				EventBus bus = context.getBean(EventBus.class);
				bus.on(Stamped.class, (event) -> null);
				bus.emit(stamped).done();

				Map<String, Object> json = read(stamped.toJson());
				assertThat(json).containsEntry("shipped_on", "1971-01-01");
				assertThat(json.get("event_created_at").toString()).matches(TIMESTAMP);
				assertThat(json.get("event_completed_at").toString()).matches(TIMESTAMP);
				assertThat(BaseEvent.fromJson(stamped.toJson(), Stamped.class).shippedOn).isEqualTo(stamped.shippedOn);
			});
	}

	@Test
	void aNamingStrategyRenamesPayloadFieldsButNoEventField() {
		String defaultJson = json(this.contextRunner);
		this.contextRunner.withPropertyValues("spring.jackson.property-naming-strategy=KEBAB_CASE").run((context) -> {
			OrderPlaced order = new OrderPlaced("o-7");
			Map<String, Object> json = read(order.toJson());
			assertThat(json).containsEntry("order-id", "o-7").doesNotContainKey("order_id");
			assertThat(eventFields(json)).isEqualTo(eventFields(read(defaultJson)));
			assertThat(BaseEvent.fromJson(order.toJson(), OrderPlaced.class).orderId).isEqualTo("o-7");
		});
		this.contextRunner.withPropertyValues("spring.jackson.property-naming-strategy=SNAKE_CASE")
			.run((context) -> assertThat(read(new OrderPlaced("o-7").toJson())).containsEntry("order_id", "o-7"));
	}

	@Test
	void withoutANamingStrategyPayloadFieldsAreSnakeCaseAsOnTheWire() {
		this.contextRunner.run((context) -> {
			assertThat(BubusJson.payloadMapper()).isNotSameAs(BubusJson.MAPPER);
			assertThat(read(new OrderPlaced("o-8").toJson())).containsEntry("order_id", "o-8");
		});
	}

	@Test
	void fieldVisibilityDoesNotPutTheEventsOwnStateIntoThePayload() {
		this.contextRunner.withPropertyValues("spring.jackson.visibility.field=any").run((context) -> {
			Hidden hidden = new Hidden();
			Map<String, Object> json = read(hidden.toJson());
			Set<String> payload = new TreeSet<>(json.keySet());
			payload.removeIf((key) -> key.startsWith("event_"));
			assertThat(payload).containsExactly("secret_note");
		});
	}

	@Test
	void withoutAJsonMapperBeanPayloadsUseBubusMapper() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(BubusJacksonAutoConfiguration.class, BubusAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).doesNotHaveBean(BubusPayloadMapper.class);
				assertThat(BubusJson.payloadMapper()).isSameAs(BubusJson.MAPPER);
			});
	}

	@Test
	void thePropertyTurnsTheApplicationMapperOff() {
		this.contextRunner
			.withPropertyValues("bubus.json.use-application-mapper=false",
					"spring.jackson.property-naming-strategy=KEBAB_CASE")
			.run((context) -> {
				assertThat(context).doesNotHaveBean(BubusPayloadMapper.class);
				assertThat(read(new OrderPlaced("o-9").toJson())).containsEntry("order_id", "o-9");
			});
	}

	@Test
	void aUserBeanWins() {
		JsonMapper own = JsonMapper.builder().build();
		this.contextRunner.withBean(BubusPayloadMapper.class, () -> new BubusPayloadMapper(own)).run((context) -> {
			assertThat(context).hasSingleBean(BubusPayloadMapper.class);
			assertThat(BubusJson.payloadMapper()).isSameAs(context.getBean(BubusPayloadMapper.class).getMapper());
		});
	}

	@Test
	void closingTheContextPutsBubusMapperBack() {
		this.contextRunner.withPropertyValues("spring.jackson.property-naming-strategy=KEBAB_CASE")
			.run((context) -> assertThat(BubusJson.payloadMapper()).isNotSameAs(BubusJson.MAPPER));
		assertThat(BubusJson.payloadMapper()).isSameAs(BubusJson.MAPPER);
		assertThat(read(new OrderPlaced("o-10").toJson())).containsEntry("order_id", "o-10");
	}

	private static String json(ApplicationContextRunner runner) {
		StringBuilder json = new StringBuilder();
		runner.run((context) -> json.append(new OrderPlaced("o-7").toJson()));
		return json.toString();
	}

	/** The event_* field names with the JSON types of their values. */
	private static Map<String, String> eventFields(Map<String, Object> json) {
		Map<String, String> fields = new java.util.TreeMap<>();
		json.forEach((key, value) -> {
			if (key.startsWith("event_")) {
				fields.put(key, (value != null) ? value.getClass().getSimpleName() : "null");
			}
		});
		return fields;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> read(String json) {
		return BubusJson.MAPPER.readValue(json, Map.class);
	}

	private static JacksonModule moneyModule() {
		SimpleModule module = new SimpleModule("money");
		module.addSerializer(Money.class, new ValueSerializer<>() {
			@Override
			public void serialize(Money value, JsonGenerator generator, SerializationContext context) {
				generator.writeString(value.amount().toPlainString() + " " + value.currency());
			}
		});
		module.addDeserializer(Money.class, new ValueDeserializer<>() {
			@Override
			public Money deserialize(JsonParser parser, DeserializationContext context) {
				String[] parts = parser.getString().split(" ");
				return new Money(new BigDecimal(parts[0]), parts[1]);
			}
		});
		return module;
	}

	record Money(BigDecimal amount, String currency) {
	}

	public static class Priced extends BaseEvent<Money> {

		public String orderId = "";

		public Money price = new Money(BigDecimal.ZERO, "EUR");

		public Priced() {
		}

		Priced(String orderId, Money price) {
			this.orderId = orderId;
			this.price = price;
		}

	}

	public static class Stamped extends BaseEvent<Void> {

		public Date shippedOn = new Date(0);

	}

	public static class Hidden extends BaseEvent<Void> {

		private String secretNote = "kept";

	}

}
