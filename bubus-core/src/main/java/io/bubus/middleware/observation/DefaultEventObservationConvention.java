package io.bubus.middleware.observation;

import io.bubus.middleware.observation.BubusObservationDocumentation.HighCardinalityKeyNames;
import io.micrometer.common.KeyValues;

/**
 * Default {@link EventObservationConvention}: name {@code bubus.event}, contextual name
 * {@code <bus> <event type>}, low-cardinality keys {@code bubus.bus},
 * {@code bubus.event.type}, {@code bubus.outcome}.
 */
public class DefaultEventObservationConvention extends AbstractBubusObservationConvention<EventObservationContext>
		implements EventObservationConvention {

	/** The observation name. */
	public static final String NAME = "bubus.event";

	/** Creates the convention. */
	public DefaultEventObservationConvention() {
		super(NAME);
	}

	@Override
	String subject(EventObservationContext context) {
		return context.getEvent().eventType();
	}

	@Override
	KeyValues lowCardinalityKeyValues(EventObservationContext context) {
		return KeyValues.empty();
	}

	@Override
	KeyValues highCardinalityKeyValues(EventObservationContext context) {
		String parentId = context.getEvent().eventParentId();
		return (parentId != null) ? KeyValues.of(HighCardinalityKeyNames.EVENT_PARENT_ID.withValue(parentId))
				: KeyValues.empty();
	}

}
