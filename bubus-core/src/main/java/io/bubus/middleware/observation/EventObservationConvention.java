package io.bubus.middleware.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Convention for {@code bubus.event} observations. Declare a bean to replace
 * {@link DefaultEventObservationConvention}, typically by extending it.
 */
public interface EventObservationConvention extends ObservationConvention<EventObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof EventObservationContext;
	}

}
