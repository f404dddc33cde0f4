/**
 * Actuator support: the {@code bubus} endpoint (buses, handlers, history, log tree,
 * single events).
 */
@NullMarked
package io.bubus.spring.autoconfigure.actuate;

import org.jspecify.annotations.NullMarked;
