package io.bubus.test.spring.shop;

import io.bubus.BaseEvent;
import io.bubus.BubusHandler;
import io.bubus.EventBus;
import io.bubus.test.spring.shop.ShopEvents.AuditedEvent;
import io.bubus.test.Shop.CheckoutEvent;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/** A handler bean of the test shop. */
@Component
public class AuditHandlers {

	private final EventBus audit;

	AuditHandlers(@Qualifier("audit") EventBus audit) {
		this.audit = audit;
	}

	@BubusHandler(bus = "audit", eventType = "*")
	public void audit(BaseEvent<?> event) {
		if (event instanceof CheckoutEvent checkout) {
			this.audit.emit(new AuditedEvent("checkout " + checkout.orderId));
		}
	}

}
