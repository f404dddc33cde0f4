package io.bubus;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Core scenarios 1-5: emit returns the pending event, no handlers, handler order, FIFO,
 * error isolation.
 */
class EventLifecycleTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	public static class LifecycleEvent extends BaseEvent<String> {

		public int index;

		public LifecycleEvent() {
		}

		public LifecycleEvent(int index) {
			this.index = index;
		}

	}

	public static class LifecycleBlocker extends BaseEvent<Void> {

	}

	public static class OrderedEvent extends BaseEvent<Object> {

	}

	@Test
	void emitReturnsTheSameEventStillPendingAndCompletesItLater() throws Exception {
		try (EventBus bus = new EventBus("LifecycleEmitBus")) {
			CountDownLatch entered = new CountDownLatch(1);
			CountDownLatch release = new CountDownLatch(1);
			bus.on(LifecycleBlocker.class, (event) -> {
				entered.countDown();
				release.await();
				return null;
			});
			bus.on(LifecycleEvent.class, (event) -> "handled");
			LifecycleBlocker blocker = bus.emit(new LifecycleBlocker());
			assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

			LifecycleEvent event = new LifecycleEvent(1);
			LifecycleEvent emitted = bus.emit(event);

			assertThat(emitted).isSameAs(event);
			assertThat(emitted.eventStatus()).isEqualTo(EventStatus.PENDING);
			assertThat(emitted.eventStartedAt()).isNull();
			assertThat(emitted.eventCompletedAt()).isNull();
			assertThat(bus.queueSize()).isEqualTo(1);

			release.countDown();
			assertThat(emitted.done(WAIT)).isSameAs(event);
			assertThat(event.eventStatus()).isEqualTo(EventStatus.COMPLETED);
			assertThat(event.eventStartedAt()).isNotNull();
			assertThat(event.eventCompletedAt()).isNotNull();
			assertThat(event.eventCompletedAt()).isAfterOrEqualTo(event.eventStartedAt());
			assertThat(event.eventPath()).containsExactly(bus.label());
			assertThat(event.eventResult()).isEqualTo("handled");
			assertThat(bus.eventHistory()).containsExactly(blocker, event);
		}
	}

	@Test
	void aSingleEmittedEventIsTheOnlyHistoryEntry() {
		try (EventBus bus = new EventBus("LifecycleSingleBus")) {
			bus.on(LifecycleEvent.class, (event) -> "handled");
			LifecycleEvent event = bus.emit(new LifecycleEvent(1));
			event.done(WAIT);
			assertThat(bus.eventHistory()).containsExactly(event);
			assertThat(event.eventResults()).hasSize(1);
			EventResult<String> row = event.eventResults().values().iterator().next();
			assertThat(row.status()).isEqualTo(ResultStatus.COMPLETED);
			assertThat(row.result()).isEqualTo("handled");
			assertThat(row.eventbusName()).isEqualTo(bus.name());
			assertThat(row.startedAt()).isNotNull();
			assertThat(row.completedAt()).isAfterOrEqualTo(row.startedAt());
		}
	}

	@Test
	void eventWithoutHandlersCompletesWithNoResultsAndEqualTimestamps() {
		try (EventBus bus = new EventBus("LifecycleEmptyBus")) {
			LifecycleEvent event = bus.emit(new LifecycleEvent(1));
			event.done(WAIT);

			assertThat(event.eventStatus()).isEqualTo(EventStatus.COMPLETED);
			assertThat(event.eventResults()).isEmpty();
			assertThat(event.eventStartedAt()).isNotNull().isEqualTo(event.eventCompletedAt());
			assertThatThrownBy(event::eventResult).isInstanceOf(NoEventResultException.class)
				.hasMessageContaining("Expected at least one handler to return a non-null result, but none did");
			assertThat(event.eventResultsList(ResultFilter.defaults().raiseIfNone(false))).isEmpty();
		}
	}

	@Test
	void exactTypeHandlersRunBeforeWildcardHandlersEachInRegistrationOrder() {
		try (EventBus bus = new EventBus("LifecycleOrderBus")) {
			List<String> calls = Collections.synchronizedList(new ArrayList<>());
			bus.on("*", (event) -> calls.add("wildcard:" + event.eventType()));
			bus.on(OrderedEvent.class, (event) -> calls.add("class:" + event.eventType()));
			bus.on("OrderedEvent", (event) -> calls.add("string:" + event.eventType()));

			bus.emit(new DynamicEvent("OrderedEvent")).done(WAIT);
			bus.emit(new OrderedEvent()).done(WAIT);

			assertThat(calls).containsExactly("class:OrderedEvent", "string:OrderedEvent", "wildcard:OrderedEvent",
					"class:OrderedEvent", "string:OrderedEvent", "wildcard:OrderedEvent");
			assertThat(bus.handlersByKey().get("OrderedEvent")).hasSize(2);
			assertThat(bus.handlersByKey().get("*")).hasSize(1);
		}
	}

	@Test
	void classHandlerReceivesTheEmittedObjectItself() {
		try (EventBus bus = new EventBus("LifecycleIdentityBus")) {
			List<Object> received = new ArrayList<>();
			bus.on(OrderedEvent.class, (event) -> received.add(event));
			OrderedEvent event = bus.emit(new OrderedEvent());
			event.done(WAIT);
			assertThat(received).containsExactly(event);
		}
	}

	@Test
	void eventsAreProcessedInEmitOrderWhateverTheirDuration() {
		try (EventBus bus = new EventBus("LifecycleFifoBus")) {
			List<Integer> processed = Collections.synchronizedList(new ArrayList<>());
			List<Instant> starts = Collections.synchronizedList(new ArrayList<>());
			bus.on(LifecycleEvent.class, (event) -> {
				starts.add(Instant.now());
				Thread.sleep((event.index % 2 == 0) ? 50 : 10);
				processed.add(event.index);
				return null;
			});
			List<LifecycleEvent> events = new ArrayList<>();
			for (int i = 0; i < 20; i++) {
				events.add(bus.emit(new LifecycleEvent(i)));
			}
			assertThat(bus.waitUntilIdle(Duration.ofSeconds(20))).isTrue();

			List<Integer> expected = new ArrayList<>();
			for (int i = 0; i < 20; i++) {
				expected.add(i);
			}
			assertThat(processed).isEqualTo(expected);
			assertThat(starts).isSorted();
			for (int i = 1; i < events.size(); i++) {
				assertThat(events.get(i).eventStartedAt()).isAfter(events.get(i - 1).eventStartedAt());
			}
		}
	}

	@Test
	void failingHandlerIsIsolatedFromOtherHandlersAndLaterEvents() {
		try (EventBus bus = new EventBus("LifecycleErrorBus")) {
			IllegalArgumentException boom = new IllegalArgumentException("Expected to fail");
			EventHandler failing = bus.on(LifecycleEvent.class, (event) -> {
				if (event.index == 1) {
					throw boom;
				}
				return "ok-" + event.index;
			});
			EventHandler working = bus.on(LifecycleEvent.class, (event) -> "worked");
			LifecycleEvent first = bus.emit(new LifecycleEvent(1));
			LifecycleEvent second = bus.emit(new LifecycleEvent(2));
			first.done(WAIT);
			second.done(WAIT);

			assertThat(first.eventStatus()).isEqualTo(EventStatus.COMPLETED);
			EventResult<String> failed = first.eventResults().get(failing.id());
			assertThat(failed.status()).isEqualTo(ResultStatus.ERROR);
			assertThat(failed.error()).isSameAs(boom).hasMessage("Expected to fail");
			assertThat(failed.result()).isNull();
			EventResult<String> worked = first.eventResults().get(working.id());
			assertThat(worked.status()).isEqualTo(ResultStatus.COMPLETED);
			assertThat(worked.result()).isEqualTo("worked");
			assertThat(worked.error()).isNull();

			assertThat(second.eventStatus()).isEqualTo(EventStatus.COMPLETED);
			assertThat(second.eventResultsList()).containsExactly("ok-2", "worked");
		}
	}

}
