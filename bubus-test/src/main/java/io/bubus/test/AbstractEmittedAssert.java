package io.bubus.test;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import io.bubus.BaseEvent;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on what was emitted, shared by {@link EventBusAssert} (a bus's history) and
 * {@link RecordedEventsAssert} (a recording).
 *
 * @param <SELF> the assertion type
 * @param <ACTUAL> what is asserted on
 */
public abstract class AbstractEmittedAssert<SELF extends AbstractEmittedAssert<SELF, ACTUAL>, ACTUAL>
		extends AbstractAssert<SELF, ACTUAL> {

	Duration wait = EventAssert.DEFAULT_WAIT;

	AbstractEmittedAssert(ACTUAL actual, Class<?> selfType) {
		super(actual, selfType);
	}

	/** The events, oldest first. */
	abstract List<BaseEvent<?>> emitted();

	abstract String treeTitle();

	abstract String tree();

	/**
	 * The emitted events of this type (subtypes included), oldest first; fails when there
	 * is none.
	 * @param <E> the type
	 * @param type the type
	 * @return an assertion on those events
	 */
	public <E extends BaseEvent<?>> EventsAssert<E> hasEmitted(Class<E> type) {
		isNotNull();
		List<BaseEvent<?>> all = emitted();
		List<E> events = all.stream().filter(type::isInstance).map(type::cast).toList();
		if (events.isEmpty()) {
			fail("an emitted " + Failures.typeName(type), "the emitted events are " + Failures.labels(all));
		}
		return new EventsAssert<>(events, "emitted " + Failures.typeName(type), treeTitle(), this::tree, this.wait);
	}

	/**
	 * The emitted events with this {@code event_type} (for events without a class, such
	 * as those received over a bridge), oldest first; fails when there is none.
	 * @param eventType the event type string
	 * @return an assertion on those events
	 */
	public EventsAssert<BaseEvent<?>> hasEmitted(String eventType) {
		isNotNull();
		List<BaseEvent<?>> all = emitted();
		List<BaseEvent<?>> events = all.stream().filter((event) -> event.eventType().equals(eventType)).toList();
		if (events.isEmpty()) {
			fail("an emitted " + eventType, "the emitted events are " + Failures.labels(all));
		}
		return new EventsAssert<>(events, "emitted " + eventType, treeTitle(), this::tree, this.wait);
	}

	/**
	 * No event of this type (or a subtype) was emitted.
	 * @param type the type
	 * @return this
	 */
	public SELF hasNotEmitted(Class<? extends BaseEvent<?>> type) {
		isNotNull();
		List<BaseEvent<?>> events = emitted().stream().filter(type::isInstance).toList();
		if (!events.isEmpty()) {
			fail("no emitted " + Failures.typeName(type), "found " + Failures.labels(events));
		}
		return this.myself;
	}

	/**
	 * Events of these types were emitted in this order (others may come between them).
	 * @param types the types, in the expected order
	 * @return this
	 */
	@SafeVarargs
	public final SELF hasEmittedInOrder(Class<? extends BaseEvent<?>>... types) {
		isNotNull();
		List<BaseEvent<?>> all = emitted();
		int next = 0;
		for (BaseEvent<?> event : all) {
			if (next < types.length && types[next].isInstance(event)) {
				next++;
			}
		}
		if (next < types.length) {
			String order = Arrays.stream(types).map(Failures::typeName).collect(Collectors.joining(" → "));
			fail("events emitted in the order " + order,
					"no " + Failures.typeName(types[next]) + " follows "
							+ ((next == 0) ? "the start" : "the " + Failures.typeName(types[next - 1]))
							+ "; the emitted events are " + Failures.labels(all));
		}
		return this.myself;
	}

	/**
	 * How long assertions on the events that follow wait for an event to complete.
	 * @param timeout the bound
	 * @return this
	 */
	public SELF waitingAtMost(Duration timeout) {
		this.wait = timeout;
		return this.myself;
	}

	void fail(String expected, String but) {
		failWithMessage("%s", Failures.message(expected, but, treeTitle(), tree()));
	}

}
