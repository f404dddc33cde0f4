package io.bubus;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runtime's event monitor is the event's {@code EventState}, not the user's event
 * object: application code that synchronizes on its own event (a common way to guard a
 * mutable payload) never blocks the bus that processes it.
 */
class EventMonitorTests {

	public static class EmGuardedEvent extends BaseEvent<String> {

		public int attempts;

	}

	@Test
	@Timeout(value = 60, unit = TimeUnit.SECONDS)
	void aThreadHoldingTheEventObjectsMonitorDoesNotBlockItsProcessing() throws Exception {
		EmGuardedEvent event = new EmGuardedEvent();
		CountDownLatch holding = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		Thread holder = Thread.ofPlatform().start(() -> {
			synchronized (event) {
				holding.countDown();
				try {
					release.await(50, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
		});
		try (EventBus bus = new EventBus("EmGuarded")) {
			bus.on(EmGuardedEvent.class, (received) -> "handled");
			assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
			// emit, claim, run, complete: none of it may wait for the user's monitor,
			// which stays held until the end of the test
			CompletableFuture<BaseEvent<String>> processed = CompletableFuture
				.supplyAsync(() -> bus.emit(event).done(Duration.ofSeconds(10)));
			assertThat(processed.get(15, TimeUnit.SECONDS).eventStatus()).isEqualTo(EventStatus.COMPLETED);
			assertThat(holder.isAlive()).isTrue();
			assertThat(event.eventResult()).isEqualTo("handled");
		}
		finally {
			release.countDown();
			holder.join(Duration.ofSeconds(10));
		}
	}

}
