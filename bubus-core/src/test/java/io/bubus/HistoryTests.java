package io.bubus;

import java.time.Duration;
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
 * Core scenarios 13-15: a full history rejects new events, or drops the oldest (completed
 * first), and a zero-size history keeps only in-flight events.
 */
class HistoryTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	public static class HistoryEvent extends BaseEvent<String> {

		public int index;

		public HistoryEvent() {
		}

		public HistoryEvent(int index) {
			this.index = index;
		}

	}

	public static class SlowHistoryEvent extends BaseEvent<String> {

	}

	@Test
	void fullHistoryRejectsTheNextEmitAndKeepsWhatItHas() {
		try (EventBus bus = EventBus.builder("HistoryRejectBus").maxHistorySize(2).maxHistoryDrop(false).build()) {
			bus.on(HistoryEvent.class, (event) -> "ok");
			HistoryEvent first = bus.emit(new HistoryEvent(1));
			HistoryEvent second = bus.emit(new HistoryEvent(2));
			first.done(WAIT);
			second.done(WAIT);
			HistoryEvent third = new HistoryEvent(3);

			assertThatThrownBy(() -> bus.emit(third)).isInstanceOf(HistoryFullException.class)
				.hasMessageContaining(bus.label())
				.hasMessageContaining("history limit reached (2/2)")
				.hasMessageContaining("maxHistoryDrop(true)");

			assertThat(bus.eventHistory()).containsExactly(first, second);
			assertThat(bus.queueSize()).isZero();
			assertThat(third.eventPath()).isEmpty();
			assertThat(third.eventStatus()).isEqualTo(EventStatus.PENDING);
			assertThat(bus.find(HistoryEvent.class).where((event) -> event.index == 1).get()).contains(first);
		}
	}

	@Test
	void droppingHistoryKeepsTheMostRecentEventsInOrder() {
		try (EventBus bus = EventBus.builder("HistoryDropBus").maxHistorySize(5).maxHistoryDrop(true).build()) {
			bus.on(HistoryEvent.class, (event) -> "ok");
			List<HistoryEvent> events = new java.util.ArrayList<>();
			for (int i = 0; i < 10; i++) {
				events.add(bus.emit(new HistoryEvent(i)));
			}
			assertThat(bus.waitUntilIdle(WAIT)).isTrue();

			List<BaseEvent<?>> history = bus.eventHistory();
			assertThat(history).hasSizeLessThanOrEqualTo(5).isNotEmpty();
			assertThat(history).isEqualTo(events.subList(10 - history.size(), 10));
			assertThat(events).allSatisfy((event) -> assertThat(event.eventStatus()).isEqualTo(EventStatus.COMPLETED));
		}
	}

	@Test
	void manySequentialEventsStayWithinTheLimit() {
		try (EventBus bus = EventBus.builder("HistoryManyBus").maxHistorySize(25).maxHistoryDrop(true).build()) {
			bus.on(HistoryEvent.class, (event) -> "ok");
			HistoryEvent last = null;
			for (int i = 0; i < 200; i++) {
				last = bus.emit(new HistoryEvent(i));
				assertThat(bus.eventHistory().size()).isLessThanOrEqualTo(25 + 5);
			}
			assertThat(bus.waitUntilIdle(WAIT)).isTrue();

			assertThat(bus.eventHistory()).hasSizeLessThanOrEqualTo(25).endsWith(last);
		}
	}

	@Test
	void inFlightEventsAreKeptOverCompletedOnes() throws Exception {
		try (EventBus bus = EventBus.builder("HistorySlowKeptBus")
			.maxHistorySize(3)
			.maxHistoryDrop(true)
			.eventConcurrency(EventConcurrency.PARALLEL)
			.build()) {
			CountDownLatch entered = new CountDownLatch(1);
			CountDownLatch release = new CountDownLatch(1);
			bus.on(SlowHistoryEvent.class, (event) -> {
				entered.countDown();
				release.await();
				return "slow";
			});
			bus.on(HistoryEvent.class, (event) -> "fast");
			SlowHistoryEvent slow = bus.emit(new SlowHistoryEvent());
			assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
			List<HistoryEvent> fast = new java.util.ArrayList<>();
			for (int i = 0; i < 6; i++) {
				HistoryEvent event = bus.emit(new HistoryEvent(i));
				event.done(WAIT);
				fast.add(event);
			}

			assertThat(bus.eventHistory()).containsExactly(slow, fast.get(4), fast.get(5));

			release.countDown();
			slow.done(WAIT);
			assertThat(bus.waitUntilIdle(WAIT)).isTrue();
			assertThat(bus.eventHistory()).containsExactly(slow, fast.get(4), fast.get(5));
		}
	}

	@Test
	void zeroHistoryKeepsOnlyInFlightEvents() throws Exception {
		try (EventBus bus = EventBus.builder("HistoryZeroBus").maxHistorySize(0).build()) {
			CountDownLatch entered = new CountDownLatch(1);
			CountDownLatch release = new CountDownLatch(1);
			bus.on(HistoryEvent.class, (event) -> {
				entered.countDown();
				release.await();
				return "done";
			});
			HistoryEvent first = bus.emit(new HistoryEvent(1));
			HistoryEvent second = bus.emit(new HistoryEvent(2));
			assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

			assertThat(bus.eventHistory()).containsExactly(first, second);

			release.countDown();
			assertThat(bus.waitUntilIdle(WAIT)).isTrue();
			assertThat(first.eventResult()).isEqualTo("done");
			assertThat(second.eventResult()).isEqualTo("done");
			assertThat(bus.eventHistory()).isEmpty();

			CompletableFuture<Optional<HistoryEvent>> future = bus.find(HistoryEvent.class)
				.past(false)
				.future(WAIT)
				.async();
			HistoryEvent third = bus.emit(new HistoryEvent(3));
			assertThat(future.get(10, TimeUnit.SECONDS)).containsSame(third);
			third.done(WAIT);
			await().atMost(WAIT).until(() -> bus.eventHistory().isEmpty());
			assertThat(bus.find(HistoryEvent.class).get()).isEmpty();
			assertThat(bus.find("*").past(true).get()).isEmpty();
		}
	}

	@Test
	void clearHistoryRemovesCompletedEventsAndKeepsInFlightOnes() throws Exception {
		try (EventBus bus = EventBus.builder("HistoryClearBus").build()) {
			CountDownLatch started = new CountDownLatch(1);
			CountDownLatch release = new CountDownLatch(1);
			bus.on(HistoryEvent.class, (event) -> "ok");
			bus.on(SlowHistoryEvent.class, (event) -> {
				started.countDown();
				return release.await(10, TimeUnit.SECONDS) ? "released" : "timed out";
			});
			HistoryEvent done = bus.emit(new HistoryEvent(1));
			done.done(WAIT);
			SlowHistoryEvent running = bus.emit(new SlowHistoryEvent());
			assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
			HistoryEvent queued = bus.emit(new HistoryEvent(2));

			assertThat(bus.clearHistory()).isEqualTo(1);

			assertThat(bus.eventHistory()).containsExactly(running, queued);
			assertThat(bus.find(HistoryEvent.class).where((event) -> event.index == 1).get()).isEmpty();
			release.countDown();
			assertThat(running.done(WAIT).eventResult()).isEqualTo("released");
			assertThat(queued.done(WAIT).eventResult()).isEqualTo("ok");
			assertThat(bus.eventHistory()).containsExactly(running, queued);
		}
	}

	@Test
	void unboundedHistoryKeepsEverything() {
		try (EventBus bus = EventBus.builder("HistoryUnboundedBus").maxHistorySize(null).build()) {
			bus.on(HistoryEvent.class, (event) -> "ok");
			for (int i = 0; i < 150; i++) {
				bus.emit(new HistoryEvent(i));
			}
			assertThat(bus.waitUntilIdle(WAIT)).isTrue();
			assertThat(bus.eventHistory()).hasSize(150);
		}
	}

}
