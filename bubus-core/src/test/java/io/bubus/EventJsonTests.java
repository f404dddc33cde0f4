package io.bubus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.bubus.internal.Ids;
import io.bubus.internal.Timestamps;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Core scenarios 10 and 11: the JSON of a processed event and its round trip, and
 * deterministic handler ids.
 */
class EventJsonTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final List<String> METADATA_KEYS = List.of("event_type", "event_version", "event_timeout",
			"event_slow_timeout", "event_concurrency", "event_handler_timeout", "event_handler_slow_timeout",
			"event_handler_concurrency", "event_handler_completion", "event_result_type", "event_id", "event_path",
			"event_parent_id", "event_emitted_by_handler_id", "event_pending_bus_count", "event_created_at",
			"event_status", "event_started_at", "event_completed_at");

	private static final List<String> RESULT_KEYS = List.of("id", "status", "event_id", "handler_id", "handler_name",
			"handler_file_path", "handler_timeout", "handler_slow_timeout", "handler_registered_at",
			"handler_event_pattern", "eventbus_id", "eventbus_name", "started_at", "completed_at", "result", "error",
			"event_children");

	public static class JsonOrderEvent extends BaseEvent<String> {

		public String orderId;

		public JsonOrderEvent() {
		}

		public JsonOrderEvent(String orderId) {
			this.orderId = orderId;
		}

	}

	@Test
	void anEventOfAnotherClassIsReadIntoTheRequestedClass() {
		BaseEvent<?> received = BaseEvent.fromJson("{\"event_type\":\"JsonOrderFromElsewhere\",\"order_id\":\"o-7\"}");
		assertThat(received).isInstanceOf(DynamicEvent.class);

		JsonOrderEvent typed = received.as(JsonOrderEvent.class);

		assertThat(typed.orderId).isEqualTo("o-7");
		assertThat(typed.eventId()).isEqualTo(received.eventId());
		assertThat(typed.as(JsonOrderEvent.class)).isSameAs(typed);
	}

	@Test
	void processedEventJsonHasEveryDocumentedKeyInOrder() {
		try (EventBus bus = new EventBus("JsonKeysBus")) {
			EventHandler handler = bus.on(JsonOrderEvent.class, (event) -> "ok");
			JsonOrderEvent event = bus.emit(new JsonOrderEvent("o-1"));
			event.done(WAIT);

			JsonNode json = JsonVectors.tree(event.toJson());

			List<String> keys = new ArrayList<>();
			json.properties().forEach((entry) -> keys.add(entry.getKey()));
			assertThat(keys).startsWith(METADATA_KEYS.toArray(String[]::new));
			assertThat(keys).containsExactlyElementsOf(concat(METADATA_KEYS, List.of("order_id", "event_results")));
			assertThat(json.get("order_id").asString()).isEqualTo("o-1");
			assertThat(json.get("event_status").asString()).isEqualTo("completed");
			assertThat(json.get("event_parent_id").isNull()).isTrue();
			assertThat(json.get("event_emitted_by_handler_id").isNull()).isTrue();
			assertThat(json.get("event_path").get(0).asString()).isEqualTo(bus.label());
			for (String key : List.of("event_created_at", "event_started_at", "event_completed_at")) {
				assertCanonical(json.get(key).asString());
			}
			JsonNode schema = json.get("event_result_type");
			assertThat(schema.get("$schema").asString()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
			assertThat(schema.get("type").asString()).isEqualTo("string");

			JsonNode row = json.get("event_results").get(0);
			List<String> rowKeys = new ArrayList<>();
			row.properties().forEach((entry) -> rowKeys.add(entry.getKey()));
			assertThat(rowKeys).containsExactlyInAnyOrderElementsOf(RESULT_KEYS);
			assertThat(row.has("handler")).isFalse();
			assertThat(row.get("handler_id").asString()).isEqualTo(handler.id());
			assertThat(row.get("handler_name").asString()).isEqualTo(handler.handlerName());
			assertThat(row.get("handler_event_pattern").asString()).isEqualTo("JsonOrderEvent");
			assertThat(row.get("eventbus_id").asString()).isEqualTo(bus.id());
			assertThat(row.get("eventbus_name").asString()).isEqualTo(bus.name());
			assertThat(row.get("event_id").asString()).isEqualTo(event.eventId());
			assertThat(row.get("status").asString()).isEqualTo("completed");
			assertThat(row.get("result").asString()).isEqualTo("ok");
			assertThat(row.get("error").isNull()).isTrue();
			assertThat(row.get("event_children").isArray()).isTrue();
			assertCanonical(row.get("started_at").asString());
			assertCanonical(row.get("completed_at").asString());
			assertCanonical(row.get("handler_registered_at").asString());
		}
	}

	@Test
	void fromJsonRestoresStatusTimestampsAndResults() {
		try (EventBus bus = new EventBus("JsonRoundTripBus")) {
			bus.on(JsonOrderEvent.class, (event) -> "ok");
			JsonOrderEvent event = bus.emit(new JsonOrderEvent("o-2"));
			event.done(WAIT);

			JsonOrderEvent back = BaseEvent.fromJson(event.toJson(), JsonOrderEvent.class);

			assertThat(back).isNotSameAs(event);
			assertThat(back.orderId).isEqualTo("o-2");
			assertThat(back.eventId()).isEqualTo(event.eventId());
			assertThat(back.eventStatus()).isEqualTo(EventStatus.COMPLETED);
			assertThat(back.eventCreatedAt()).isEqualTo(event.eventCreatedAt());
			assertThat(back.eventStartedAt()).isEqualTo(event.eventStartedAt());
			assertThat(back.eventCompletedAt()).isEqualTo(event.eventCompletedAt());
			assertThat(back.eventPath()).isEqualTo(event.eventPath());
			assertThat(back.eventParentId()).isNull();
			assertThat(back.eventEmittedByHandlerId()).isNull();
			assertThat(back.eventResults().keySet()).isEqualTo(event.eventResults().keySet());
			EventResult<String> row = back.eventResults().values().iterator().next();
			EventResult<String> original = event.eventResults().values().iterator().next();
			assertThat(row.id()).isEqualTo(original.id());
			assertThat(row.status()).isEqualTo(ResultStatus.COMPLETED);
			assertThat(row.result()).isEqualTo("ok");
			assertThat(row.startedAt()).isEqualTo(original.startedAt());
			assertThat(row.completedAt()).isEqualTo(original.completedAt());
			assertThat(back.eventResult()).isEqualTo("ok");
			assertThat(back.toJson()).isEqualTo(event.toJson());
		}
	}

	@Test
	void errorRowIsWrittenAsTypeAndMessage() {
		try (EventBus bus = new EventBus("JsonErrorBus")) {
			bus.on(JsonOrderEvent.class, (event) -> {
				throw new IllegalStateException("out of stock");
			});
			JsonOrderEvent event = bus.emit(new JsonOrderEvent("o-3"));
			event.done(WAIT);

			JsonNode error = JsonVectors.tree(event.toJson()).get("event_results").get(0).get("error");

			assertThat(error.properties()).hasSize(2);
			assertThat(error.get("type").asString()).isEqualTo("IllegalStateException");
			assertThat(error.get("message").asString()).isEqualTo("out of stock");
			Throwable back = BaseEvent.fromJson(event.toJson()).eventResults().values().iterator().next().error();
			assertThat(back).hasMessage("out of stock");
			assertThat(EventJson.errorType(back)).isEqualTo("IllegalStateException");
		}
	}

	@Test
	void unsetOverridesAndParentSurviveAsNull() {
		JsonOrderEvent event = new JsonOrderEvent("o-4");
		JsonNode json = JsonVectors.tree(event.toJson());
		for (String key : List.of("event_timeout", "event_concurrency", "event_handler_completion", "event_parent_id",
				"event_emitted_by_handler_id", "event_started_at", "event_completed_at")) {
			assertThat(json.get(key).isNull()).as(key).isTrue();
		}
		assertThat(json.get("event_status").asString()).isEqualTo("pending");
		assertThat(json.has("event_results")).isFalse();
		JsonOrderEvent back = BaseEvent.fromJson(event.toJson(), JsonOrderEvent.class);
		assertThat(back.eventTimeout()).isNull();
		assertThat(back.eventConcurrency()).isNull();
		assertThat(back.eventParentId()).isNull();
		assertThat(back.eventStartedAt()).isNull();
	}

	@Test
	void eventResultsAreAcceptedAsAnObjectKeyedByHandlerIdToo() {
		try (EventBus bus = new EventBus("JsonResultsObjectBus")) {
			bus.on(JsonOrderEvent.class, (event) -> "ok");
			JsonOrderEvent event = bus.emit(new JsonOrderEvent("o-5"));
			event.done(WAIT);
			tools.jackson.databind.node.ObjectNode json = (tools.jackson.databind.node.ObjectNode) JsonVectors
				.tree(event.toJson());
			JsonNode row = json.get("event_results").get(0);
			json.putObject("event_results").set(row.get("handler_id").asString(), row);

			BaseEvent<?> back = BaseEvent.fromJson(json.toString());

			assertThat(back.eventResults()).hasSize(1);
			assertThat(back.eventResults().values().iterator().next().result()).isEqualTo("ok");
		}
	}

	public record JsonReceipt(String orderId, int totalCents, @JsonProperty("Note") String note) {
	}

	public static class JsonReceiptEvent extends BaseEvent<JsonReceipt> {

	}

	@Test
	void resultTypeSchemaNamesPropertiesAsTheResultIsWritten() {
		try (EventBus bus = new EventBus("JsonSchemaNamesBus")) {
			bus.on(JsonReceiptEvent.class, (event) -> new JsonReceipt("o-1", 4200, "thanks"));
			JsonReceiptEvent event = bus.emit(new JsonReceiptEvent());
			event.done(WAIT);

			JsonNode json = JsonVectors.tree(event.toJson());
			JsonNode result = json.get("event_results").get(0).get("result");
			JsonNode properties = json.get("event_result_type").get("properties");

			List<String> resultKeys = new ArrayList<>();
			result.properties().forEach((entry) -> resultKeys.add(entry.getKey()));
			List<String> schemaKeys = new ArrayList<>();
			properties.properties().forEach((entry) -> schemaKeys.add(entry.getKey()));
			assertThat(resultKeys).containsExactlyInAnyOrder("order_id", "total_cents", "Note");
			assertThat(schemaKeys).containsExactlyInAnyOrderElementsOf(resultKeys);
			assertThat(properties.get("order_id").get("type").asString()).isEqualTo("string");
		}
	}

	@Test
	void schemaReadFromJsonChecksResultsByTheirWireNames() {
		try (EventBus bus = new EventBus("JsonSchemaCheckBus")) {
			String json = new JsonReceiptEvent().toJson();
			BaseEvent<?> good = BaseEvent.fromJson(json, DynamicEvent.class);
			BaseEvent<?> bad = BaseEvent.fromJson(json, DynamicEvent.class).reset();
			bus.on("JsonReceiptEvent", (event) -> (event == good)
					? Map.of("order_id", "o-2", "total_cents", 10, "Note", "ok") : Map.of("order_id", 5));

			bus.emit(good).done(WAIT);
			bus.emit(bad).done(WAIT);

			assertThat(good.eventResults().values().iterator().next().status()).isEqualTo(ResultStatus.COMPLETED);
			assertThat(bad.eventResults().values().iterator().next().error())
				.isInstanceOf(EventHandlerResultSchemaException.class);
		}
	}

	@Test
	void handlerIdIsTheUuid5OfTheReferenceSeed() {
		assertThat(Ids.handlerId("018f8e40-1234-7000-8000-000000001234", "pkg.module.handler", "~/project/app.py:123",
				"2025-01-02T03:04:05.678901000Z", "StandaloneEvent"))
			.isEqualTo("0acdaf2c-a5b1-5785-8499-7c48b3c2c5d8");
	}

	@Test
	void registeredHandlerIdIsDerivedFromItsRegistration() {
		try (EventBus bus = new EventBus("JsonHandlerIdBus")) {
			EventHandler handler = bus.on(JsonOrderEvent.class, EventJsonTests::handle);

			String expected = Ids.handlerId(bus.id(), handler.handlerName(),
					(handler.handlerFilePath() != null) ? handler.handlerFilePath() : "unknown",
					Timestamps.format(handler.handlerRegisteredAt()), "JsonOrderEvent");
			assertThat(handler.id()).isEqualTo(expected);
			assertThat(handler.handlerName()).isEqualTo("EventJsonTests.handle");
			assertThat(handler.handlerFilePath()).startsWith("EventJsonTests.java:");
			assertThat(handler.eventbusId()).isEqualTo(bus.id());
		}
	}

	@Test
	void sameFunctionRegisteredTwiceGetsTwoIdsAndRunsTwice() {
		try (EventBus bus = new EventBus("JsonHandlerTwiceBus")) {
			EventHandler first = bus.on(JsonOrderEvent.class, EventJsonTests::handle);
			EventHandler second = bus.on(JsonOrderEvent.class, EventJsonTests::handle);
			assertThat(first.id()).isNotEqualTo(second.id());
			assertThat(first.handlerName()).isEqualTo(second.handlerName());

			JsonOrderEvent event = bus.emit(new JsonOrderEvent("o-6"));
			assertThat(event.eventResultsList()).containsExactly("handled o-6", "handled o-6");
		}
	}

	@Test
	void explicitHandlerIdOverridesTheComputedOne() {
		try (EventBus bus = new EventBus("JsonHandlerExplicitBus")) {
			String id = "0acdaf2c-a5b1-5785-8499-7c48b3c2c5d8";
			EventHandler handler = bus.on(JsonOrderEvent.class, EventJsonTests::handle,
					HandlerOptions.defaults().id(id));
			assertThat(handler.id()).isEqualTo(id);
			JsonOrderEvent event = bus.emit(new JsonOrderEvent("o-7"));
			event.done(WAIT);
			assertThat(event.eventResults()).containsOnlyKeys(id);
		}
	}

	static String handle(JsonOrderEvent event) {
		return "handled " + event.orderId;
	}

	private static void assertCanonical(String timestamp) {
		assertThat(timestamp).hasSize(30).endsWith("Z").matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{9}Z");
		assertThat(Timestamps.canonical(timestamp)).isEqualTo(timestamp);
	}

	private static List<String> concat(List<String> first, List<String> second) {
		List<String> all = new ArrayList<>(first);
		all.addAll(second);
		return all;
	}

}
