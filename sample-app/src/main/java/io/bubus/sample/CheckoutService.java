package io.bubus.sample;

import io.bubus.BaseEvent;
import io.bubus.BubusHandler;
import io.bubus.EventBus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;

/**
 * Runs a checkout as three child events, each awaited with {@code done()}: the child
 * jumps the queue and runs right away, and the bus records it as a child of the checkout
 * in the log tree.
 */
@Service
public class CheckoutService {

	private static final Logger log = LoggerFactory.getLogger(CheckoutService.class);

	private final EventBus bus;

	CheckoutService(EventBus bus) {
		this.bus = bus;
	}

	/**
	 * Reserves, charges and sends the receipt.
	 * @param event the checkout
	 * @return {@code reservation|charge|receipt}
	 */
	@BubusHandler
	public String onCheckout(CheckoutEvent event) {
		log.info("checking out {}", event.orderId);
		String reservation = run(new ReserveInventoryEvent(event.orderId));
		String charge = run(new ChargeCardEvent(event.orderId));
		String receipt = run(new SendReceiptEvent(event.orderId));
		return reservation + "|" + charge + "|" + receipt;
	}

	private String run(BaseEvent<String> step) {
		this.bus.emit(step).done();
		return step.eventResult();
	}

}
