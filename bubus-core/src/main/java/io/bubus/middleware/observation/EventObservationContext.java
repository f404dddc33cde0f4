package io.bubus.middleware.observation;

import io.bubus.BaseEvent;
import io.bubus.EventBus;

/**
 * Context of a {@code bubus.event} observation: one event on one bus, from the moment it
 * is emitted to (or forwarded to) the bus until the event completes. Its outcome is how
 * the event ended on this bus.
 */
public class EventObservationContext extends BubusObservationContext {

	/**
	 * Creates a context.
	 * @param bus the bus processing the event
	 * @param event the event
	 */
	public EventObservationContext(EventBus bus, BaseEvent<?> event) {
		super(bus, event);
	}

}
