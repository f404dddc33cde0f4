package io.bubus.test;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

import io.bubus.BaseEvent;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on a list of events of one type: the events a bus emitted
 * ({@link EventBusAssert#hasEmitted(Class)}) or an event's children and descendants
 * ({@link EventAssert#hasChild(Class)}). Narrow with {@link #matching}, count with
 * {@link #hasCount}, and go on with one of them through {@link #single()},
 * {@link #first()} or {@link #last()}.
 *
 * {@snippet :
 * assertThat(checkout).hasChild(ChargeCardEvent.class)
 * 	.matching("for order o-1", (charge) -> charge.orderId.equals("o-1"))
 * 	.single()
 * 	.hasResult("charge:o-1");
 * }
 *
 * @param <E> the event type
 */
public final class EventsAssert<E extends BaseEvent<?>> extends AbstractAssert<EventsAssert<E>, List<E>> {

	private final String what;

	private final Supplier<String> tree;

	private final String treeTitle;

	private final Duration wait;

	EventsAssert(List<E> events, String what, String treeTitle, Supplier<String> tree, Duration wait) {
		super(List.copyOf(events), EventsAssert.class);
		this.what = what;
		this.treeTitle = treeTitle;
		this.tree = tree;
		this.wait = wait;
	}

	/**
	 * Only the events the predicate accepts; fails when there is none.
	 * @param predicate the condition
	 * @return an assertion on the matching events
	 */
	public EventsAssert<E> matching(Predicate<? super E> predicate) {
		return matching("the predicate", predicate);
	}

	/**
	 * Only the events the predicate accepts; fails when there is none.
	 * @param description what the predicate checks, for the failure message
	 * @param predicate the condition
	 * @return an assertion on the matching events
	 */
	public EventsAssert<E> matching(String description, Predicate<? super E> predicate) {
		isNotNull();
		List<E> matches = this.actual.stream().filter(predicate).toList();
		String narrowed = this.what + " matching " + description;
		if (matches.isEmpty()) {
			fail("at least one of " + narrowed, "none of " + Failures.labels(this.actual) + " matches");
		}
		return new EventsAssert<>(matches, narrowed, this.treeTitle, this.tree, this.wait);
	}

	/**
	 * Exactly {@code count} events.
	 * @param count the expected number
	 * @return this
	 */
	public EventsAssert<E> hasCount(int count) {
		isNotNull();
		if (this.actual.size() != count) {
			fail(count + " of " + this.what, "found " + this.actual.size() + ": " + Failures.labels(this.actual));
		}
		return this;
	}

	/**
	 * Exactly one event.
	 * @return this
	 */
	public EventsAssert<E> once() {
		return hasCount(1);
	}

	/**
	 * Every event satisfies the predicate.
	 * @param description what the predicate checks, for the failure message
	 * @param predicate the condition
	 * @return this
	 */
	public EventsAssert<E> allMatch(String description, Predicate<? super E> predicate) {
		isNotNull();
		List<E> failing = this.actual.stream().filter(predicate.negate()).toList();
		if (!failing.isEmpty()) {
			fail("every one of " + this.what + " to match " + description, Failures.labels(failing) + " do not");
		}
		return this;
	}

	/**
	 * Goes on with the only event; fails unless there is exactly one.
	 * @return an assertion on it
	 */
	public EventAssert single() {
		once();
		return event(this.actual.get(0));
	}

	/**
	 * Goes on with the first event (in emit order).
	 * @return an assertion on it
	 */
	public EventAssert first() {
		nonEmpty();
		return event(this.actual.get(0));
	}

	/**
	 * Goes on with the last event (in emit order).
	 * @return an assertion on it
	 */
	public EventAssert last() {
		nonEmpty();
		return event(this.actual.get(this.actual.size() - 1));
	}

	private void nonEmpty() {
		isNotNull();
		if (this.actual.isEmpty()) {
			fail("at least one of " + this.what, "there is none");
		}
	}

	private EventAssert event(E event) {
		return new EventAssert(event).waitingAtMost(this.wait);
	}

	private void fail(String expected, String but) {
		failWithMessage("%s", Failures.message(expected, but, this.treeTitle, this.tree.get()));
	}

}
