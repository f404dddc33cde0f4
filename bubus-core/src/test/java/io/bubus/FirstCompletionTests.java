package io.bubus;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.RepeatedTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@code first()} completion, serial and parallel, and which bus's defaults a forwarded
 * event is processed with: spec/core §13, §17, scenarios 19, 20 and 38.
 */
class FirstCompletionTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	public static class FcQuery extends BaseEvent<String> {

	}

	public static class FcNumber extends BaseEvent<Integer> {

	}

	public static class FcFlag extends BaseEvent<Boolean> {

	}

	public static class FcSideEffect extends BaseEvent<String> {

	}

	// ---- scenario 19: serial ----

	@RepeatedTest(50)
	void serialFirstReturnsTheFirstNonNullResult() {
		try (EventBus bus = new EventBus("FcSerialIdiom")) {
			bus.on(FcQuery.class, (event) -> null);
			bus.on(FcQuery.class, (event) -> "winner");
			bus.on(FcQuery.class, (event) -> "third");
			assertThat(bus.emit(new FcQuery()).first()).isEqualTo("winner");
		}
	}

	/**
	 * The bus may finish an event before {@code emit(...)} returns to the caller, so the
	 * event waits behind a blocker here until {@code first()} was called.
	 */
	@RepeatedTest(50)
	void serialFirstCancelsTheHandlersAfterTheWinner() throws Exception {
		AtomicInteger thirdCalls = new AtomicInteger();
		CountDownLatch release = new CountDownLatch(1);
		try (EventBus bus = new EventBus("FcSerial")) {
			bus.on(FcSideEffect.class, (event) -> {
				ConcurrencyProbe.awaitOpen(release);
				return null;
			});
			bus.on(FcQuery.class, (event) -> null, HandlerOptions.defaults().name("none"));
			bus.on(FcQuery.class, (event) -> "winner", HandlerOptions.defaults().name("winner"));
			bus.on(FcQuery.class, (event) -> {
				thirdCalls.incrementAndGet();
				return "third";
			}, HandlerOptions.defaults().name("third"));
			bus.emit(new FcSideEffect());
			FcQuery event = bus.emit(new FcQuery());
			CompletableFuture<String> first = CompletableFuture.supplyAsync(event::first);
			await().atMost(WAIT).until(() -> event.eventHandlerCompletion() == HandlerCompletion.FIRST);
			release.countDown();

			assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("winner");
			assertThat(thirdCalls).hasValue(0);
			List<EventResult<String>> rows = List.copyOf(event.eventResults().values());
			assertThat(rows.get(0).status()).isEqualTo(ResultStatus.COMPLETED);
			assertThat(rows.get(0).result()).isNull();
			assertThat(rows.get(1).result()).isEqualTo("winner");
			assertThat(rows.get(2).status()).isEqualTo(ResultStatus.ERROR);
			assertThat(rows.get(2).error()).isInstanceOf(EventHandlerCancelledException.class)
				.hasMessage("Cancelled: first() resolved");
			assertThat(event.eventStatus()).isEqualTo(EventStatus.COMPLETED);
		}
	}

	@RepeatedTest(20)
	void falsyValuesWinFirst() {
		try (EventBus bus = new EventBus("FcFalsy")) {
			bus.on(FcNumber.class, (event) -> 0);
			bus.on(FcNumber.class, (event) -> 1);
			bus.on(FcFlag.class, (event) -> false);
			bus.on(FcFlag.class, (event) -> true);
			bus.on(FcQuery.class, (event) -> "");
			bus.on(FcQuery.class, (event) -> "later");

			assertThat(bus.emit(new FcNumber()).first()).isZero();
			assertThat(bus.emit(new FcFlag()).first()).isFalse();
			assertThat(bus.emit(new FcQuery()).first()).isEmpty();
		}
	}

	@RepeatedTest(20)
	void firstSkipsForwardedEventsAndReturnsNullWhenNobodyAnswers() {
		try (EventBus a = new EventBus("FcSkipA"); EventBus b = new EventBus("FcSkipB")) {
			a.on("*", b::emit);
			a.on(FcQuery.class, (event) -> null);
			assertThat(a.emit(new FcQuery()).first()).isNull();
			b.on(FcQuery.class, (event) -> "from b");
			assertThat(a.emit(new FcQuery()).first()).isEqualTo("from b");
		}
	}

	@RepeatedTest(50)
	void firstCalledWhileTheEventIsAlreadyRunningStillSkipsTheRemainingHandlers() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		AtomicInteger thirdCalls = new AtomicInteger();
		try (EventBus bus = new EventBus("FcLateFirst")) {
			bus.on(FcQuery.class, (event) -> {
				ConcurrencyProbe.awaitOpen(release);
				return null;
			});
			bus.on(FcQuery.class, (event) -> "winner");
			bus.on(FcQuery.class, (event) -> {
				thirdCalls.incrementAndGet();
				return "third";
			});
			FcQuery event = bus.emit(new FcQuery());
			await().atMost(WAIT).until(() -> event.eventStatus() == EventStatus.STARTED);
			CompletableFuture<String> first = CompletableFuture.supplyAsync(event::first);
			await().atMost(WAIT).until(() -> event.eventHandlerCompletion() == HandlerCompletion.FIRST);
			release.countDown();

			assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("winner");
			assertThat(thirdCalls).hasValue(0);
		}
	}

	@RepeatedTest(20)
	void firstThrowsTheHandlerErrorWhenThereIsNoWinner() {
		try (EventBus bus = new EventBus("FcAllFail")) {
			bus.on(FcQuery.class, (event) -> {
				throw new IllegalStateException("only failure");
			});
			bus.on(FcQuery.class, (event) -> null);
			FcQuery event = bus.emit(new FcQuery());
			assertThatThrownBy(event::first).isInstanceOf(IllegalStateException.class).hasMessage("only failure");
		}
	}

	// ---- scenario 20: parallel ----

	@RepeatedTest(20)
	void parallelFirstReturnsTheFastResultAndAbortsTheSlowHandler() {
		AtomicReference<Boolean> slowInterrupted = new AtomicReference<>(false);
		try (EventBus bus = EventBus.builder("FcParallel")
			.eventHandlerConcurrency(HandlerConcurrency.PARALLEL)
			.build()) {
			bus.on(FcQuery.class, (event) -> {
				try {
					Thread.sleep(5_000);
				}
				catch (InterruptedException ex) {
					slowInterrupted.set(true);
					throw ex;
				}
				return "slow";
			}, HandlerOptions.defaults().name("slow"));
			bus.on(FcQuery.class, (event) -> {
				Thread.sleep(10);
				return "fast";
			}, HandlerOptions.defaults().name("fast"));
			long start = System.nanoTime();
			FcQuery event = bus.emit(new FcQuery());

			assertThat(event.first()).isEqualTo("fast");
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2_000));
			EventResult<String> slow = List.copyOf(event.eventResults().values()).get(0);
			assertThat(slow.status()).isEqualTo(ResultStatus.ERROR);
			assertThat(slow.error()).isInstanceOf(EventHandlerAbortedException.class)
				.isInstanceOf(CancellationException.class);
			assertThat(event.eventHandlerCompletion()).isEqualTo(HandlerCompletion.FIRST);
			assertThat(event.toJson()).contains("\"event_handler_completion\":\"first\"");
			await().atMost(WAIT).until(slowInterrupted::get);
		}
	}

	@RepeatedTest(20)
	void explicitAllOnTheEventBeatsABusDefaultOfFirst() {
		try (EventBus bus = EventBus.builder("FcExplicitAll").eventHandlerCompletion(HandlerCompletion.FIRST).build()) {
			bus.on(FcQuery.class, (event) -> "one");
			bus.on(FcQuery.class, (event) -> "two");
			FcQuery byDefault = bus.emit(new FcQuery());
			FcQuery explicitAll = new FcQuery();
			explicitAll.setEventHandlerCompletion(HandlerCompletion.ALL);
			bus.emit(explicitAll);

			// the cancelled loser is an error row, so the default accessor would throw it
			assertThat(byDefault.eventResultsList(ResultFilter.defaults().raiseIfAny(false))).containsExactly("one");
			assertThat(byDefault.first()).isEqualTo("one");
			assertThat(explicitAll.eventResultsList()).containsExactly("one", "two");
		}
	}

	@RepeatedTest(50)
	void childrenOfALosingHandlerAreCancelledAndNeverRun() throws Exception {
		CountDownLatch childEmitted = new CountDownLatch(1);
		AtomicInteger childRuns = new AtomicInteger();
		AtomicReference<FcSideEffect> child = new AtomicReference<>();
		try (EventBus bus = EventBus.builder("FcLoserChildren")
			.eventHandlerConcurrency(HandlerConcurrency.PARALLEL)
			.build()) {
			bus.on(FcQuery.class, (event) -> {
				child.set(bus.emit(new FcSideEffect()));
				childEmitted.countDown();
				Thread.sleep(5_000);
				return "slow";
			});
			bus.on(FcQuery.class, (event) -> {
				ConcurrencyProbe.awaitOpen(childEmitted);
				return "fast";
			});
			bus.on(FcSideEffect.class, (event) -> {
				childRuns.incrementAndGet();
				return "side effect";
			});
			FcQuery event = bus.emit(new FcQuery());

			assertThat(event.first()).isEqualTo("fast");
			assertThat(bus.waitUntilIdle(WAIT)).isTrue();
			assertThat(childRuns).hasValue(0);
			assertThat(child.get().eventStatus()).isEqualTo(EventStatus.COMPLETED);
			assertThat(child.get().eventResults().values()).singleElement()
				.satisfies((row) -> assertThat(row.error()).isInstanceOf(EventHandlerCancelledException.class));
		}
	}

	// ---- scenario 38: the processing bus's defaults ----

	@RepeatedTest(50)
	void forwardedEventUsesTheTargetBusesHandlerConcurrency() throws Exception {
		CountDownLatch both = new CountDownLatch(2);
		try (EventBus a = new EventBus("FcDefaultsA");
				EventBus b = EventBus.builder("FcDefaultsB")
					.eventHandlerConcurrency(HandlerConcurrency.PARALLEL)
					.build()) {
			a.on("*", b::emit);
			for (int i = 0; i < 2; i++) {
				String name = "b" + i;
				b.on(FcQuery.class, (event) -> {
					ConcurrencyProbe.meet(both);
					return name;
				});
			}
			FcQuery event = a.emit(new FcQuery());
			assertThat(event.done(WAIT).eventStatus()).isEqualTo(EventStatus.COMPLETED);
			assertThat(event.eventResultsList()).containsExactly("b0", "b1");
			assertThat(event.eventPath()).containsExactly(a.label(), b.label());
		}
	}

	@RepeatedTest(50)
	void explicitSerialOnAForwardedEventBeatsTheTargetBusesParallelDefault() {
		ConcurrencyProbe probe = new ConcurrencyProbe();
		try (EventBus a = new EventBus("FcSerialA");
				EventBus b = EventBus.builder("FcSerialB")
					.eventHandlerConcurrency(HandlerConcurrency.PARALLEL)
					.build()) {
			a.on("*", b::emit);
			for (int i = 0; i < 3; i++) {
				b.on(FcQuery.class, (event) -> {
					probe.work("b", Duration.ofMillis(2));
					return null;
				});
			}
			FcQuery event = new FcQuery();
			event.setEventHandlerConcurrency(HandlerConcurrency.SERIAL);
			a.emit(event).done(WAIT);
			assertThat(probe.max("b")).isEqualTo(1);
			assertThat(event.eventResults()).hasSize(4);
		}
	}

	@RepeatedTest(20)
	void firstFromTheSourceBusReturnsTheTargetBusesFastResult() {
		try (EventBus a = new EventBus("FcFirstA");
				EventBus b = EventBus.builder("FcFirstB")
					.eventHandlerConcurrency(HandlerConcurrency.PARALLEL)
					.eventHandlerCompletion(HandlerCompletion.FIRST)
					.build()) {
			a.on("*", b::emit);
			b.on(FcQuery.class, (event) -> {
				Thread.sleep(5_000);
				return "slow";
			});
			b.on(FcQuery.class, (event) -> "fast");
			long start = System.nanoTime();
			assertThat(a.emit(new FcQuery()).first()).isEqualTo("fast");
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2_000));
		}
	}

}
