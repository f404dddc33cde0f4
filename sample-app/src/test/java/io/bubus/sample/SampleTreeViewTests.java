package io.bubus.sample;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;

/** The endpoint's tree views over HTTP: one event's tree, a limited tree, full ids. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "sample.receipt-delay=0ms")
class SampleTreeViewTests extends SampleHttpTests {

	@Test
	void oneCheckoutsTreeIsPlainTextWithIdsTheEventViewAccepts() {
		String first = checkout("ord-tree-1");
		String second = checkout("ord-tree-2");

		ResponseEntity<String> tree = this.http.get()
			.uri("/actuator/bubus/ApplicationBus/tree/{id}", first)
			.retrieve()
			.toEntity(String.class);
		assertThat(tree.getStatusCode().value()).isEqualTo(200);
		assertThat(tree.getHeaders().getContentType().isCompatibleWith(MediaType.TEXT_PLAIN)).isTrue();
		assertThat(tree.getBody()).startsWith("└── CheckoutEvent#" + first)
			.contains("ReserveInventoryEvent#", "FraudCheckEvent#")
			.doesNotContain(second);
		String childId = tree.getBody().replaceAll("(?s).*ReserveInventoryEvent#([0-9a-f-]{36}).*", "$1");
		assertThat(status("/actuator/bubus/ApplicationBus/events/" + childId)).isEqualTo(200);

		String limited = this.http.get()
			.uri("/actuator/bubus/ApplicationBus/tree?limit=1")
			.retrieve()
			.body(String.class);
		assertThat(limited).contains("CheckoutEvent#" + second).doesNotContain("CheckoutEvent#" + first);
		assertThat(status("/actuator/bubus/ApplicationBus/tree/0190b3c0-0000-7000-8000-000000000000")).isEqualTo(404);
		assertThat(status("/actuator/bubus/ApplicationBus/events/" + first)).isEqualTo(200);
	}

	private String checkout(String orderId) {
		Map<String, Object> checkout = this.http.post().uri("/orders/{id}/checkout", orderId).retrieve().body(JSON);
		return (String) checkout.get("eventId");
	}

}
