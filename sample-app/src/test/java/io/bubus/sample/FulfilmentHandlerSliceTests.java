package io.bubus.sample;

import io.bubus.EventBus;
import io.bubus.test.BubusScenario;
import io.bubus.test.spring.BubusHandlerTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

import static io.bubus.test.BubusAssertions.assertThat;

/**
 * The fulfilment handlers alone, in bubus-test's handler slice: the buses of
 * {@code application.yml}, the application's {@code @Bean} methods (the forwarding to the
 * audit bus) and {@link FulfilmentHandlers}, without the web server, the controller, the
 * checkout service or the audit handlers.
 */
@BubusHandlerTest(value = FulfilmentHandlers.class, properties = "sample.receipt-delay=20ms")
class FulfilmentHandlerSliceTests {

	@Autowired
	ApplicationContext context;

	@Autowired
	BubusScenario scenario;

	@Autowired
	EventBus bus;

	@Test
	void aChargeRunsTheFraudCheckAsItsChild() {
		ChargeCardEvent charge = new ChargeCardEvent("ord-3");
		FraudCheckEvent fraud = this.scenario.emit(charge).andWaitForEventOfType(FraudCheckEvent.class).toComplete();
		assertThat(fraud).hasResultFrom("FulfilmentHandlers.checkFraud", "fraud-ok:ord-3").hasNoChildren();
		assertThat(charge).hasResult("charge:ord-3:fraud-ok:ord-3").hasDescendantPath(FraudCheckEvent.class);
	}

	@Test
	void theReceiptCompletesLaterOnAnotherThread() {
		SendReceiptEvent receipt = this.scenario.emit(new SendReceiptEvent("ord-4"))
			.andWaitForEventOfType(SendReceiptEvent.class)
			.toComplete();
		assertThat(receipt).hasResultFrom("FulfilmentHandlers.sendReceipt", "receipt:ord-4");
	}

	@Test
	void onlyTheNamedHandlersAreStarted() {
		assertThat(this.context.getBeanNamesForType(FulfilmentHandlers.class)).hasSize(1);
		assertThat(this.context.getBeanNamesForType(CheckoutService.class)).isEmpty();
		assertThat(this.context.getBeanNamesForType(AuditHandlers.class)).isEmpty();
		assertThat(this.context.getBeanNamesForType(CheckoutController.class)).isEmpty();
		CheckoutEvent checkout = new CheckoutEvent("ord-5");
		this.scenario.emit(checkout).andWaitForCompletion();
		assertThat(checkout).hasNoChildren().hasResultFrom("forward_to_audit");
	}

}
