package io.bubus.test.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.autoconfigure.OverrideAutoConfiguration;
import org.springframework.boot.test.context.filter.annotation.TypeExcludeFilters;
import org.springframework.test.context.BootstrapWith;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * A Spring Boot test slice for event handlers: starts the bubus auto-configuration, the
 * {@code @Bean} methods of the application's {@code @SpringBootConfiguration} class and
 * the handler classes named, nothing else of what component scanning would find (no web
 * server, no data sources, no other auto-configuration). Buses come from the usual
 * {@code bubus.*} properties; {@link #properties()} adds more.
 *
 * {@snippet :
 * &#64;BubusHandlerTest({ CheckoutService.class, FulfilmentHandlers.class })
 * class CheckoutHandlerTests {
 *
 * 	&#64;Autowired
 * 	BubusScenario scenario;
 *
 * 	&#64;Test
 * 	void checkoutChargesTheCard() {
 * 		ChargeCardEvent charge = this.scenario.emit(new CheckoutEvent("o-1"))
 * 			.andWaitForEventOfType(ChargeCardEvent.class)
 * 			.toComplete();
 * 		assertThat(charge).hasDescendantPath(FraudCheckEvent.class);
 * 	}
 *
 * }
 * }
 *
 * Like every Spring test with {@code bubus-test} on the class path, the buses' history is
 * cleared after each test and a {@link io.bubus.test.BubusScenario} bean watches them.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@BootstrapWith(BubusHandlerTestContextBootstrapper.class)
@ExtendWith(SpringExtension.class)
@OverrideAutoConfiguration(enabled = false)
@TypeExcludeFilters(BubusHandlerTypeExcludeFilter.class)
@AutoConfigureBubus
public @interface BubusHandlerTest {

	/**
	 * The handler classes to start as beans (their {@code @BubusHandler} methods are
	 * registered on the buses).
	 * @return the classes
	 */
	Class<?>[] value() default {};

	/**
	 * Properties in {@code key=value} form added to the environment, as
	 * {@code @SpringBootTest(properties = ...)}.
	 * @return the properties
	 */
	String[] properties() default {};

}
