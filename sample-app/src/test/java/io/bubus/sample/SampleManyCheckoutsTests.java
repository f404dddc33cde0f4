package io.bubus.sample;

import java.util.Map;

import io.bubus.EventBus;
import io.bubus.sample.CheckoutController.CheckoutResponse;
import io.bubus.sample.CheckoutController.HandlerOutcome;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample keeps taking checkouts long after its histories are full (the starter's
 * default drops completed history instead of refusing events). The receipt delay is 0 and
 * bubus logs only errors, so 10,000 checkouts (50,000 events on the application bus) take
 * seconds; the checkouts go through the controller bean, the last one over HTTP.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "sample.receipt-delay=0ms", "logging.level.io.bubus=ERROR" })
class SampleManyCheckoutsTests extends SampleHttpTests {

	private static final int CHECKOUTS = 10_000;

	@Autowired
	private CheckoutController controller;

	@Autowired
	private EventBus bus;

	@Autowired
	@Qualifier("audit")
	private EventBus audit;

	@Test
	void tenThousandCheckoutsSucceedAndTheHistoriesStayWithinTheirBounds() {
		for (int i = 0; i < CHECKOUTS; i++) {
			String id = "ord-" + i;
			CheckoutResponse response = this.controller.checkout(id);
			assertThat(response.result()).as("checkout %d", i)
				.isEqualTo("reserve:" + id + "|charge:" + id + ":fraud-ok:" + id + "|receipt:" + id);
			assertThat(response.handlers()).as("checkout %d", i)
				.filteredOn((handler) -> !"AuditHandlers.track".equals(handler.handler()))
				.extracting(HandlerOutcome::status)
				.containsOnly("COMPLETED");
		}
		assertThat(this.bus.eventHistory()).hasSizeLessThanOrEqualTo(this.bus.maxHistorySize());
		assertThat(this.audit.eventHistory()).hasSizeLessThanOrEqualTo(this.audit.maxHistorySize());

		Map<String, Object> last = this.http.post().uri("/orders/ord-last/checkout").retrieve().body(JSON);
		assertThat(last).containsEntry("result", "reserve:ord-last|charge:ord-last:fraud-ok:ord-last|receipt:ord-last");
	}

}
