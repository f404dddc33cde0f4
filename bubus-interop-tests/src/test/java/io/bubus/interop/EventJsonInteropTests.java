package io.bubus.interop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.bubus.BaseEvent;
import io.bubus.EventBus;
import io.bubus.EventResult;
import io.bubus.JsonResults;
import io.bubus.ResultStatus;
import io.bubus.json.BubusJson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Event and bus JSON with results, written by one implementation and read by another's
 * own reader: an event handled by one handler that answers and one that fails.
 */
class EventJsonInteropTests {

	static final Duration WAIT = Duration.ofSeconds(30);

	static final String ERROR_MESSAGE = "boom ✓ \"quoted\"";

	private EventBus bus;

	private InteropResultEvent event;

	@BeforeAll
	static void registerEvents() {
		BaseEvent.register(InteropResultEvent.class);
	}

	@BeforeEach
	void handleOneEvent() {
		this.bus = EventBus.builder("JavaJson").build();
		this.bus.on(InteropResultEvent.class, EventJsonInteropTests::answer);
		this.bus.on(InteropResultEvent.class, EventJsonInteropTests::fail);
		InteropResultEvent question = new InteropResultEvent();
		question.question = "wie geht's? 🎉";
		this.event = this.bus.emit(question);
		this.event.done(WAIT);
	}

	@AfterEach
	void stopBus() {
		this.bus.stop(WAIT, true);
	}

	static Object answer(InteropResultEvent event) {
		Map<String, Object> answer = new LinkedHashMap<>();
		answer.put("ok", true);
		answer.put("n", 7);
		answer.put("text", "ü");
		return answer;
	}

	static Object fail(InteropResultEvent event) {
		throw new IllegalStateException(ERROR_MESSAGE);
	}

	@Test
	void tsReadsJavaEventJsonWithResults() {
		JsonNode read = readWith(Peer.TS, "read-event", this.event.toJson());
		assertJavaEventRead(read.get("read"), read.get("results"), true);
	}

	@Test
	void pythonReadsJavaEventJsonWithResultsAsAnObject() {
		JsonNode read = readWith(Peer.PYTHON, "read-event", this.event.toJson(JsonResults.OBJECT));
		// Python reads an error as Exception(message): the message stays, the type does
		// not
		assertJavaEventRead(read.get("read"), read.get("results"), false);
	}

	@Test
	void pythonRefusesTheRowsArrayOfJavaEventJson() {
		ObjectNode config = BubusJson.MAPPER.createObjectNode()
			.put("role", "read-event")
			.put("json", this.event.toJson())
			.put("timeout_seconds", WAIT.toSeconds());
		try (PeerProcess process = Peer.PYTHON.start(config.toString())) {
			// what toJson(JsonResults.OBJECT) is for
			assertThat(process.awaitError(BridgeInteropTests.READY)).contains("event_results")
				.contains("valid dictionary");
		}
	}

	@Test
	void tsReadsJavaBusJson() {
		JsonNode events = readWith(Peer.TS, "read-bus", this.bus.toJson()).get("events");
		assertThat(events).hasSize(1);
		assertJavaEventRead(events.get(0).get("event"), events.get(0).get("results"), true);
	}

	@Test
	void pythonReadsJavaBusJson() {
		JsonNode events = readWith(Peer.PYTHON, "read-bus", this.bus.toJson()).get("events");
		assertThat(events).hasSize(1);
		assertJavaEventRead(events.get(0).get("event"), events.get(0).get("results"), false);
	}

	@Test
	void javaReadsTsEventJsonWithResults() {
		JsonNode written = writeWith(Peer.TS, "write-event");
		BaseEvent<?> read = BaseEvent.fromJson(written.get("event").toString());
		// bubus-ts writes a thrown Error as {}: the row is an error without its message
		assertPeerEventRead(read, false);
	}

	@Test
	void javaReadsTsBusJson() {
		JsonNode written = writeWith(Peer.TS, "write-event");
		EventBus restored = EventBus.fromJson(written.get("bus").toString());
		try {
			assertThat(restored.eventHistory()).hasSize(1);
			assertPeerEventRead(restored.eventHistory().get(0), false);
		}
		finally {
			restored.stop(WAIT, true);
		}
	}

	@Test
	void javaReadsPythonEventJsonWithoutResults() {
		JsonNode written = writeWith(Peer.PYTHON, "write-bus");
		// Python's BaseEvent JSON never carries results (event_results is excluded)
		assertThat(written.get("event").has("event_results")).isFalse();
		BaseEvent<?> read = BaseEvent.fromJson(written.get("event").toString());
		assertThat(read).isInstanceOf(InteropResultEvent.class);
		assertThat(((InteropResultEvent) read).question).isEqualTo("wie geht's? 🎉");
		assertThat(read.eventId()).isEqualTo(written.get("event").get("event_id").asString());
		assertThat(read.eventResults()).isEmpty();
	}

	@Test
	void javaReadsPythonBusJsonWithResults() {
		JsonNode written = writeWith(Peer.PYTHON, "write-bus");
		EventBus restored = EventBus.fromJson(written.get("bus").toString());
		try {
			assertThat(restored.eventHistory()).hasSize(1);
			assertPeerEventRead(restored.eventHistory().get(0), true);
		}
		finally {
			restored.stop(WAIT, true);
		}
	}

	/** The peer's reader saw the Java event's payload, id and both result rows. */
	private void assertJavaEventRead(JsonNode read, JsonNode results, boolean errorTypeKept) {
		assertThat(read.get("event_type").asString()).isEqualTo("InteropResultEvent");
		assertThat(read.get("event_id").asString()).isEqualTo(this.event.eventId());
		assertThat(read.get("question").asString()).isEqualTo("wie geht's? 🎉");
		assertThat(results).hasSize(2);
		JsonNode answered = row(results, "answer");
		assertThat(answered.get("status").asString()).isEqualTo("completed");
		assertThat(answered.get("result")).isEqualTo(BubusJson.MAPPER.readTree("{\"ok\":true,\"n\":7,\"text\":\"ü\"}"));
		JsonNode failed = row(results, "fail");
		assertThat(failed.get("status").asString()).isEqualTo("error");
		assertThat(failed.get("error_message").asString()).isEqualTo(ERROR_MESSAGE);
		if (errorTypeKept) {
			assertThat(failed.get("error_type").asString()).isEqualTo("IllegalStateException");
		}
	}

	/**
	 * Java read the peer's event: its payload and both rows, the answer's value, and the
	 * error (with its message where the peer writes one).
	 */
	private static void assertPeerEventRead(BaseEvent<?> read, boolean errorMessageKept) {
		assertThat(read).isInstanceOf(InteropResultEvent.class);
		assertThat(((InteropResultEvent) read).question).isEqualTo("wie geht's? 🎉");
		List<EventResult<?>> rows = new ArrayList<>(read.eventResults().values());
		assertThat(rows).hasSize(2);
		EventResult<?> answered = rows.stream().filter((row) -> row.handlerName().contains("answer")).findFirst().get();
		assertThat(answered.status()).isEqualTo(ResultStatus.COMPLETED);
		JsonNode answer = BubusJson.MAPPER.valueToTree(answered.result());
		assertThat(answer).isEqualTo(BubusJson.MAPPER.readTree("{\"ok\":true,\"n\":7,\"text\":\"ü\"}"));
		EventResult<?> failed = rows.stream().filter((row) -> row.handlerName().contains("fail")).findFirst().get();
		assertThat(failed.status()).isEqualTo(ResultStatus.ERROR);
		assertThat(failed.error()).isNotNull();
		if (errorMessageKept) {
			assertThat(failed.error().getMessage()).isEqualTo(ERROR_MESSAGE);
		}
	}

	private static JsonNode row(JsonNode results, String handler) {
		for (JsonNode row : results) {
			if (row.get("handler_name").asString().contains(handler)) {
				return row;
			}
		}
		throw new AssertionError("no result row of a handler named like " + handler + " in " + results);
	}

	private static JsonNode readWith(Peer peer, String role, String json) {
		ObjectNode config = BubusJson.MAPPER.createObjectNode()
			.put("role", role)
			.put("json", json)
			.put("timeout_seconds", WAIT.toSeconds());
		return run(peer, config, role.equals("read-bus") ? "events" : "read");
	}

	private static JsonNode writeWith(Peer peer, String role) {
		ObjectNode config = BubusJson.MAPPER.createObjectNode()
			.put("role", role)
			.put("bus", peer + "Json")
			.put("error_message", ERROR_MESSAGE)
			.put("timeout_seconds", WAIT.toSeconds());
		config.putObject("payload").put("question", "wie geht's? 🎉");
		config.putObject("result").put("ok", true).put("n", 7).put("text", "ü");
		return run(peer, config, "event");
	}

	private static JsonNode run(Peer peer, ObjectNode config, String key) {
		try (PeerProcess process = peer.start(config.toString())) {
			JsonNode message = process.awaitMessage(key, BridgeInteropTests.READY);
			process.awaitSuccess(WAIT);
			return message;
		}
	}

}
