package io.bubus.test.spring.shop;

import io.bubus.EventBus;
import io.bubus.test.BubusScenario;
import io.bubus.test.spring.shop.ShopEvents.AuditedEvent;
import io.bubus.test.Shop.ChargeEvent;
import io.bubus.test.Shop.CheckoutEvent;
import io.bubus.test.Shop.ReceiptEvent;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;

import static io.bubus.test.BubusAssertions.assertThat;

/**
 * The whole test application with {@code @SpringBootTest}: the history limit of four
 * events that rejects the fifth ({@code max-history-drop=false}) would fail the second
 * checkout if the history were not cleared between tests.
 */
@SpringBootTest(properties = { "bubus.max-history-size=4", "bubus.max-history-drop=false" })
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ShopSpringBootTests {

	@Autowired
	BubusScenario scenario;

	@Autowired
	EventBus bus;

	@Autowired
	@Qualifier("audit")
	EventBus audit;

	@Test
	@Order(1)
	void scenarioWatchesEveryBusPrimaryFirst() {
		assertThat(this.scenario.buses()).containsExactly(this.bus, this.audit);
		assertThat(this.bus.maxHistorySize()).isEqualTo(4);
	}

	@Test
	@Order(2)
	void checkoutRunsItsChildren() {
		assertThat(this.bus.eventHistory()).isEmpty();
		CheckoutEvent checkout = new CheckoutEvent("o-1");
		ReceiptEvent receipt = this.scenario.emit(checkout).andWaitForEventOfType(ReceiptEvent.class).toComplete();
		assertThat(receipt).hasResult("receipt:o-1");
		assertThat(checkout).hasResultFrom("CheckoutHandlers.checkout", "checked-out:charge:o-1")
			.hasChild(ChargeEvent.class)
			.single()
			.hasResult("charge:o-1");
		assertThat(this.bus).hasEmittedInOrder(CheckoutEvent.class, ChargeEvent.class, ReceiptEvent.class);
	}

	@Test
	@Order(3)
	void secondCheckoutStartsWithAnEmptyHistory() {
		assertThat(this.bus.eventHistory()).isEmpty();
		AuditedEvent audited = this.scenario.emit(new CheckoutEvent("o-2"))
			.andWaitForEventOfType(AuditedEvent.class)
			.toArrive();
		assertThat(audited.what).isEqualTo("checkout o-2");
		assertThat(audited.eventPath()).containsExactly(this.audit.label());
		assertThat(this.bus).hasEmitted(CheckoutEvent.class).single().wasForwardedTo(this.audit);
	}

	@Test
	@Order(4)
	void aBeanCallIsAStimulusToo() {
		this.scenario.stimulate(() -> {
			this.bus.emit(new CheckoutEvent("o-3"));
		}).andWaitUntilIdle();
		assertThat(this.audit).hasEmitted(AuditedEvent.class).single();
	}

}
