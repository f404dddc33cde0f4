package io.bubus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The smaller parts of the bus API that the scenarios lean on: {@code reset()},
 * {@code waitUntilIdle}, {@code stop}, {@code off} and {@code register}.
 */
class EventBusApiTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	public static class ApiEvent extends BaseEvent<String> {

		public String name;

		public ApiEvent() {
		}

		public ApiEvent(String name) {
			this.name = name;
		}

	}

	public static class ApiOtherEvent extends BaseEvent<String> {

	}

	public static class Listener {

		final List<String> calls = Collections.synchronizedList(new ArrayList<>());

		@BubusHandler
		String onApi(ApiEvent event) {
			this.calls.add("typed " + event.name);
			return "typed";
		}

		@BubusHandler(eventType = "*", name = "everything")
		Object onAnything(BaseEvent<?> event) {
			this.calls.add("star " + event.eventType());
			return null;
		}

		@BubusHandler(bus = "SomeOtherBus")
		String onElsewhere(ApiEvent event) {
			this.calls.add("elsewhere");
			return "elsewhere";
		}

	}

	@Test
	void resetGivesAFreshCopyThatAnotherBusRunsAgain() {
		try (EventBus a = new EventBus("ApiResetA"); EventBus b = new EventBus("ApiResetB")) {
			a.on(ApiEvent.class, (event) -> "a:" + event.name);
			b.on(ApiEvent.class, (event) -> "b:" + event.name);
			ApiEvent original = new ApiEvent("x");
			original.setEventTimeout(Duration.ofSeconds(7));
			a.emit(original).done(WAIT);

			ApiEvent copy = (ApiEvent) original.reset();

			assertThat(copy).isNotSameAs(original);
			assertThat(copy.eventId()).isNotEqualTo(original.eventId());
			assertThat(copy.eventStatus()).isEqualTo(EventStatus.PENDING);
			assertThat(copy.eventStartedAt()).isNull();
			assertThat(copy.eventCompletedAt()).isNull();
			assertThat(copy.eventResults()).isEmpty();
			assertThat(copy.name).isEqualTo("x");
			assertThat(copy.eventTimeout()).isEqualTo(Duration.ofSeconds(7));
			assertThat(copy.eventPath()).containsExactly(a.label());

			b.emit(copy);
			assertThat(copy.eventResult()).isEqualTo("b:x");
			assertThat(copy.eventPath()).containsExactly(a.label(), b.label());
			assertThat(original.eventStatus()).isEqualTo(EventStatus.COMPLETED);
			assertThat(original.eventResultsList()).containsExactly("a:x");
			assertThat(original.eventPath()).containsExactly(a.label());
		}
	}

	@Test
	void completedEventEmittedAgainIsNotProcessedTwice() {
		try (EventBus bus = new EventBus("ApiReemitBus")) {
			List<String> calls = Collections.synchronizedList(new ArrayList<>());
			bus.on(ApiEvent.class, (event) -> calls.add(event.name) ? "ok" : null);
			ApiEvent event = bus.emit(new ApiEvent("once"));
			event.done(WAIT);

			assertThat(bus.emit(event)).isSameAs(event);
			assertThat(bus.waitUntilIdle(WAIT)).isTrue();

			assertThat(calls).containsExactly("once");
			assertThat(event.eventResults()).hasSize(1);
			assertThat(bus.eventHistory()).containsExactly(event);
		}
	}

	@Test
	void waitUntilIdleReturnsFalseWhileBusyAndTrueOnceDone() throws Exception {
		try (EventBus bus = new EventBus("ApiIdleBus")) {
			assertThat(bus.waitUntilIdle(Duration.ofMillis(10))).isTrue();
			CountDownLatch entered = new CountDownLatch(1);
			CountDownLatch release = new CountDownLatch(1);
			bus.on(ApiEvent.class, (event) -> {
				entered.countDown();
				release.await();
				return "done";
			});
			ApiEvent event = bus.emit(new ApiEvent("busy"));
			assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

			long start = System.nanoTime();
			assertThat(bus.waitUntilIdle(Duration.ofMillis(50))).isFalse();
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));

			release.countDown();
			assertThat(bus.waitUntilIdle(WAIT)).isTrue();
			assertThat(event.eventStatus()).isEqualTo(EventStatus.COMPLETED);
			bus.waitUntilIdle();
		}
	}

	@Test
	void doneWithATimeoutThrowsWhenTheEventIsNotCompletedInTime() throws Exception {
		try (EventBus bus = new EventBus("ApiDoneTimeoutBus")) {
			CountDownLatch release = new CountDownLatch(1);
			bus.on(ApiEvent.class, (event) -> {
				release.await();
				return "late";
			});
			ApiEvent event = bus.emit(new ApiEvent("slow"));

			assertThatThrownBy(() -> event.done(Duration.ofMillis(50))).isInstanceOf(EventTimeoutException.class)
				.hasMessageContaining("ApiEvent#");

			release.countDown();
			assertThat(event.done(WAIT).eventResult()).isEqualTo("late");
		}
	}

	@Test
	void waitingForAnEventThatWasNeverEmittedIsRefused() {
		ApiEvent event = new ApiEvent("nowhere");
		assertThatThrownBy(event::done).isInstanceOf(IllegalStateException.class).hasMessageContaining("emit");
		assertThatThrownBy(event::eventResult).isInstanceOf(IllegalStateException.class);
	}

	@Test
	void stopReturnsQuicklyAbortsRunningWorkAndFreesTheName() throws Exception {
		EventBus bus = new EventBus("ApiStopBus");
		CountDownLatch entered = new CountDownLatch(1);
		EventHandler slow = bus.on(ApiEvent.class, (event) -> {
			entered.countDown();
			Thread.sleep(30_000);
			return "never";
		});
		ApiEvent running = bus.emit(new ApiEvent("running"));
		ApiEvent queued = bus.emit(new ApiEvent("queued"));
		CompletableFuture<Optional<ApiOtherEvent>> waiter = bus.find(ApiOtherEvent.class)
			.past(false)
			.future(true)
			.async();
		assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

		long start = System.nanoTime();
		bus.stop();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));

		assertThat(bus.isStopped()).isTrue();
		assertThat(waiter.get(10, TimeUnit.SECONDS)).isEmpty();
		assertThat(running.done(WAIT).eventResults().get(slow.id()).error())
			.isInstanceOf(EventHandlerAbortedException.class);
		assertThat(queued.done(WAIT).eventResults().get(slow.id()).error())
			.isInstanceOf(EventHandlerCancelledException.class);
		try (EventBus again = new EventBus("ApiStopBus")) {
			assertThat(again.name()).isEqualTo("ApiStopBus");
		}
	}

	@Test
	void nameOfAGarbageCollectedBusIsFreeAgain() {
		createAndForget("ApiCollectedBus");
		await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
			System.gc();
			try (EventBus probe = new EventBus("ApiCollectedBus")) {
				return probe.name().equals("ApiCollectedBus");
			}
		});
	}

	private static void createAndForget(String name) {
		EventBus bus = new EventBus(name);
		bus.on(ApiEvent.class, (event) -> "ok");
		bus.emit(new ApiEvent("kept in history")).done(WAIT);
		assertThat(bus.waitUntilIdle(WAIT)).isTrue();
	}

	@Test
	void stopWithClearDropsHistoryAndHandlers() {
		EventBus bus = new EventBus("ApiClearBus");
		bus.on(ApiEvent.class, (event) -> "ok");
		bus.emit(new ApiEvent("x")).done(WAIT);

		bus.stop(Duration.ofSeconds(5), true);

		assertThat(bus.eventHistory()).isEmpty();
		assertThat(bus.handlers()).isEmpty();
		assertThat(bus.handlersByKey()).isEmpty();
	}

	@Test
	void offRemovesByRegistrationByClassAndByPattern() {
		try (EventBus bus = new EventBus("ApiOffBus")) {
			List<String> calls = Collections.synchronizedList(new ArrayList<>());
			EventHandler first = bus.on(ApiEvent.class, (event) -> calls.add("first") ? "first" : null);
			bus.on(ApiEvent.class, (event) -> calls.add("second") ? "second" : null);
			EventHandler star = bus.on("*", (event) -> calls.add("star") ? "star" : null);
			bus.on(ApiOtherEvent.class, (event) -> calls.add("other") ? "other" : null);

			bus.off(first);
			bus.emit(new ApiEvent("a")).done(WAIT);
			assertThat(calls).containsExactly("second", "star");

			calls.clear();
			bus.off(ApiEvent.class);
			assertThat(bus.handlersByKey()).doesNotContainKey("ApiEvent");
			bus.emit(new ApiEvent("b")).done(WAIT);
			assertThat(calls).containsExactly("star");

			calls.clear();
			bus.off(star.id());
			bus.off("NoSuchPattern");
			bus.emit(new ApiEvent("c")).done(WAIT);
			bus.emit(new ApiOtherEvent()).done(WAIT);
			assertThat(calls).containsExactly("other");

			bus.off("ApiOtherEvent");
			assertThat(bus.handlers()).isEmpty();
		}
	}

	@Test
	void registerAddsEveryAnnotatedMethodForThisBus() {
		try (EventBus bus = new EventBus("ApiRegisterBus")) {
			Listener listener = new Listener();

			List<EventHandler> handlers = bus.register(listener);

			assertThat(handlers).extracting(EventHandler::handlerName)
				.containsExactlyInAnyOrder("Listener.onApi", "everything");
			ApiEvent event = bus.emit(new ApiEvent("r"));
			assertThat(event.eventResultsList()).containsExactly("typed");
			assertThat(listener.calls).containsExactly("typed r", "star ApiEvent");
		}
	}

}
