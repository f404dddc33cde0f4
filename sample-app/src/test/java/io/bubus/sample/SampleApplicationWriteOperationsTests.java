package io.bubus.sample;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The write operations of the {@code bubus} endpoint over real HTTP, with the access they
 * need: {@code management.endpoint.bubus.access=unrestricted}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "management.endpoint.bubus.access=unrestricted")
class SampleApplicationWriteOperationsTests extends SampleHttpTests {

	@Test
	@SuppressWarnings("unchecked")
	void failedEventIsReemittedOnItsBus() {
		Map<String, Object> checkout = this.http.post().uri("/orders/ord-7/checkout").retrieve().body(JSON);
		String eventId = (String) checkout.get("eventId");

		ResponseEntity<Map<String, Object>> reemitted = this.http.post()
			.uri("/actuator/bubus/audit/events/{id}", eventId)
			.retrieve()
			.toEntity(JSON);

		assertThat(reemitted.getStatusCode().value()).isEqualTo(200);
		String copyId = (String) reemitted.getBody().get("event_id");
		assertThat(copyId).isNotEqualTo(eventId);
		assertThat(reemitted.getBody()).containsEntry("bus", "audit")
			.containsEntry("event_type", "CheckoutEvent")
			.containsEntry("reemitted_from", eventId);
		Map<String, Object> copy = (Map<String, Object>) this.http.get()
			.uri("/actuator/bubus/audit/events/{id}", copyId)
			.retrieve()
			.body(JSON)
			.get("event");
		assertThat(copy).containsEntry("order_id", "ord-7").containsEntry("event_parent_id", null);
		assertThat((List<Object>) copy.get("event_path")).hasSize(1);
	}

	@Test
	void discoveryPageLinksTheWriteOperationsPaths() {
		Map<String, Map<String, Object>> links = actuatorLinks();
		String base = "http://127.0.0.1:" + this.port + "/actuator/bubus";
		assertThat(links).containsEntry("bubus-bus-history", Map.of("href", base + "/{bus}/history", "templated", true))
			.containsEntry("bubus-bus-tree", Map.of("href", base + "/{bus}/tree", "templated", true))
			.containsEntry("bubus-bus-events-eventId",
					Map.of("href", base + "/{bus}/events/{eventId}", "templated", true))
			.doesNotContainKeys("bubus-bus-part", "bubus-bus-part-eventId", "bubus-bus-events");
	}

	@Test
	void eventThatDidNotFailIsNotReemitted() {
		Map<String, Object> checkout = this.http.post().uri("/orders/ord-8/checkout").retrieve().body(JSON);
		assertThat(status(HttpMethod.POST, "/actuator/bubus/ApplicationBus/events/{id}", checkout.get("eventId")))
			.isEqualTo(409);
		assertThat(status(HttpMethod.POST, "/actuator/bubus/audit/events/0190b3c0-0000-7000-8000-000000000000"))
			.isEqualTo(404);
	}

	@Test
	void historyIsCleared() {
		this.http.post().uri("/orders/ord-9/checkout").retrieve().body(JSON);
		ResponseEntity<Map<String, Object>> cleared = this.http.delete()
			.uri("/actuator/bubus/ApplicationBus/history")
			.retrieve()
			.toEntity(JSON);
		assertThat(cleared.getStatusCode().value()).isEqualTo(200);
		assertThat((Integer) cleared.getBody().get("cleared")).isGreaterThanOrEqualTo(5);
		assertThat(this.http.get().uri("/actuator/bubus/ApplicationBus").retrieve().body(JSON))
			.containsEntry("history_size", 0);
		assertThat(status(HttpMethod.DELETE, "/actuator/bubus/Nope/history")).isEqualTo(404);
	}

}
