/**
 * JMH benchmarks for bubus.
 */
@NullMarked
package io.bubus.benchmarks;

import org.jspecify.annotations.NullMarked;
