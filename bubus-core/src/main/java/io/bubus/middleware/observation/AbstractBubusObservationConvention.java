package io.bubus.middleware.observation;

import io.bubus.middleware.observation.BubusObservationDocumentation.HighCardinalityKeyNames;
import io.bubus.middleware.observation.BubusObservationDocumentation.LowCardinalityKeyNames;
import io.micrometer.common.KeyValues;

/**
 * The part the default conventions share: contextual name {@code <bus> <subject>},
 * low-cardinality keys {@code bubus.bus}, {@code bubus.event.type} and, once ended,
 * {@code bubus.outcome}; high-cardinality keys {@code bubus.bus.label} and
 * {@code bubus.event.id}. Each convention adds its own keys.
 *
 * @param <C> the observation context
 */
abstract class AbstractBubusObservationConvention<C extends BubusObservationContext> {

	private final String name;

	AbstractBubusObservationConvention(String name) {
		this.name = name;
	}

	public String getName() {
		return this.name;
	}

	public String getContextualName(C context) {
		return context.getBus().name() + " " + subject(context);
	}

	public KeyValues getLowCardinalityKeyValues(C context) {
		KeyValues values = KeyValues
			.of(LowCardinalityKeyNames.BUS.withValue(context.getBus().name()),
					LowCardinalityKeyNames.EVENT_TYPE.withValue(context.getEvent().eventType()))
			.and(lowCardinalityKeyValues(context));
		Outcome outcome = context.getOutcome();
		return (outcome != null) ? values.and(LowCardinalityKeyNames.OUTCOME.withValue(outcome.value())) : values;
	}

	public KeyValues getHighCardinalityKeyValues(C context) {
		return KeyValues
			.of(HighCardinalityKeyNames.BUS_LABEL.withValue(context.getBus().label()),
					HighCardinalityKeyNames.EVENT_ID.withValue(context.getEvent().eventId()))
			.and(highCardinalityKeyValues(context));
	}

	/** What the contextual name names after the bus. */
	abstract String subject(C context);

	/** The convention's own low-cardinality keys. */
	abstract KeyValues lowCardinalityKeyValues(C context);

	/** The convention's own high-cardinality keys. */
	abstract KeyValues highCardinalityKeyValues(C context);

}
