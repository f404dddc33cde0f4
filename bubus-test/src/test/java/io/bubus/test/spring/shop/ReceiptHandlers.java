package io.bubus.test.spring.shop;

import io.bubus.BubusHandler;
import io.bubus.test.Shop.ReceiptEvent;

import org.springframework.stereotype.Component;

/** A handler bean of the test shop. */
@Component
public class ReceiptHandlers {

	@BubusHandler
	public String receipt(ReceiptEvent event) {
		return "receipt:" + event.orderId;
	}

}
