package io.bubus;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

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
