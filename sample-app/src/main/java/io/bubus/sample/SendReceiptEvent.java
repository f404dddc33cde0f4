package io.bubus.sample;

import io.bubus.BaseEvent;

/**
 * Email the receipt of an order; the result is a receipt id.
 */
public class SendReceiptEvent extends BaseEvent<String> {

	/** The order, {@code order_id} on the wire. */
	public String orderId = "";

	/** For JSON. */
	public SendReceiptEvent() {
	}

	/**
	 * Creates the event.
	 * @param orderId the order
	 */
	public SendReceiptEvent(String orderId) {
		this.orderId = orderId;
	}

}
