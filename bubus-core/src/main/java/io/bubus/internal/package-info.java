/**
 * Machinery behind the bus: ids, timestamps, timers, type resolution. Not part of the
 * public API; classes here may change in any release.
 */
@NullMarked
package io.bubus.internal;

import org.jspecify.annotations.NullMarked;
