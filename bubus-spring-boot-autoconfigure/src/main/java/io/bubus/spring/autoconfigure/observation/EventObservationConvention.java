package io.bubus.spring.autoconfigure.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Convention for {@code bubus.event} observations. Declare a bean to replace
 * {@link DefaultEventObservationConvention}, typically by extending it.
 *
 * @author bubus-java
 * @since 0.1.0
 */
public interface EventObservationConvention extends ObservationConvention<EventObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof EventObservationContext;
	}

}
