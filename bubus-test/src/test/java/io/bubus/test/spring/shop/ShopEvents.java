package io.bubus.test.spring.shop;

import io.bubus.BaseEvent;

/**
 * The event of the test shop's audit bus; the others are {@link io.bubus.test.Shop}'s.
 */
final class ShopEvents {

	private ShopEvents() {
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
