/**
 * Spring test support for bubus: between tests the application's buses' history is
 * cleared, a {@link io.bubus.test.BubusScenario} bean watches all of them, and
 * {@link io.bubus.test.spring.BubusHandlerTest @BubusHandlerTest} starts only the bubus
 * auto-configuration and the handler beans named. Registered through
 * {@code META-INF/spring.factories}, so having {@code bubus-test} on the test class path
 * is enough for {@code @SpringBootTest}.
 */
@NullMarked
package io.bubus.test.spring;

import org.jspecify.annotations.NullMarked;
