/**
 * Bridges carry events between processes and languages over a transport. A bridge sends
 * with {@code emit(event)} and receives with {@code on(pattern, handler)}, so
 * {@code bus.on("*", bridge::emit)} and {@code bridge.on("*", bus::emit)} connect a bus
 * to it. Events keep their {@code event_path} across the wire, which is what stops loops.
 */
@NullMarked
package io.bubus.bridge;

import org.jspecify.annotations.NullMarked;
