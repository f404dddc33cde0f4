package io.bubus;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.bubus.bridge.JsonlEventBridge;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The three forms of {@code event_results} ({@link JsonResults}) and what the bridges
 * send.
 */
class JsonResultsTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	public static class Quote extends BaseEvent<String> {

		public String sku;

		public Quote() {
		}

		public Quote(String sku) {
			this.sku = sku;
		}

	}

	private static Quote quotedWithAResultAndAnError(EventBus bus) {
		bus.on(Quote.class, (event) -> "price:" + event.sku);
		bus.on(Quote.class, (event) -> {
			throw new IllegalStateException("no stock for " + event.sku);
		});
		Quote quote = bus.emit(new Quote("s-1"));
		quote.done(WAIT);
		return quote;
	}

	@Test
	void theObjectFormKeysTheRowsByPositionAndReadsBackLikeTheArray() {
		try (EventBus bus = new EventBus("JsonResultsObjectBus")) {
			Quote quote = quotedWithAResultAndAnError(bus);

			JsonNode array = JsonVectors.tree(quote.toJson()).get("event_results");
			JsonNode object = JsonVectors.tree(quote.toJson(JsonResults.OBJECT)).get("event_results");

			assertThat(array.isArray()).isTrue();
			assertThat(object.isObject()).isTrue();
			List<String> keys = new ArrayList<>();
			object.properties().forEach((entry) -> keys.add(entry.getKey()));
			assertThat(keys).containsExactly("0", "1");
			assertThat(object.get("0")).isEqualTo(array.get(0));
			assertThat(object.get("1")).isEqualTo(array.get(1));
			assertThat(object.get("1").get("error").get("type").asString()).isEqualTo("IllegalStateException");

			BaseEvent<?> back = BaseEvent.fromJson(quote.toJson(JsonResults.OBJECT));
			assertThat(back.eventResults().values()).extracting(EventResult::status)
				.containsExactly(ResultStatus.COMPLETED, ResultStatus.ERROR);
			assertThat(back.eventResults().values()).extracting((row) -> (Object) row.result())
				.containsExactly("price:s-1", null);
		}
	}

	@Test
	void theNoneFormIsTheArrayFormWithoutResults() {
		try (EventBus bus = new EventBus("JsonResultsNoneBus")) {
			Quote quote = quotedWithAResultAndAnError(bus);

			ObjectNode withResults = (ObjectNode) JsonVectors.tree(quote.toJson());
			JsonNode without = JsonVectors.tree(quote.toJson(JsonResults.NONE));

			assertThat(without.has("event_results")).isFalse();
			withResults.remove("event_results");
			assertThat(without).isEqualTo(withResults);
		}
	}

	@Test
	void bridgesSendEventsWithoutResults(@TempDir Path dir) throws Exception {
		Path file = dir.resolve("events.jsonl");
		try (EventBus bus = new EventBus("JsonResultsBridgeBus");
				JsonlEventBridge bridge = new JsonlEventBridge(file, Duration.ofMillis(10), "ResultsOut", false)) {
			bus.on(Quote.class, (event) -> "price:" + event.sku);
			bus.on("*", bridge::emit);
			Quote quote = bus.emit(new Quote("s-2"));
			quote.done(WAIT);

			List<String> lines = Files.readAllLines(file);

			assertThat(quote.eventResults()).hasSize(2);
			assertThat(lines).hasSize(1);
			JsonNode sent = JsonVectors.tree(lines.get(0));
			assertThat(sent.has("event_results")).isFalse();
			assertThat(sent.get("sku").asString()).isEqualTo("s-2");
			assertThat(sent.get("event_id").asString()).isEqualTo(quote.eventId());
		}
	}

}
