package io.bubus.middleware.observation;

import io.bubus.BaseEvent;
import io.bubus.middleware.observation.BubusObservationDocumentation.HighCardinalityKeyNames;
import io.bubus.middleware.observation.BubusObservationDocumentation.LowCardinalityKeyNames;
import io.micrometer.common.KeyValues;

/**
 * Default {@link EventObservationConvention}: name {@code bubus.event}, contextual name
 * {@code <bus> <event type>}, low-cardinality keys {@code bubus.bus},
 * {@code bubus.event.type}, {@code bubus.outcome}.
 */
public class DefaultEventObservationConvention implements EventObservationConvention {

	/** The observation name. */
	public static final String NAME = "bubus.event";

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(EventObservationContext context) {
		return context.getBus().name() + " " + context.getEvent().eventType();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(EventObservationContext context) {
		KeyValues values = KeyValues.of(LowCardinalityKeyNames.BUS.withValue(context.getBus().name()),
				LowCardinalityKeyNames.EVENT_TYPE.withValue(context.getEvent().eventType()));
		Outcome outcome = context.getOutcome();
		return (outcome != null) ? values.and(LowCardinalityKeyNames.OUTCOME.withValue(outcome.value())) : values;
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(EventObservationContext context) {
		BaseEvent<?> event = context.getEvent();
		KeyValues values = KeyValues.of(HighCardinalityKeyNames.BUS_LABEL.withValue(context.getBus().label()),
				HighCardinalityKeyNames.EVENT_ID.withValue(event.eventId()));
		String parentId = event.eventParentId();
		return (parentId != null) ? values.and(HighCardinalityKeyNames.EVENT_PARENT_ID.withValue(parentId)) : values;
	}

}
