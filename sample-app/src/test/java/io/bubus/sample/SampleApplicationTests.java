package io.bubus.sample;

import java.util.List;
import java.util.Map;

import io.bubus.BaseEvent;
import io.bubus.EventBus;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import static io.bubus.test.BubusAssertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SampleApplicationTests extends SampleHttpTests {

	@Autowired
	private EventBus bus;

	@Autowired
	@Qualifier("audit")
	private EventBus audit;

	@Test
	@SuppressWarnings("unchecked")
	void checkoutRunsTheWholeTreeAndShowsUpInTheActuatorEndpoint() {
		Map<String, Object> checkout = this.http.post().uri("/orders/ord-123/checkout").retrieve().body(JSON);
		assertThat(checkout).containsEntry("orderId", "ord-123")
			.containsEntry("result", "reserve:ord-123|charge:ord-123:fraud-ok:ord-123|receipt:ord-123");
		assertThat((List<Map<String, Object>>) checkout.get("handlers"))
			.anySatisfy((handler) -> assertThat(handler).containsEntry("bus", "audit")
				.containsEntry("handler", "AuditHandlers.track")
				.containsEntry("status", "ERROR")
				.containsEntry("error", "analytics backend unreachable"));
		String eventId = (String) checkout.get("eventId");
		BaseEvent<?> event = this.bus.eventHistory()
			.stream()
			.filter((candidate) -> candidate.eventId().equals(eventId))
			.findFirst()
			.orElseThrow();
		assertThat(event).hasResultFrom("CheckoutService.onCheckout")
			.hasDescendantPath(ChargeCardEvent.class, FraudCheckEvent.class)
			.wasForwardedTo(this.audit);

		Map<String, Object> summary = this.http.get().uri("/actuator/bubus").retrieve().body(JSON);
		assertThat((Map<String, Object>) summary.get("buses")).containsKeys("ApplicationBus", "audit");

		ResponseEntity<String> tree = this.http.get()
			.uri("/actuator/bubus/ApplicationBus/tree")
			.retrieve()
			.toEntity(String.class);
		assertThat(tree.getStatusCode().value()).isEqualTo(200);
		assertThat(tree.getHeaders().getContentType().isCompatibleWith(MediaType.TEXT_PLAIN)).isTrue();
		assertThat(tree.getBody()).contains("CheckoutEvent#", "ReserveInventoryEvent#", "FraudCheckEvent#",
				"SendReceiptEvent#", "CheckoutService.onCheckout", "→ \"reserve:ord-123|");

		Map<String, Object> view = this.http.get()
			.uri("/actuator/bubus/ApplicationBus/events/{id}", eventId)
			.retrieve()
			.body(JSON);
		assertThat((Map<String, Object>) view.get("event")).containsEntry("event_id", eventId)
			.containsEntry("event_type", "CheckoutEvent")
			.containsEntry("order_id", "ord-123")
			.containsEntry("event_status", "completed");
		List<Map<String, Object>> children = (List<Map<String, Object>>) view.get("children");
		assertThat(children).extracting((child) -> ((Map<String, Object>) child.get("event")).get("event_type"))
			.containsExactly("ReserveInventoryEvent", "ChargeCardEvent", "SendReceiptEvent");
		assertThat((List<Object>) children.get(1).get("children")).hasSize(1);

		Map<String, Object> bus = this.http.get().uri("/actuator/bubus/audit?limit=3").retrieve().body(JSON);
		assertThat(bus).containsEntry("name", "audit").containsEntry("max_history_size", 500);
		assertThat((List<Object>) bus.get("event_history")).hasSize(3);
	}

	@Test
	void unknownBusOrEventIs404() {
		assertThat(status("/actuator/bubus/Nope")).isEqualTo(404);
		assertThat(status("/actuator/bubus/Nope/tree")).isEqualTo(404);
		assertThat(status("/actuator/bubus/ApplicationBus/events/0190b3c0-0000-7000-8000-000000000000")).isEqualTo(404);
	}

	@Test
	void writeOperationsNeedUnrestrictedAccess() {
		Map<String, Object> checkout = this.http.post().uri("/orders/ord-ro/checkout").retrieve().body(JSON);
		String eventId = (String) checkout.get("eventId");
		assertThat(status(HttpMethod.POST, "/actuator/bubus/audit/events/{id}", eventId)).isEqualTo(405);
		assertThat(status(HttpMethod.DELETE, "/actuator/bubus/audit/history")).isEqualTo(405);
		assertThat(status("/actuator/bubus/audit/events/" + eventId)).as("still there").isEqualTo(200);
	}

	@Test
	void discoveryPageLinksTheEndpointsPathsWithLiteralWords() {
		Map<String, Map<String, Object>> links = actuatorLinks();
		String base = "http://127.0.0.1:" + this.port + "/actuator/bubus";
		assertThat(links).containsEntry("bubus", Map.of("href", base, "templated", false))
			.containsEntry("bubus-bus", Map.of("href", base + "/{bus}", "templated", true))
			.containsEntry("bubus-bus-tree", Map.of("href", base + "/{bus}/tree", "templated", true))
			.containsEntry("bubus-bus-tree-eventId", Map.of("href", base + "/{bus}/tree/{eventId}", "templated", true))
			.containsEntry("bubus-bus-events-eventId",
					Map.of("href", base + "/{bus}/events/{eventId}", "templated", true))
			.doesNotContainKeys("bubus-bus-part", "bubus-bus-part-eventId", "bubus-bus-history")
			.containsKeys("self", "health");
		assertThat(links.values()).extracting((link) -> (String) link.get("href"))
			.noneMatch((href) -> href.contains("{part}") || href.contains("{events}"));
	}

	@Test
	void healthIsExposed() {
		assertThat(status("/actuator/health")).isEqualTo(200);
	}

}
