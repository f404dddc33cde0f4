/**
 * The {@code bubus} health contributor: one component per bus and per bridge.
 */
@NullMarked
package io.bubus.spring.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
