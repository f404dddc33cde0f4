package io.bubus.spring.autoconfigure;

import io.bubus.BaseEvent;

public class OrderPlaced extends BaseEvent<String> {

	public String orderId = "";

	public OrderPlaced() {
	}

	public OrderPlaced(String orderId) {
		this.orderId = orderId;
	}

}
