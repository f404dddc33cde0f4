package io.bubus.history;

import io.bubus.BaseEvent;

/** The event of the history store tests. */
public class HistoryOrder extends BaseEvent<String> {

	public int orderId;

	public HistoryOrder() {
	}

	public HistoryOrder(int orderId) {
		this.orderId = orderId;
	}

}
