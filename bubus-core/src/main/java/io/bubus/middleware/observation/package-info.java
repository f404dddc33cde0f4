/**
 * Micrometer observation support for
 * {@link io.bubus.middleware.ObservationEventBusMiddleware}: the documented observations
 * ({@code bubus.event}, {@code bubus.handler}), their contexts, conventions and the
 * {@code bubus.outcome} values. Needs {@code io.micrometer:micrometer-observation} on the
 * class path.
 */
@NullMarked
package io.bubus.middleware.observation;

import org.jspecify.annotations.NullMarked;
