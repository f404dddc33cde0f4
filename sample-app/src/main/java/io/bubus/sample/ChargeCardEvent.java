package io.bubus.sample;

import io.bubus.BaseEvent;

/**
 * Charge the customer's card for an order; the result is a charge id.
 */
public class ChargeCardEvent extends BaseEvent<String> {

	/** The order, {@code order_id} on the wire. */
	public String orderId = "";

	/** For JSON. */
	public ChargeCardEvent() {
	}

	/**
	 * Creates the event.
	 * @param orderId the order
	 */
	public ChargeCardEvent(String orderId) {
		this.orderId = orderId;
	}

}
