package io.bubus;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code waitUntilIdle(Duration.ZERO)} answers true the moment a waiter learns that the
 * bus's last event completed, and an idle bus reports its event completed.
 */
class IdleExactnessTests {

	public static class IeEvent extends BaseEvent<String> {

	}

	/** The runloop (not the caller) runs the event, so completion crosses threads. */
	@Test
	@Timeout(value = 120, unit = TimeUnit.SECONDS)
	void idleRightAfterTheResultOfAnEventTheRunloopRan() throws Exception {
		try (EventBus bus = EventBus.builder("IeIdle").maxHistoryDrop(true).build()) {
			CountDownLatch[] started = new CountDownLatch[1];
			CountDownLatch[] release = new CountDownLatch[1];
			bus.on(IeEvent.class, (event) -> {
				started[0].countDown();
				release[0].await(10, TimeUnit.SECONDS);
				return "ok";
			});
			int notIdle = 0;
			for (int round = 0; round < 500; round++) {
				started[0] = new CountDownLatch(1);
				release[0] = new CountDownLatch(1);
				IeEvent event = bus.emit(new IeEvent());
				bus.waitUntilIdle(Duration.ofNanos(1));
				assertThat(started[0].await(10, TimeUnit.SECONDS)).isTrue();
				release[0].countDown();
				assertThat(event.eventResult()).isEqualTo("ok");
				if (!bus.waitUntilIdle(Duration.ZERO)) {
					notIdle++;
				}
			}
			assertThat(notIdle).as("rounds not idle right after eventResult()").isZero();
		}
	}

	@Test
	@Timeout(value = 120, unit = TimeUnit.SECONDS)
	void anIdleBusHasCompletedItsEvents() throws Exception {
		try (EventBus bus = EventBus.builder("IeCompleted").maxHistoryDrop(true).build()) {
			bus.on(IeEvent.class, (event) -> "ok");
			for (int round = 0; round < 2_000; round++) {
				IeEvent event = bus.emit(new IeEvent());
				assertThat(bus.waitUntilIdle(Duration.ofSeconds(10))).isTrue();
				assertThat(event.eventStatus()).as("round %d", round).isEqualTo(EventStatus.COMPLETED);
			}
		}
	}

}
