package io.bubus.test.spring.shop;

import io.bubus.BubusHandler;
import io.bubus.EventBus;
import io.bubus.test.Shop.ChargeEvent;
import io.bubus.test.Shop.CheckoutEvent;
import io.bubus.test.Shop.ReceiptEvent;

import org.springframework.stereotype.Component;

/** A handler bean of the test shop. */
@Component
public class CheckoutHandlers {

	private final EventBus bus;

	CheckoutHandlers(EventBus bus) {
		this.bus = bus;
	}

	@BubusHandler
	public String checkout(CheckoutEvent event) {
		String charge = this.bus.emit(new ChargeEvent(event.orderId)).done().eventResult();
		this.bus.emit(new ReceiptEvent(event.orderId)).done();
		return "checked-out:" + charge;
	}

	@BubusHandler
	public String charge(ChargeEvent event) {
		return "charge:" + event.orderId;
	}

}
