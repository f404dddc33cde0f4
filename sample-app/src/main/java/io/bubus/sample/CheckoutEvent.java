package io.bubus.sample;

import io.bubus.BaseEvent;

/**
 * A customer checks out an order; the result is a summary of the steps.
 */
public class CheckoutEvent extends BaseEvent<String> {

	/** The order, {@code order_id} on the wire. */
	public String orderId = "";

	/** For JSON. */
	public CheckoutEvent() {
	}

	/**
	 * Creates the event.
	 * @param orderId the order
	 */
	public CheckoutEvent(String orderId) {
		this.orderId = orderId;
	}

}
