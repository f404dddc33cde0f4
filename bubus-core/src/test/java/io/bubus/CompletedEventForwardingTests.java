package io.bubus;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.RepeatedTest;

import static org.assertj.core.api.Assertions.assertThat;

class CompletedEventForwardingTests {

	public static class Settled extends BaseEvent<String> {

	}

	@RepeatedTest(5)
	void aCompletedEventEmittedToAnotherBusIsOpenUntilThatBusIsDone() throws Exception {
		try (EventBus first = new EventBus("SettledFirst");
				EventBus second = EventBus.builder("SettledSecond").maxHistorySize(3).maxHistoryDrop(true).build()) {
			CountDownLatch release = new CountDownLatch(1);
			AtomicBoolean secondRan = new AtomicBoolean();
			first.on(Settled.class, (event) -> "first");
			second.on(Settled.class, (event) -> {
				release.await(10, TimeUnit.SECONDS);
				secondRan.set(true);
				return "second";
			});
			Settled event = first.emit(new Settled());
			event.done(Duration.ofSeconds(10));
			assertThat(event.eventStatus()).isEqualTo(EventStatus.COMPLETED);

			second.emit(event);
			assertThat(event.eventStatus()).isNotEqualTo(EventStatus.COMPLETED);
			release.countDown();
			event.done(Duration.ofSeconds(10));

			assertThat(secondRan).isTrue();
			assertThat(event.eventStatus()).isEqualTo(EventStatus.COMPLETED);
			assertThat(event.eventResultsList()).containsExactly("first", "second");
		}
	}

}
