package io.bubus.middleware.observation;

import io.bubus.BaseEvent;
import io.bubus.EventBus;
import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

/**
 * What every bubus observation context holds: the bus, the event and, once it ended, the
 * outcome.
 */
public abstract class BubusObservationContext extends Observation.Context {

	private final EventBus bus;

	private final BaseEvent<?> event;

	private @Nullable Outcome outcome;

	/**
	 * Creates a context.
	 * @param bus the bus processing the event
	 * @param event the event
	 */
	protected BubusObservationContext(EventBus bus, BaseEvent<?> event) {
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
	 * How the observed work ended; {@code null} while it is in flight.
	 * @return the outcome or {@code null}
	 */
	public @Nullable Outcome getOutcome() {
		return this.outcome;
	}

	/**
	 * Sets how the observed work ended.
	 * @param outcome the outcome
	 */
	public void setOutcome(@Nullable Outcome outcome) {
		this.outcome = outcome;
	}

}
