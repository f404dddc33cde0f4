/**
 * Test support for bubus: {@link io.bubus.test.BubusAssertions} (AssertJ assertions on
 * buses, events and their causal trees), {@link io.bubus.test.BubusScenario} (stimulate,
 * then wait for an event of the resulting chain without sleeping) and the JUnit 5
 * extension {@link io.bubus.test.BubusTest @BubusTest}.
 */
@NullMarked
package io.bubus.test;

import org.jspecify.annotations.NullMarked;
