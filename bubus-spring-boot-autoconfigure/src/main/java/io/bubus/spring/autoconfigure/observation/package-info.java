/**
 * Micrometer instrumentation: observations of events and handler runs, and gauges of
 * queue and history sizes per bus.
 */
@NullMarked
package io.bubus.spring.autoconfigure.observation;

import org.jspecify.annotations.NullMarked;
