package io.bubus.history;

import io.bubus.BaseEvent;

/** A child event of {@link HistoryOrder} in the history store tests. */
public class HistoryShipment extends BaseEvent<String> {

	public int orderId;

	public HistoryShipment() {
	}

	public HistoryShipment(int orderId) {
		this.orderId = orderId;
	}

}
