package io.bubus;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.bubus.internal.Ids;
import io.bubus.internal.Timestamps;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The cross-runtime JSON vectors written by bubus-ts: every event vector loads, keeps
 * every field and writes back the same JSON; every invalid vector is refused naming its
 * field; timestamp and handler-id vectors.
 * <p>
 * The tests that register Java classes for vector event types run last, because the class
 * registry is global and the other tests expect {@link DynamicEvent}s.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JsonVectorTests {

	/** Event type of vector 07; registered only by the last tests. */
	public static class CheckoutEvent extends BaseEvent<String> {

		public String cartId;

	}

	/** Event type of vector 08. */
	public static class ReserveInventoryEvent extends BaseEvent<String> {

		public String cartId;

	}

	/** Event type of vector 15. */
	public static class PayloadEvent extends BaseEvent<Void> {

		public String text;

		public Map<String, Object> nested;

		public Object nothing;

		public long big;

		public List<Object> list;

	}

	static List<String> eventVectors() {
		List<String> files = JsonVectors.files("events", ".json");
		assertThat(files).hasSize(15);
		return files;
	}

	static List<String> invalidVectors() {
		List<String> files = JsonVectors.files("invalid", ".json");
		assertThat(files).hasSize(8);
		return files;
	}

	@Order(1)
	@ParameterizedTest
	@MethodSource("eventVectors")
	void eventVectorLoadsAsDynamicEventWithEveryField(String file) {
		String json = JsonVectors.read("events/" + file);
		JsonNode vector = JsonVectors.tree(json);

		// no test class may register a class for a vector event type before this runs
		assertThat(EventTypes.lookup(vector.get("event_type").asString())).as("registered class").isNull();
		BaseEvent<?> event = BaseEvent.fromJson(json);

		assertThat(event).isInstanceOf(DynamicEvent.class);
		assertMetadata(vector, event);
		DynamicEvent dynamic = (DynamicEvent) event;
		for (Map.Entry<String, JsonNode> entry : vector.properties()) {
			if (!entry.getKey().startsWith("event_")) {
				assertThat(dynamic.payload()).as("payload %s", entry.getKey()).containsKey(entry.getKey());
				JsonVectors.assertMatches(entry.getValue(),
						io.bubus.json.BubusJson.MAPPER.valueToTree(dynamic.get(entry.getKey())), entry.getKey());
			}
		}
	}

	@Order(2)
	@ParameterizedTest
	@MethodSource("eventVectors")
	void eventVectorWritesBackTheSameJson(String file) {
		JsonNode vector = JsonVectors.tree(JsonVectors.read("events/" + file));

		String written = BaseEvent.fromJson(vector.toString()).toJson();

		JsonVectors.assertMatches(vector, JsonVectors.tree(written), file);
		if (!vector.has("event_results")) {
			assertThat(JsonVectors.tree(written).has("event_results")).as("no results, no key").isFalse();
		}
	}

	@Order(3)
	@ParameterizedTest
	@MethodSource("eventVectors")
	void eventVectorSurvivesASecondRoundTrip(String file) {
		JsonNode vector = JsonVectors.tree(JsonVectors.read("events/" + file));

		String twice = BaseEvent.fromJson(BaseEvent.fromJson(vector.toString()).toJson()).toJson();

		JsonVectors.assertMatches(vector, JsonVectors.tree(twice), file);
	}

	@Order(4)
	@Test
	void childIdsOfTheParentVectorAreKept() {
		BaseEvent<?> parent = BaseEvent.fromJson(JsonVectors.read("events/07-parent-with-child.json"));

		JsonNode written = JsonVectors.tree(parent.toJson());

		assertThat(written.get("event_results").get(0).get("event_children").get(0).asString())
			.isEqualTo("01a20736-4909-7007-bdd8-4cb8c68942e5");
	}

	@Order(5)
	@Test
	void loadedResultsKeepTheirValuesErrorsAndOrder() {
		BaseEvent<?> first = BaseEvent.fromJson(JsonVectors.read("events/11-first-with-aborted-loser.json"));
		List<? extends EventResult<?>> rows = new ArrayList<>(first.eventResults().values());
		assertThat(rows).extracting(EventResult::status).containsExactly(ResultStatus.ERROR, ResultStatus.COMPLETED);
		assertThat(rows.get(0).error()).isInstanceOf(EventHandlerAbortedException.class)
			.hasMessage("Aborted: first() resolved");
		assertThat(first.eventHandlerCompletion()).isEqualTo(HandlerCompletion.FIRST);
		List<Object> values = new ArrayList<>(first.eventResultsList(ResultFilter.defaults().raiseIfAny(false)));
		assertThat(values).containsExactly("fast");

		BaseEvent<?> timeout = BaseEvent.fromJson(JsonVectors.read("events/13-handler-timeout.json"));
		assertThat(timeout.eventHandlerTimeout()).isEqualTo(Duration.ofMillis(20));
		assertThat(timeout.eventResults().values().iterator().next().error())
			.isInstanceOf(EventHandlerTimeoutException.class);

		BaseEvent<?> overrides = BaseEvent.fromJson(JsonVectors.read("events/10-all-overrides-pending.json"));
		assertThat(overrides.eventTimeout()).isEqualTo(Duration.ofMillis(12_500));
		assertThat(overrides.eventSlowTimeout()).isEqualTo(Duration.ofSeconds(30));
		assertThat(overrides.eventHandlerTimeout()).isEqualTo(Duration.ofMillis(2_250));
		assertThat(overrides.eventHandlerSlowTimeout()).isEqualTo(Duration.ofSeconds(3));
		assertThat(overrides.eventConcurrency()).isEqualTo(EventConcurrency.PARALLEL);
		assertThat(overrides.eventHandlerConcurrency()).isEqualTo(HandlerConcurrency.PARALLEL);
		assertThat(overrides.eventHandlerCompletion()).isEqualTo(HandlerCompletion.FIRST);
		assertThat(overrides.eventStatus()).isEqualTo(EventStatus.PENDING);
		assertThat(overrides.eventResults()).isEmpty();

		BaseEvent<?> forwarded = BaseEvent.fromJson(JsonVectors.read("events/09-forwarded-two-buses.json"));
		assertThat(forwarded.eventResults().values()).extracting(EventResult::eventbusName)
			.containsExactly("VectorBus", "VectorBus", "OtherBus");
	}

	@Order(5)
	@Test
	void resultSchemasReadFromVectorsAreEnforced() {
		try (EventBus bus = new EventBus("VectorSchemaBus")) {
			BaseEvent<?> integer = BaseEvent.fromJson(JsonVectors.read("events/04-integer-result.json")).reset();
			BaseEvent<?> fraction = integer.reset();
			BaseEvent<?> object = BaseEvent.fromJson(JsonVectors.read("events/05-object-result.json")).reset();
			BaseEvent<?> wrongInner = object.reset();
			Map<String, Object> good = Map.of("image_url", "u", "width", 1.5, "tags", List.of("a"), "meta",
					Map.of("q", 1), "nested", Map.of("ok", true));
			Map<String, Object> bad = Map.of("image_url", "u", "width", 1.5, "tags", List.of("a"), "meta",
					Map.of("q", 1), "nested", Map.of("ok", "yes"));
			bus.on("IntegerResultEvent", (event) -> (event == integer) ? (Object) 42 : (Object) 1.5);
			bus.on("ObjectResultEvent", (event) -> (event == object) ? good : bad);

			for (BaseEvent<?> event : List.of(integer, fraction, object, wrongInner)) {
				bus.emit(event).done(Duration.ofSeconds(10));
			}

			assertThat(integer.eventResults().values().iterator().next().result()).isEqualTo(42);
			assertThat(object.eventResults().values().iterator().next().status()).isEqualTo(ResultStatus.COMPLETED);
			for (BaseEvent<?> rejected : List.of(fraction, wrongInner)) {
				assertThat(rejected.eventResults().values().iterator().next().error())
					.isInstanceOf(EventHandlerResultSchemaException.class)
					.hasMessageContaining("did not match expected event_result_type");
			}
		}
	}

	@Order(6)
	@ParameterizedTest
	@MethodSource("invalidVectors")
	void invalidVectorIsRefusedNamingTheField(String file) {
		String json = JsonVectors.read("invalid/" + file);
		String reference = JsonVectors.read("invalid/" + file.replace(".json", ".error.txt")).strip();
		String field = switch (file) {
			case "bad-concurrency.json" -> "event_concurrency";
			case "bad-created-at.json" -> "event_created_at";
			case "bad-event-id.json" -> "event_id";
			case "bad-status.json" -> "event_status";
			case "bad-timeout-type.json" -> "event_timeout";
			case "reserved-bus-field.json" -> "bus";
			case "reserved-first-field.json" -> "first";
			case "unknown-event-field.json" -> "event_bogus";
			default -> throw new IllegalStateException("no expectation for " + file);
		};

		var refused = assertThatIllegalArgumentException().isThrownBy(() -> BaseEvent.fromJson(json))
			.withMessageContaining("\"" + field + "\"");
		if (!reference.startsWith("[")) {
			refused.withMessageContaining(reference);
		}
	}

	@Test
	void acceptedTimestampsAreCanonicalized() {
		JsonNode accepted = JsonVectors.tree(JsonVectors.read("timestamps.json")).get("accepted");
		assertThat(accepted.size()).isPositive();
		for (JsonNode vector : accepted) {
			String canonical = Timestamps.canonical(vector.get("input").asString());
			assertThat(canonical).as(vector.get("input").asString())
				.isEqualTo(vector.get("canonical").asString())
				.hasSize(30);
		}
	}

	@Test
	void rejectedTimestampsAreRefusedWithTheReferenceMessage() {
		JsonNode rejected = JsonVectors.tree(JsonVectors.read("timestamps.json")).get("rejected");
		assertThat(rejected.size()).isPositive();
		for (JsonNode vector : rejected) {
			assertThatIllegalArgumentException().as(vector.get("input").asString())
				.isThrownBy(() -> Timestamps.parse(vector.get("input").asString()))
				.withMessage(vector.get("error").asString());
		}
	}

	@Test
	void handlerIdVectorsMatch() {
		JsonNode vectors = JsonVectors.tree(JsonVectors.read("handlers.json")).get("handler_id_vectors");
		assertThat(vectors.size()).isPositive();
		for (JsonNode vector : vectors) {
			JsonNode filePath = vector.get("handler_file_path");
			String id = Ids.handlerId(vector.get("eventbus_id").asString(), vector.get("handler_name").asString(),
					filePath.isNull() ? "unknown" : filePath.asString(), vector.get("handler_registered_at").asString(),
					vector.get("event_pattern").asString());
			assertThat(id).as(vector.toString()).isEqualTo(vector.get("expected_id").asString());
		}
	}

	@Test
	void handlerVectorsRestoreWithTheirIdsAndWriteBackTheSameJson() {
		JsonNode handlers = JsonVectors.tree(JsonVectors.read("handlers.json")).get("handlers");
		assertThat(handlers.size()).isPositive();
		ObjectNode snapshot = io.bubus.json.BubusJson.MAPPER.createObjectNode();
		snapshot.put("id", handlers.get(0).get("eventbus_id").asString());
		snapshot.put("name", handlers.get(0).get("eventbus_name").asString());
		ObjectNode byId = snapshot.putObject("handlers");
		ObjectNode byKey = snapshot.putObject("handlers_by_key");
		for (JsonNode handler : handlers) {
			byId.set(handler.get("id").asString(), handler);
			byKey.withArray(handler.get("event_pattern").asString()).add(handler.get("id").asString());
			// each id is the UUIDv5 of the handler's own fields
			JsonNode filePath = handler.get("handler_file_path");
			assertThat(Ids.handlerId(handler.get("eventbus_id").asString(), handler.get("handler_name").asString(),
					filePath.isNull() ? "unknown" : filePath.asString(),
					handler.get("handler_registered_at").asString(), handler.get("event_pattern").asString()))
				.isEqualTo(handler.get("id").asString());
		}

		try (EventBus restored = EventBus.fromJson(snapshot.toString())) {
			assertThat(restored.handlers()).extracting(EventHandler::id)
				.containsExactlyElementsOf(
						handlers.valueStream().map((handler) -> handler.get("id").asString()).toList());
			JsonNode written = JsonVectors.tree(restored.toJson()).get("handlers");
			for (JsonNode handler : handlers) {
				JsonVectors.assertMatches(handler, written.get(handler.get("id").asString()),
						"handler " + handler.get("id").asString());
			}
		}
	}

	@Order(10)
	@Test
	void vectorsLoadIntoRegisteredJavaClasses() {
		BaseEvent.register(CheckoutEvent.class);
		BaseEvent.register(PayloadEvent.class);
		JsonNode parentVector = JsonVectors.tree(JsonVectors.read("events/07-parent-with-child.json"));
		JsonNode payloadVector = JsonVectors.tree(JsonVectors.read("events/15-payload-unicode-nested.json"));

		BaseEvent<?> parent = BaseEvent.fromJson(parentVector.toString());
		BaseEvent<?> payload = BaseEvent.fromJson(payloadVector.toString());

		assertThat(parent).isInstanceOf(CheckoutEvent.class);
		CheckoutEvent checkout = (CheckoutEvent) parent;
		assertThat(checkout.cartId).isEqualTo("c-9");
		assertThat(checkout.eventResult()).isEqualTo("checked-out:c-9");
		assertMetadata(parentVector, checkout);
		JsonVectors.assertMatches(parentVector, JsonVectors.tree(checkout.toJson()), "07 as CheckoutEvent");

		assertThat(payload).isInstanceOf(PayloadEvent.class);
		PayloadEvent typed = (PayloadEvent) payload;
		assertThat(typed.text).isEqualTo("héllo — 世界 🚀 \"quoted\" \\ back");
		assertThat(typed.big).isEqualTo(9007199254740991L);
		assertThat(typed.nothing).isNull();
		assertThat(typed.list).containsExactly(1.5, "two", false, null);
		assertThat(typed.nested).containsEntry("key with space", true);
		JsonVectors.assertMatches(payloadVector, JsonVectors.tree(typed.toJson()), "15 as PayloadEvent");
	}

	@Order(11)
	@Test
	void vectorLoadsIntoAnExplicitlyRequestedClass() {
		JsonNode vector = JsonVectors.tree(JsonVectors.read("events/08-child-of-parent.json"));

		ReserveInventoryEvent child = BaseEvent.fromJson(vector.toString(), ReserveInventoryEvent.class);

		assertThat(child.cartId).isEqualTo("c-9");
		assertThat(child.eventParentId()).isEqualTo("01a20736-4907-7670-aaec-583f2937e5d0");
		assertThat(child.eventEmittedByHandlerId()).isEqualTo("525665f8-2be7-55c5-92e0-650ffec94fca");
		assertMetadata(vector, child);
		JsonVectors.assertMatches(vector, JsonVectors.tree(child.toJson()), "08 as ReserveInventoryEvent");
	}

	private static void assertMetadata(JsonNode vector, BaseEvent<?> event) {
		assertThat(event.eventId()).isEqualTo(vector.get("event_id").asString());
		assertThat(event.eventType()).isEqualTo(vector.get("event_type").asString());
		assertThat(event.eventVersion()).isEqualTo(vector.get("event_version").asString());
		assertThat(event.eventStatus().wireValue()).isEqualTo(vector.get("event_status").asString());
		List<String> path = new ArrayList<>();
		vector.get("event_path").forEach((label) -> path.add(label.asString()));
		assertThat(event.eventPath()).isEqualTo(path);
		assertThat(event.eventParentId()).isEqualTo(text(vector, "event_parent_id"));
		assertThat(event.eventEmittedByHandlerId()).isEqualTo(text(vector, "event_emitted_by_handler_id"));
		assertThat(event.eventPendingBusCount()).isEqualTo(vector.get("event_pending_bus_count").asInt());
		assertThat(event.eventCreatedAt()).isEqualTo(instant(vector, "event_created_at"));
		assertThat(event.eventStartedAt()).isEqualTo(instant(vector, "event_started_at"));
		assertThat(event.eventCompletedAt()).isEqualTo(instant(vector, "event_completed_at"));
		JsonNode results = vector.get("event_results");
		List<? extends EventResult<?>> rows = new ArrayList<>(event.eventResults().values());
		assertThat(rows).hasSize((results != null) ? results.size() : 0);
		for (int i = 0; i < rows.size(); i++) {
			JsonNode expected = results.get(i);
			EventResult<?> row = rows.get(i);
			assertThat(row.id()).isEqualTo(expected.get("id").asString());
			assertThat(row.status().wireValue()).isEqualTo(expected.get("status").asString());
			assertThat(row.handlerId()).isEqualTo(expected.get("handler_id").asString());
			assertThat(row.handlerName()).isEqualTo(expected.get("handler_name").asString());
			assertThat(row.eventbusName()).isEqualTo(expected.get("eventbus_name").asString());
			assertThat(row.eventbusId()).isEqualTo(expected.get("eventbus_id").asString());
			assertThat(row.startedAt()).isEqualTo(instant(expected, "started_at"));
			assertThat(row.completedAt()).isEqualTo(instant(expected, "completed_at"));
			JsonNode error = expected.get("error");
			if (error != null && !error.isNull()) {
				assertThat(row.error()).hasMessage(error.get("message").asString());
				assertThat(EventJson.errorType(row.error())).isEqualTo(error.get("type").asString());
			}
			else {
				assertThat(row.error()).isNull();
			}
		}
	}

	private static String text(JsonNode node, String key) {
		JsonNode value = node.get(key);
		return (value == null || value.isNull()) ? null : value.asString();
	}

	private static Instant instant(JsonNode node, String key) {
		String value = text(node, key);
		return (value != null) ? Timestamps.toInstant(Timestamps.parse(value)) : null;
	}

}
