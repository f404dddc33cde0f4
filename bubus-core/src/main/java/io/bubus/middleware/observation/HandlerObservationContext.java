package io.bubus.middleware.observation;

import io.bubus.BaseEvent;
import io.bubus.EventBus;
import io.bubus.EventResult;

/**
 * Context of a {@code bubus.handler} observation: one handler run for one event on one
 * bus. A handler cancelled before it started is observed too, with zero duration. Its
 * outcome is how the handler run ended.
 */
public class HandlerObservationContext extends BubusObservationContext {

	private final EventResult<?> result;

	/**
	 * Creates a context.
	 * @param bus the bus running the handler
	 * @param event the event being handled
	 * @param result the handler's result row
	 */
	public HandlerObservationContext(EventBus bus, BaseEvent<?> event, EventResult<?> result) {
		super(bus, event);
		this.result = result;
	}

	/**
	 * The handler's result row (handler, status, value, error).
	 * @return the result row
	 */
	public EventResult<?> getResult() {
		return this.result;
	}

}
