package io.bubus.sample;

import io.bubus.BaseEvent;

/**
 * Reserve the items of an order; the result is a reservation id.
 */
public class ReserveInventoryEvent extends BaseEvent<String> {

	/** The order, {@code order_id} on the wire. */
	public String orderId = "";

	/** For JSON. */
	public ReserveInventoryEvent() {
	}

	/**
	 * Creates the event.
	 * @param orderId the order
	 */
	public ReserveInventoryEvent(String orderId) {
		this.orderId = orderId;
	}

}
