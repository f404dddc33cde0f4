package io.bubus.middleware.observation;

import io.bubus.BaseEvent;
import io.bubus.EventBus;
import io.bubus.EventResult;
import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

/**
 * Context of a {@code bubus.handler} observation: one handler run for one event on one
 * bus. A handler cancelled before it started is observed too, with zero duration.
 */
public class HandlerObservationContext extends Observation.Context {

	private final EventBus bus;

	private final BaseEvent<?> event;

	private final EventResult<?> result;

	private @Nullable Outcome outcome;

	/**
	 * Creates a context.
	 * @param bus the bus running the handler
	 * @param event the event being handled
	 * @param result the handler's result row
	 */
	public HandlerObservationContext(EventBus bus, BaseEvent<?> event, EventResult<?> result) {
		this.bus = bus;
		this.event = event;
		this.result = result;
	}

	/**
	 * The bus running the handler.
	 * @return the bus
	 */
	public EventBus getBus() {
		return this.bus;
	}

	/**
	 * The event being handled.
	 * @return the event
	 */
	public BaseEvent<?> getEvent() {
		return this.event;
	}

	/**
	 * The handler's result row (handler, status, value, error).
	 * @return the result row
	 */
	public EventResult<?> getResult() {
		return this.result;
	}

	/**
	 * How the handler run ended; {@code null} while it runs.
	 * @return the outcome or {@code null}
	 */
	public @Nullable Outcome getOutcome() {
		return this.outcome;
	}

	/**
	 * Sets how the handler run ended.
	 * @param outcome the outcome
	 */
	public void setOutcome(@Nullable Outcome outcome) {
		this.outcome = outcome;
	}

}
