package io.bubus.test.spring.shop;

import io.bubus.BaseEvent;

/** The events of the test shop. */
final class ShopEvents {

	private ShopEvents() {
	}

	public static class CheckoutEvent extends BaseEvent<String> {

		public String orderId = "";

		public CheckoutEvent() {
		}

		CheckoutEvent(String orderId) {
			this.orderId = orderId;
		}

	}

	public static class ChargeEvent extends BaseEvent<String> {

		public String orderId = "";

		public ChargeEvent() {
		}

		ChargeEvent(String orderId) {
			this.orderId = orderId;
		}

	}

	public static class ReceiptEvent extends BaseEvent<String> {

		public String orderId = "";

		public ReceiptEvent() {
		}

		ReceiptEvent(String orderId) {
			this.orderId = orderId;
		}

	}

	public static class AuditedEvent extends BaseEvent<Void> {

		public String what = "";

		public AuditedEvent() {
		}

		AuditedEvent(String what) {
			this.what = what;
		}

	}

}
