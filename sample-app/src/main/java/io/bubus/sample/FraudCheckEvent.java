package io.bubus.sample;

import io.bubus.BaseEvent;

/**
 * Screen a charge for fraud; the result is a verdict.
 */
public class FraudCheckEvent extends BaseEvent<String> {

	/** The order, {@code order_id} on the wire. */
	public String orderId = "";

	/** For JSON. */
	public FraudCheckEvent() {
	}

	/**
	 * Creates the event.
	 * @param orderId the order
	 */
	public FraudCheckEvent(String orderId) {
		this.orderId = orderId;
	}

}
