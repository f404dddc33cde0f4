package io.bubus.sample;

import io.bubus.BaseEvent;
import io.bubus.BubusHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Handlers on the {@code audit} bus, which receives every event of the application bus
 * (see {@link SampleApplication#forwardToAudit}). The analytics handler always fails: its
 * error is recorded on the event and the checkout still succeeds.
 */
@Component
public class AuditHandlers {

	private static final Logger log = LoggerFactory.getLogger(AuditHandlers.class);

	/**
	 * Records every event.
	 * @param event any event
	 * @return what was recorded
	 */
	@BubusHandler(bus = "audit", eventType = "*")
	public String record(BaseEvent<?> event) {
		log.info("audit {} {}", event.eventType(), event.eventId());
		return "audited " + event.eventType();
	}

	/**
	 * Sends checkouts to an analytics backend that is down.
	 * @param event the checkout
	 * @return never
	 */
	@BubusHandler(bus = "audit")
	public String track(CheckoutEvent event) {
		throw new IllegalStateException("analytics backend unreachable");
	}

}
