package io.bubus.test;

import io.bubus.BaseEvent;
import io.bubus.EventBus;
import io.bubus.HandlerOptions;

/**
 * A small checkout used by the kit's tests: a checkout emits a charge (which emits a
 * fraud check) and a receipt, each awaited, and an analytics handler that always fails.
 */
public final class Shop {

	private Shop() {
	}

	static void register(EventBus bus) {
		bus.on(CheckoutEvent.class, (event) -> {
			String charge = bus.emit(new ChargeEvent(event.orderId)).done().eventResult();
			String receipt = bus.emit(new ReceiptEvent(event.orderId)).done().eventResult();
			return charge + "|" + receipt;
		}, HandlerOptions.defaults().name("Shop.checkout"));
		bus.on(CheckoutEvent.class, (event) -> {
			throw new IllegalStateException("analytics down");
		}, HandlerOptions.defaults().name("Shop.analytics"));
		bus.on(ChargeEvent.class, (event) -> {
			String fraud = bus.emit(new FraudEvent(event.orderId)).done().eventResult();
			return "charge:" + event.orderId + ":" + fraud;
		}, HandlerOptions.defaults().name("Shop.charge"));
		bus.on(FraudEvent.class, (event) -> "fraud-ok", HandlerOptions.defaults().name("Shop.fraud"));
		bus.on(ReceiptEvent.class, (event) -> "receipt:" + event.orderId,
				HandlerOptions.defaults().name("Shop.receipt"));
	}

	public static class CheckoutEvent extends BaseEvent<String> {

		public String orderId = "";

		public CheckoutEvent() {
		}

		public CheckoutEvent(String orderId) {
			this.orderId = orderId;
		}

	}

	public static class ChargeEvent extends BaseEvent<String> {

		public String orderId = "";

		public ChargeEvent() {
		}

		public ChargeEvent(String orderId) {
			this.orderId = orderId;
		}

	}

	public static class FraudEvent extends BaseEvent<String> {

		public String orderId = "";

		public FraudEvent() {
		}

		public FraudEvent(String orderId) {
			this.orderId = orderId;
		}

	}

	public static class ReceiptEvent extends BaseEvent<String> {

		public String orderId = "";

		public ReceiptEvent() {
		}

		public ReceiptEvent(String orderId) {
			this.orderId = orderId;
		}

	}

}
