package io.bubus.spring.autoconfigure.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Convention for {@code bubus.handler} observations. Declare a bean to replace
 * {@link DefaultHandlerObservationConvention}, typically by extending it.
 *
 * @author bubus-java
 * @since 0.1.0
 */
public interface HandlerObservationConvention extends ObservationConvention<HandlerObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof HandlerObservationContext;
	}

}
