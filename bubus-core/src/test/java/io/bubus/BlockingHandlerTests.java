package io.bubus;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Handlers that block (on I/O, a lock, a sleep) or ignore interruption: other buses keep
 * going, a timeout still ends the handler's row and the event, a late result is
 * discarded, and slow events are reported.
 */
class BlockingHandlerTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	public static class BlWork extends BaseEvent<String> {

	}

	/** Blocks until released, swallowing every interrupt on the way. */
	private static void awaitIgnoringInterrupts(CountDownLatch latch) {
		while (true) {
			try {
				if (latch.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
					return;
				}
			}
			catch (InterruptedException ex) {
				// a handler that does not honour interruption
			}
		}
	}

	@RepeatedTest(10)
	void aHandlerIgnoringInterruptionIsTimedOutAtOnceAndItsLateResultIsDiscarded() {
		CountDownLatch release = new CountDownLatch(1);
		AtomicReference<Thread> stubborn = new AtomicReference<>();
		try (EventBus bus = EventBus.builder("BlStubborn").eventHandlerTimeout(Duration.ofMillis(50)).build()) {
			bus.on(BlWork.class, (event) -> {
				stubborn.set(Thread.currentThread());
				awaitIgnoringInterrupts(release);
				return "late";
			}, HandlerOptions.defaults().name("stubborn"));
			bus.on(BlWork.class, (event) -> "next", HandlerOptions.defaults().name("next"));

			BlWork event = bus.emit(new BlWork());
			await().atMost(WAIT)
				.until(() -> !event.eventResults().isEmpty()
						&& event.eventResults().values().iterator().next().status() == ResultStatus.ERROR);
			EventResult<String> timedOut = event.eventResults().values().iterator().next();
			assertThat(timedOut.error()).isInstanceOf(EventHandlerTimeoutException.class)
				.hasMessageContaining("stubborn");
			assertThat(stubborn.get().isAlive()).as("the handler still runs, ignoring its interruption").isTrue();

			release.countDown();
			event.done(WAIT);
			assertThat(event.eventResults().values()).extracting(EventResult::status)
				.containsExactly(ResultStatus.ERROR, ResultStatus.COMPLETED);
			assertThat(event.eventResults().values()).extracting(EventResult::result).containsExactly(null, "next");
			assertThat(timedOut.error()).isInstanceOf(EventHandlerTimeoutException.class);
		}
	}

	@RepeatedTest(10)
	void anEventTimeoutCompletesTheEventWhileAHandlerIgnoresItsInterrupt() {
		CountDownLatch release = new CountDownLatch(1);
		AtomicReference<Thread> stubborn = new AtomicReference<>();
		try (EventBus bus = EventBus.builder("BlStubbornEvent").eventTimeout(Duration.ofMillis(50)).build()) {
			bus.on(BlWork.class, (event) -> {
				stubborn.set(Thread.currentThread());
				awaitIgnoringInterrupts(release);
				return "late";
			}, HandlerOptions.defaults().name("stubborn"));
			bus.on(BlWork.class, (event) -> "never", HandlerOptions.defaults().name("pending"));

			BlWork event = bus.emit(new BlWork());
			event.done(WAIT);
			List<EventResult<String>> rows = List.copyOf(event.eventResults().values());
			assertThat(rows.get(0).error()).isInstanceOf(EventHandlerAbortedException.class);
			assertThat(rows.get(1).error()).isInstanceOf(EventHandlerCancelledException.class);
			assertThat(stubborn.get().isAlive()).as("the handler still runs, ignoring its interruption").isTrue();

			// the handler holds the bus until it returns; then the bus carries on
			release.countDown();
			BlWork next = bus.emit(new BlWork());
			next.setEventTimeout(null);
			assertThat(next.done(WAIT).eventResults().values()).extracting(EventResult::result)
				.containsExactly("late", "never");
			assertThat(rows.get(0).result()).as("the late result of the timed-out handler is discarded").isNull();
			assertThat(rows.get(0).status()).isEqualTo(ResultStatus.ERROR);
			await().atMost(WAIT).until(bus::locksAtBaseline);
		}
	}

	@RepeatedTest(10)
	void aHandlerBlockedOnOneBusDoesNotStallAnotherBus() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		CountDownLatch blocked = new CountDownLatch(1);
		try (EventBus slow = new EventBus("BlSlow"); EventBus fast = new EventBus("BlFast")) {
			slow.on(BlWork.class, (event) -> {
				blocked.countDown();
				release.await();
				return "slow";
			});
			fast.on(BlWork.class, (event) -> "fast");
			BlWork stuck = slow.emit(new BlWork());
			ConcurrencyProbe.awaitOpen(blocked);

			for (int i = 0; i < 20; i++) {
				BlWork event = fast.emit(new BlWork());
				assertThat(event.done(WAIT).eventResult()).isEqualTo("fast");
			}
			assertThat(stuck.eventStatus()).isEqualTo(EventStatus.STARTED);

			release.countDown();
			assertThat(stuck.done(WAIT).eventResult()).isEqualTo("slow");
		}
	}

	@Test
	void aSlowEventIsLoggedWithItsBusEventAndHandlerCount() {
		CountDownLatch release = new CountDownLatch(1);
		try (BusLogCapture logs = new BusLogCapture();
				EventBus bus = EventBus.builder("BlSlowEvent").eventSlowTimeout(Duration.ofMillis(30)).build()) {
			bus.on(BlWork.class, (event) -> {
				release.await();
				return "done";
			});
			BlWork event = bus.emit(new BlWork());
			await().atMost(WAIT).until(() -> logs.contains("Slow event processing", "BlSlowEvent", "BlWork"));
			assertThat(event.eventStatus()).isEqualTo(EventStatus.STARTED);
			release.countDown();
			assertThat(event.done(WAIT).eventResult()).isEqualTo("done");
		}
	}

	@Test
	void aFastEventIsNotReportedSlow() {
		try (BusLogCapture logs = new BusLogCapture();
				EventBus bus = EventBus.builder("BlFastEvent").eventSlowTimeout(Duration.ofSeconds(5)).build()) {
			bus.on(BlWork.class, (event) -> "done");
			bus.emit(new BlWork()).done(WAIT);
			assertThat(logs.messages()).noneMatch((message) -> message.contains("Slow event"));
		}
	}

}
