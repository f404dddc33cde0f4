package io.bubus.test.spring.shop;

import io.bubus.EventBus;
import io.bubus.EventResult;
import io.bubus.test.BubusScenario;
import io.bubus.test.spring.BubusHandlerTest;
import io.bubus.test.Shop.ChargeEvent;
import io.bubus.test.Shop.CheckoutEvent;
import io.bubus.test.Shop.ReceiptEvent;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.context.ApplicationContext;

import static io.bubus.test.BubusAssertions.assertThat;

/**
 * The handler slice: only the checkout handlers are started, so the receipt is emitted
 * and nobody handles it, and nothing else of the application or of Spring Boot's
 * auto-configuration is there.
 */
@BubusHandlerTest(value = CheckoutHandlers.class, properties = "bubus.name=SliceBus")
class ShopHandlerSliceTests {

	@Autowired
	ApplicationContext context;

	@Autowired
	BubusScenario scenario;

	@Autowired
	EventBus bus;

	@Autowired
	@Qualifier("audit")
	EventBus audit;

	@Test
	void startsOnlyTheNamedHandlersAndTheBubusAutoConfiguration() {
		assertThat(this.context.getBeanNamesForType(CheckoutHandlers.class)).hasSize(1);
		assertThat(this.context.getBeanNamesForType(ReceiptHandlers.class)).isEmpty();
		assertThat(this.context.getBeanNamesForType(AuditHandlers.class)).isEmpty();
		assertThat(this.context.getBeanNamesForType(TaskExecutionAutoConfiguration.class)).isEmpty();
		assertThat(this.bus.name()).as("properties of the annotation apply").isEqualTo("SliceBus");
	}

	@Test
	void namedHandlersRunAndTheOthersDoNot() {
		CheckoutEvent checkout = new CheckoutEvent("o-1");
		ReceiptEvent receipt = this.scenario.emit(checkout).andWaitForEventOfType(ReceiptEvent.class).toComplete();
		assertThat(receipt.eventResults().values()).as("no receipt handler in the slice, only the forwarder")
			.extracting(EventResult::handlerName)
			.containsExactly("forward_to_audit");
		assertThat(checkout).hasResultFrom("CheckoutHandlers.checkout", "checked-out:charge:o-1")
			.hasDescendantPath(ChargeEvent.class)
			.wasForwardedTo(this.audit);
		assertThat(this.audit).hasNotEmitted(ShopEvents.AuditedEvent.class);
	}

}
