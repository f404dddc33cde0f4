package io.bubus.test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.bubus.EventBus;
import io.bubus.EventHandlerTimeoutException;
import io.bubus.HandlerOptions;
import io.bubus.test.Shop.ChargeEvent;
import io.bubus.test.Shop.CheckoutEvent;
import io.bubus.test.Shop.FraudEvent;
import io.bubus.test.Shop.ReceiptEvent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.bubus.test.BubusAssertions.assertThat;

/**
 * The plain JUnit example of {@code docs/testing.md}, as it is written there: fresh buses
 * per test from {@link BubusTest @BubusTest}, a scenario that waits for the receipt, tree
 * assertions, and a handler timeout tested in milliseconds of real time.
 */
@BubusTest
class TestingGuideExampleTests {

	@BeforeEach
	void handlers(EventBus shop) {
		Shop.register(shop);
	}

	@Test
	void checkoutChargesTheCardAndSendsAReceipt(EventBus shop, BubusScenario scenario, RecordedEvents recorded) {
		CheckoutEvent checkout = new CheckoutEvent("o-1");
		ReceiptEvent receipt = scenario.emit(checkout).andWaitForEventOfType(ReceiptEvent.class).toComplete();

		assertThat(receipt).hasResult("receipt:o-1");
		assertThat(checkout).hasResultFrom("Shop.checkout", "charge:o-1:fraud-ok|receipt:o-1")
			.hasFailedWith(IllegalStateException.class)
			.hasDescendantPath(ChargeEvent.class, FraudEvent.class);
		assertThat(recorded).hasCount(4).hasEmittedInOrder(CheckoutEvent.class, ChargeEvent.class, ReceiptEvent.class);
	}

	@Test
	void aStuckHandlerTimesOutInMilliseconds(EventBus payments) throws InterruptedException {
		CountDownLatch never = new CountDownLatch(1);
		payments.on(ChargeEvent.class, (event) -> String.valueOf(never.await(10, TimeUnit.SECONDS)),
				HandlerOptions.defaults().name("gateway").timeout(Duration.ofMillis(50)));

		ChargeEvent charge = payments.emit(new ChargeEvent("o-2"));

		assertThat(charge).completedWithin(Duration.ofSeconds(5)).hasFailedWith(EventHandlerTimeoutException.class);
	}

}
