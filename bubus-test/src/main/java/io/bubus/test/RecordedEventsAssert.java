package io.bubus.test;

import java.util.List;

import io.bubus.BaseEvent;

/**
 * Assertions on the events a {@link RecordedEvents} captured; start with
 * {@link BubusAssertions#assertThat(RecordedEvents)}. Failure messages show the trees of
 * the recorded events.
 */
public final class RecordedEventsAssert extends AbstractEmittedAssert<RecordedEventsAssert, RecordedEvents> {

	RecordedEventsAssert(RecordedEvents recorded) {
		super(recorded, RecordedEventsAssert.class);
	}

	/**
	 * Exactly this many events were recorded.
	 * @param count the expected number
	 * @return this
	 */
	public RecordedEventsAssert hasCount(int count) {
		isNotNull();
		List<BaseEvent<?>> all = emitted();
		if (all.size() != count) {
			fail(count + " recorded events", "there are " + all.size() + ": " + Failures.labels(all));
		}
		return this;
	}

	@Override
	List<BaseEvent<?>> emitted() {
		return this.actual.all();
	}

	@Override
	String treeTitle() {
		return "Recorded events";
	}

	@Override
	String tree() {
		return EventTree.renderRoots(emitted());
	}

}
