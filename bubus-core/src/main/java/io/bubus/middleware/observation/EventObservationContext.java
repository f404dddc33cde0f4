package io.bubus.middleware.observation;

import io.bubus.BaseEvent;
import io.bubus.EventBus;
import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

/**
 * Context of a {@code bubus.event} observation: one event on one bus, from the moment it
 * is emitted to (or forwarded to) the bus until the event completes.
 */
public class EventObservationContext extends Observation.Context {

	private final EventBus bus;

	private final BaseEvent<?> event;

	private @Nullable Outcome outcome;

	/**
	 * Creates a context.
	 * @param bus the bus processing the event
	 * @param event the event
	 */
	public EventObservationContext(EventBus bus, BaseEvent<?> event) {
		this.bus = bus;
		this.event = event;
	}

	/**
	 * The bus processing the event.
	 * @return the bus
	 */
	public EventBus getBus() {
		return this.bus;
	}

	/**
	 * The observed event.
	 * @return the event
	 */
	public BaseEvent<?> getEvent() {
		return this.event;
	}

	/**
	 * How the event ended on this bus; {@code null} while it is in flight.
	 * @return the outcome or {@code null}
	 */
	public @Nullable Outcome getOutcome() {
		return this.outcome;
	}

	/**
	 * Sets how the event ended on this bus.
	 * @param outcome the outcome
	 */
	public void setOutcome(@Nullable Outcome outcome) {
		this.outcome = outcome;
	}

}
