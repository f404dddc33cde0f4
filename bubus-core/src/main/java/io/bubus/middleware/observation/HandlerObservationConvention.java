package io.bubus.middleware.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Convention for {@code bubus.handler} observations. Declare a bean to replace
 * {@link DefaultHandlerObservationConvention}, typically by extending it.
 */
public interface HandlerObservationConvention extends ObservationConvention<HandlerObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof HandlerObservationContext;
	}

}
