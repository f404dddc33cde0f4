package io.bubus.middleware.observation;

import io.bubus.middleware.observation.BubusObservationDocumentation.HighCardinalityKeyNames;
import io.bubus.middleware.observation.BubusObservationDocumentation.LowCardinalityKeyNames;
import io.micrometer.common.KeyValues;

/**
 * Default {@link HandlerObservationConvention}: name {@code bubus.handler}, contextual
 * name {@code <bus> <handler name>}, low-cardinality keys {@code bubus.bus},
 * {@code bubus.event.type}, {@code bubus.handler}, {@code bubus.outcome}.
 */
public class DefaultHandlerObservationConvention implements HandlerObservationConvention {

	/** The observation name. */
	public static final String NAME = "bubus.handler";

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(HandlerObservationContext context) {
		return context.getBus().name() + " " + context.getResult().handlerName();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(HandlerObservationContext context) {
		KeyValues values = KeyValues.of(LowCardinalityKeyNames.BUS.withValue(context.getBus().name()),
				LowCardinalityKeyNames.EVENT_TYPE.withValue(context.getEvent().eventType()),
				LowCardinalityKeyNames.HANDLER.withValue(context.getResult().handlerName()));
		Outcome outcome = context.getOutcome();
		return (outcome != null) ? values.and(LowCardinalityKeyNames.OUTCOME.withValue(outcome.value())) : values;
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(HandlerObservationContext context) {
		return KeyValues.of(HighCardinalityKeyNames.BUS_LABEL.withValue(context.getBus().label()),
				HighCardinalityKeyNames.EVENT_ID.withValue(context.getEvent().eventId()),
				HighCardinalityKeyNames.HANDLER_ID.withValue(context.getResult().handlerId()));
	}

}
