package io.bubus;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The event timeout of a parent that awaits a child inline ({@code child.done()} in its
 * handler) ends the child's running handler Aborted (never a raw
 * {@link InterruptedException}), cancels its pending handlers, and starts none of them
 * afterwards.
 */
class TimeoutCascadeRaceTests {

	public static class CascadeParent extends BaseEvent<String> {

	}

	public static class CascadeChild extends BaseEvent<String> {

	}

	@RepeatedTest(20)
	@Timeout(value = 30, unit = TimeUnit.SECONDS)
	void parentTimeoutAbortsTheInlineChildAndStartsNoneOfItsLaterHandlers() throws Exception {
		AtomicInteger laterCalls = new AtomicInteger();
		try (EventBus bus = EventBus.builder("CascadeRace").build()) {
			assertThat(runOnce(bus, Duration.ofMillis(100), laterCalls)).as("the child was emitted").isTrue();
		}
	}

	/** The acceptance run: 1,000 rounds with small timeouts, no failure allowed. */
	@Test
	@Timeout(value = 300, unit = TimeUnit.SECONDS)
	void aThousandRoundsOfTheTimeoutCascadeRace() throws Exception {
		AtomicInteger laterCalls = new AtomicInteger();
		int reached = 0;
		try (EventBus bus = EventBus.builder("CascadeRaceLoop").maxHistorySize(null).maxHistoryDrop(true).build()) {
			for (int round = 0; round < 1_000; round++) {
				reached += runOnce(bus, Duration.ofMillis(5 + round % 10), laterCalls) ? 1 : 0;
			}
		}
		// a tiny timeout may end the parent before its handler emits: such a round
		// checks the parent only
		assertThat(reached).as("rounds whose parent emitted the child").isPositive();
		System.out.printf("timeout cascade: %d of 1000 rounds reached the child, 0 failures%n", reached);
	}

	/** One round; returns whether the parent's handler got to emit the child. */
	private static boolean runOnce(EventBus bus, Duration parentTimeout, AtomicInteger laterCalls) {
		bus.off(CascadeParent.class);
		bus.off(CascadeChild.class);
		CascadeChild[] child = new CascadeChild[1];
		java.util.concurrent.atomic.AtomicBoolean slowStarted = new java.util.concurrent.atomic.AtomicBoolean();
		bus.on(CascadeParent.class, (event) -> {
			child[0] = bus.emit(new CascadeChild());
			child[0].done();
			return "parent";
		});
		bus.on(CascadeChild.class, (event) -> {
			slowStarted.set(true);
			Thread.sleep(5_000);
			return "slow";
		});
		bus.on(CascadeChild.class, (event) -> {
			laterCalls.incrementAndGet();
			return "later";
		});
		CascadeParent parent = new CascadeParent();
		parent.setEventTimeout(parentTimeout);
		bus.emit(parent).done(Duration.ofSeconds(10));
		assertThat(bus.waitUntilIdle(Duration.ofSeconds(10))).isTrue();

		if (child[0] == null) {
			assertThat(parent.resultRows().get(0).error())
				.isInstanceOf(java.util.concurrent.CancellationException.class);
			return false;
		}
		assertThat(child[0].done(Duration.ofSeconds(10)).eventStatus()).isEqualTo(EventStatus.COMPLETED);
		assertThat(laterCalls.get()).as("calls of the child's second handler").isZero();
		var rows = child[0].resultRows();
		assertThat(rows).hasSize(2);
		assertThat(rows.get(0).status()).isEqualTo(ResultStatus.ERROR);
		// a tiny timeout may fire before the child's first handler started: then it is
		// cancelled; once it ran it is aborted (never a raw InterruptedException)
		if (slowStarted.get()) {
			assertThat(rows.get(0).error()).as("the child's running handler")
				.isInstanceOf(EventHandlerAbortedException.class);
		}
		else {
			assertThat(rows.get(0).error()).as("the child's first handler")
				.isInstanceOfAny(EventHandlerAbortedException.class, EventHandlerCancelledException.class);
		}
		assertThat(rows.get(1).status()).isEqualTo(ResultStatus.ERROR);
		assertThat(rows.get(1).error()).as("the child's pending handler")
			.isInstanceOf(EventHandlerCancelledException.class);
		assertThat(parent.resultRows().get(0).error()).isInstanceOf(EventHandlerAbortedException.class);
		return true;
	}

}
