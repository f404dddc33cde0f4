package io.bubus.middleware.observation;

import io.bubus.middleware.observation.BubusObservationDocumentation.HighCardinalityKeyNames;
import io.bubus.middleware.observation.BubusObservationDocumentation.LowCardinalityKeyNames;
import io.micrometer.common.KeyValues;

/**
 * Default {@link HandlerObservationConvention}: name {@code bubus.handler}, contextual
 * name {@code <bus> <handler name>}, low-cardinality keys {@code bubus.bus},
 * {@code bubus.event.type}, {@code bubus.handler}, {@code bubus.outcome}.
 */
public class DefaultHandlerObservationConvention extends AbstractBubusObservationConvention<HandlerObservationContext>
		implements HandlerObservationConvention {

	/** The observation name. */
	public static final String NAME = "bubus.handler";

	/** Creates the convention. */
	public DefaultHandlerObservationConvention() {
		super(NAME);
	}

	@Override
	String subject(HandlerObservationContext context) {
		return context.getResult().handlerName();
	}

	@Override
	KeyValues lowCardinalityKeyValues(HandlerObservationContext context) {
		return KeyValues.of(LowCardinalityKeyNames.HANDLER.withValue(context.getResult().handlerName()));
	}

	@Override
	KeyValues highCardinalityKeyValues(HandlerObservationContext context) {
		return KeyValues.of(HighCardinalityKeyNames.HANDLER_ID.withValue(context.getResult().handlerId()));
	}

}
