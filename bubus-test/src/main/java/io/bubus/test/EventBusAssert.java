package io.bubus.test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.bubus.BaseEvent;
import io.bubus.EventBus;

/**
 * Assertions on a bus: what is in its history (emitted events by type, their count and
 * order) and its log tree; start with {@link BubusAssertions#assertThat(EventBus)}.
 * Failure messages show the bus's {@link EventBus#logTree() log tree}. Only what is still
 * in the history can be found: a bus with a small {@code maxHistorySize} forgets, a
 * {@link RecordedEvents} does not.
 *
 * {@snippet :
 * assertThat(bus).becomesIdle()
 * 	.hasEmittedInOrder(ReserveInventoryEvent.class, ChargeCardEvent.class)
 * 	.hasEmitted(CheckoutEvent.class)
 * 	.once();
 * }
 */
public final class EventBusAssert extends AbstractEmittedAssert<EventBusAssert, EventBus> {

	EventBusAssert(EventBus bus) {
		super(bus, EventBusAssert.class);
	}

	/**
	 * The bus becomes idle (nothing queued or running) within the
	 * {@link #waitingAtMost(Duration) wait}, 10 seconds by default.
	 * @return this
	 */
	public EventBusAssert becomesIdle() {
		isNotNull();
		if (!this.actual.waitUntilIdle(this.wait)) {
			fail(this.actual.label() + " to become idle within " + Failures.duration(this.wait),
					this.actual.queueSize() + " event(s) are still queued: " + this.actual);
		}
		return this;
	}

	/**
	 * The bus's log tree, with ids and times normalised, equals the golden file; see
	 * {@link BubusAssertions} for how golden files are written and updated.
	 * @param golden the file, such as
	 * {@code Path.of("src/test/resources/trees/orders.txt")}
	 * @return this
	 */
	public EventBusAssert logTreeMatchesGoldenFile(Path golden) {
		isNotNull();
		GoldenFile.compare(this.info, golden, this.actual.logTree());
		return this;
	}

	@Override
	List<BaseEvent<?>> emitted() {
		return this.actual.eventHistory();
	}

	@Override
	String treeTitle() {
		return "Log tree of " + this.actual.label();
	}

	@Override
	String tree() {
		return this.actual.logTree();
	}

}
