package io.bubus.test;

import io.bubus.BaseEvent;
import io.bubus.EventBus;
import org.assertj.core.api.Assertions;

/**
 * AssertJ entry points for bubus, with all of AssertJ's own: one static import gives
 * both.
 *
 * {@snippet :
 * import static io.bubus.test.BubusAssertions.assertThat;
 *
 * CheckoutEvent checkout = bus.emit(new CheckoutEvent("o-1"));
 * assertThat(checkout).hasResultFrom("CheckoutService.onCheckout")
 * 	.hasDescendantPath(ChargeCardEvent.class, FraudCheckEvent.class)
 * 	.hasChild(SendReceiptEvent.class)
 * 	.single()
 * 	.hasResult("receipt:o-1");
 * assertThat(bus).hasEmitted(CheckoutEvent.class).once();
 * assertThat("plain AssertJ still works").startsWith("plain");
 * }
 *
 * <ul>
 * <li>{@link #assertThat(BaseEvent)}: status, results ({@code hasResult},
 * {@code hasResultFrom(handler)}, {@code hasFailedWith}), children and descendants
 * ({@code hasChild(Type.class).matching(..)}, {@code hasDescendantPath(A, B, C)}),
 * forwarding ({@code wasForwardedTo(bus)}), timing ({@code completedWithin}) and the tree
 * against a golden file. See {@link EventAssert}.</li>
 * <li>{@link #assertThat(EventBus)}: emitted events by type, count, order and predicate;
 * idle; the log tree against a golden file. See {@link EventBusAssert}.</li>
 * <li>{@link #assertThat(RecordedEvents)}: the same over a recording, which is not
 * bounded by the history size.</li>
 * </ul>
 * Every failure message says what was expected, what happened instead and prints the
 * causal tree.
 * <p>
 * <b>Golden files</b> ({@code treeMatchesGoldenFile}, {@code logTreeMatchesGoldenFile})
 * compare the tree with ids ({@code #ab12}, UUIDs), clock times and durations normalised.
 * A missing file is written and the assertion fails once so that someone reviews it;
 * {@code -Dbubus.golden.update=true} rewrites every compared file. The tree lists
 * handlers in the order they ran, so a golden tree is only stable for serial handlers (or
 * a single one).
 */
public class BubusAssertions extends Assertions {

	/** For subclasses that add more entry points. */
	protected BubusAssertions() {
	}

	/**
	 * Assertions on an event and its causal tree.
	 * @param event the event
	 * @return the assertion
	 */
	public static EventAssert assertThat(BaseEvent<?> event) {
		return new EventAssert(event);
	}

	/**
	 * Assertions on what a bus emitted.
	 * @param bus the bus
	 * @return the assertion
	 */
	public static EventBusAssert assertThat(EventBus bus) {
		return new EventBusAssert(bus);
	}

	/**
	 * Assertions on a recording of emitted events.
	 * @param recorded the recording
	 * @return the assertion
	 */
	public static RecordedEventsAssert assertThat(RecordedEvents recorded) {
		return new RecordedEventsAssert(recorded);
	}

}
