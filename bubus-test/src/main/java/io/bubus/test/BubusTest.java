package io.bubus.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a JUnit 5 test class with the {@link BubusExtension}: test methods and lifecycle
 * methods can take {@link io.bubus.EventBus}, {@link BubusScenario} and
 * {@link RecordedEvents} parameters.
 *
 * {@snippet :
 * &#64;BubusTest
 * class CheckoutTests {
 *
 * 	&#64;BeforeEach
 * 	void handlers(EventBus bus) {
 * 		bus.register(new CheckoutHandlers(bus));
 * 	}
 *
 * 	&#64;Test
 * 	void checkoutSendsAReceipt(EventBus bus, BubusScenario scenario, RecordedEvents recorded) {
 * 		scenario.emit(new CheckoutEvent("o-1")).andWaitForEventOfType(SendReceiptEvent.class).toComplete();
 * 		assertThat(recorded).hasEmitted(CheckoutEvent.class).once();
 * 	}
 *
 * }
 * }
 *
 * <ul>
 * <li>Each {@code EventBus} parameter is a bus named after the parameter (or
 * {@link BusName @BusName}); parameters with the same name in one test, its
 * {@code @BeforeEach} and {@code @AfterEach} methods get the same bus.</li>
 * <li>{@link RecordedEvents} holds every event those buses accepted during the test, from
 * any thread (a handler's virtual thread, an executor the code under test uses), not only
 * the test's own.</li>
 * <li>{@link BubusScenario} watches those buses; the first bus is the one its
 * {@code emit} uses.</li>
 * </ul>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(BubusExtension.class)
public @interface BubusTest {

	/**
	 * Whether each test gets fresh buses or the class shares them.
	 * @return the bus lifecycle, {@link Buses#PER_TEST} by default
	 */
	Buses buses() default Buses.PER_TEST;

	/** The lifecycle of the buses the extension creates. */
	enum Buses {

		/**
		 * Fresh buses for every test, stopped after it (running handlers aborted):
		 * nothing carries over from one test to the next.
		 */
		PER_TEST,

		/**
		 * One set of buses for the test class (and its {@code @BeforeAll} methods),
		 * stopped after the last test. After each test the extension waits for the buses
		 * to become idle (failing the test when they do not within 10 seconds, since its
		 * events would leak into the next one), then clears their history and the
		 * recording. Handlers registered stay.
		 */
		PER_CLASS

	}

}
