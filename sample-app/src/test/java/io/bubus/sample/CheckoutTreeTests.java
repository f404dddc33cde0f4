package io.bubus.sample;

import java.nio.file.Path;

import io.bubus.EventBus;
import io.bubus.test.BubusScenario;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;

import static io.bubus.test.BubusAssertions.assertThat;

/**
 * A checkout's causal tree, checked with bubus-test: the steps are awaited children of
 * the checkout, the fraud check a grandchild, the receipt completes later on another
 * thread (the scenario waits for it without sleeping), and the audit bus gets every event
 * and fails one handler without failing the checkout. The history is cleared after each
 * test, so each test sees only its own checkout.
 */
@SpringBootTest(properties = "sample.receipt-delay=50ms")
class CheckoutTreeTests {

	private static final Path GOLDEN = Path.of("src/test/resources/trees/checkout.txt");

	@Autowired
	BubusScenario scenario;

	@Autowired
	CheckoutController controller;

	@Autowired
	EventBus bus;

	@Autowired
	@Qualifier("audit")
	EventBus audit;

	@Test
	void aCheckoutAwaitsItsStepsAndTheAuditBusSeesIt() {
		CheckoutEvent checkout = new CheckoutEvent("ord-1");
		SendReceiptEvent receipt = this.scenario.emit(checkout)
			.andWaitForEventOfType(SendReceiptEvent.class)
			.matching("for ord-1", (event) -> event.orderId.equals("ord-1"))
			.toComplete();

		assertThat(receipt).hasResultFrom("FulfilmentHandlers.sendReceipt", "receipt:ord-1");
		assertThat(checkout).isCompleted()
			.hasResultFrom("CheckoutService.onCheckout", "reserve:ord-1|charge:ord-1:fraud-ok:ord-1|receipt:ord-1")
			.hasDescendantPath(ChargeCardEvent.class, FraudCheckEvent.class)
			.hasDescendantPath(SendReceiptEvent.class)
			.wasForwardedTo(this.audit)
			.hasFailedWith(IllegalStateException.class)
			.hasResultFrom("AuditHandlers.record", "audited CheckoutEvent");
		assertThat(checkout).hasChild(ReserveInventoryEvent.class).single().hasResult("reserve:ord-1").hasNoErrors();
		assertThat(this.bus)
			.hasEmittedInOrder(CheckoutEvent.class, ReserveInventoryEvent.class, ChargeCardEvent.class,
					FraudCheckEvent.class, SendReceiptEvent.class)
			.hasEmitted(CheckoutEvent.class)
			.once();
	}

	@Test
	void aCheckoutsTreeMatchesTheGoldenFile() {
		CheckoutEvent checkout = new CheckoutEvent("ord-golden");
		this.scenario.emit(checkout).andWaitForCompletion().andWaitUntilIdle();
		assertThat(checkout).treeMatchesGoldenFile(GOLDEN);
	}

	@Test
	void aCheckoutThroughTheControllerIsAStimulusToo() {
		this.scenario.stimulate(() -> this.controller.checkout("ord-2")).andWaitUntilIdle();
		assertThat(this.audit).hasEmitted(CheckoutEvent.class)
			.single()
			.hasFailedWith(IllegalStateException.class)
			.hasResultFrom("CheckoutService.onCheckout");
		assertThat(this.audit).hasEmitted(FraudCheckEvent.class).once();
	}

}
