package io.bubus;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Middleware hooks run with no runtime monitor held: a hook that blocks holds up nothing
 * but the hooks queued behind it for the same event on the same bus.
 */
class HookOutsideMonitorTests {

	public static class HmBlockedEvent extends BaseEvent<String> {

	}

	public static class HmOtherEvent extends BaseEvent<String> {

	}

	/**
	 * The timer thread that ends a timed-out handler reports its row; while the row's
	 * started hook is still blocked on the handler's thread, that report must not wait
	 * for the hook, or every other timeout in the process would wait with it.
	 */
	@RepeatedTest(5)
	@Timeout(value = 60, unit = TimeUnit.SECONDS)
	void aBlockedStartedHookDoesNotHoldUpTimeoutsOfOtherBuses() throws Exception {
		CountDownLatch inHook = new CountDownLatch(1);
		CountDownLatch releaseHook = new CountDownLatch(1);
		EventBusMiddleware blockingStartedHook = new EventBusMiddleware() {
			@Override
			public void onEventResultChange(EventBus bus, BaseEvent<?> event, EventResult<?> result,
					ResultStatus status) {
				if (event instanceof HmBlockedEvent && status == ResultStatus.STARTED) {
					inHook.countDown();
					try {
						releaseHook.await(50, TimeUnit.SECONDS);
					}
					catch (InterruptedException ex) {
						// the event timeout interrupts the handler's thread: keep
						// blocking
						try {
							releaseHook.await(50, TimeUnit.SECONDS);
						}
						catch (InterruptedException again) {
							Thread.currentThread().interrupt();
						}
					}
				}
			}
		};
		try (EventBus hooked = EventBus.builder("HmHooked").middleware(blockingStartedHook).build();
				EventBus other = EventBus.builder("HmOther").build()) {
			hooked.on(HmBlockedEvent.class, (event) -> "ran");
			other.on(HmOtherEvent.class, (event) -> {
				new CountDownLatch(1).await(30, TimeUnit.SECONDS);
				return "slept";
			});
			HmBlockedEvent blocked = new HmBlockedEvent();
			blocked.setEventTimeout(Duration.ofMillis(100));
			hooked.emit(blocked);
			assertThat(inHook.await(30, TimeUnit.SECONDS)).isTrue();

			HmOtherEvent slow = new HmOtherEvent();
			slow.setEventTimeout(Duration.ofMillis(200));
			other.emit(slow);
			// its timeout fires while the hook on the other bus still blocks
			assertThat(slow.done(Duration.ofSeconds(20)).eventStatus()).isEqualTo(EventStatus.COMPLETED);
			assertThat(slow.resultRows().get(0).error()).isInstanceOf(EventHandlerAbortedException.class);
			assertThat(releaseHook.getCount()).as("the hook was still blocked").isOne();

			releaseHook.countDown();
			assertThat(blocked.done(Duration.ofSeconds(20)).eventStatus()).isEqualTo(EventStatus.COMPLETED);
		}
	}

}
