package io.bubus;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

	/**
	 * A completed-hook holds the bus between the event's completed status and the bus
	 * letting go of it: a caller that asks for the result in that window waits for the
	 * bus, whether it asks by done() or by completion().
	 */
	@ParameterizedTest
	@ValueSource(booleans = { true, false })
	@Timeout(value = 60, unit = TimeUnit.SECONDS)
	void aCallerArrivingWhileTheBusStillFinishesTheEventFindsItIdle(boolean byDone) throws Exception {
		CountDownLatch inHook = new CountDownLatch(1);
		CountDownLatch releaseHook = new CountDownLatch(1);
		EventBusMiddleware slowCompletedHook = new EventBusMiddleware() {
			@Override
			public void onEventChange(EventBus bus, BaseEvent<?> event, EventStatus status) {
				if (status == EventStatus.COMPLETED) {
					inHook.countDown();
					try {
						releaseHook.await(30, TimeUnit.SECONDS);
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
				}
			}
		};
		try (EventBus bus = EventBus.builder("IeHook").middleware(slowCompletedHook).build()) {
			bus.on(IeEvent.class, (event) -> "ok");
			IeEvent event = bus.emit(new IeEvent());
			assertThat(inHook.await(30, TimeUnit.SECONDS)).isTrue();
			assertThat(event.eventStatus()).isEqualTo(EventStatus.COMPLETED);
			CompletableFuture<Boolean> idleWhenLearned = new CompletableFuture<>();
			Thread caller = new Thread(() -> {
				if (byDone) {
					event.eventResult();
				}
				else {
					event.completion().join();
				}
				idleWhenLearned.complete(bus.waitUntilIdle(Duration.ZERO));
			});
			caller.start();
			// the caller either learned the result already (too early) or waits for
			// the bus
			Awaitility.await()
				.atMost(Duration.ofSeconds(30))
				.until(() -> idleWhenLearned.isDone() || caller.getState() == Thread.State.WAITING);
			releaseHook.countDown();
			assertThat(idleWhenLearned.get(30, TimeUnit.SECONDS)).as("idle when the result was learned").isTrue();
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
