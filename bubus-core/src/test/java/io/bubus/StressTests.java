package io.bubus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many threads emitting into one bus at once: every event runs and completes exactly
 * once, each thread's events are processed in its emit order, no result is lost, and the
 * history stays within its limit.
 */
class StressTests {

	private static final int THREADS = 8;

	private static final int PER_THREAD = 10_000;

	private static final int MAX_HISTORY = 1_000;

	public static class StressEvent extends BaseEvent<String> {

		public int thread;

		public int seq;

		public StressEvent() {
		}

		StressEvent(int thread, int seq) {
			this.thread = thread;
			this.seq = seq;
		}

	}

	@Test
	@Timeout(value = 120, unit = TimeUnit.SECONDS)
	void eightThreadsEmittingTenThousandEventsEachIntoOneBus() throws Exception {
		stress(EventBus.builder("StressBus"), true);
	}

	@Test
	@Timeout(value = 120, unit = TimeUnit.SECONDS)
	void eightThreadsEmittingIntoABusWithParallelEventsAndHandlers() throws Exception {
		stress(EventBus.builder("StressParallelBus")
			.eventConcurrency(EventConcurrency.PARALLEL)
			.eventHandlerConcurrency(HandlerConcurrency.PARALLEL), false);
	}

	public static class StressChild extends BaseEvent<String> {

		public int seq;

		public StressChild() {
		}

		StressChild(int seq) {
			this.seq = seq;
		}

	}

	@Test
	@Timeout(value = 120, unit = TimeUnit.SECONDS)
	void concurrentEmittersIntoAForwardingChainWithAwaitedChildren() throws Exception {
		int threads = 4;
		int perThread = 2_000;
		try (EventBus a = EventBus.builder("StressChainA").maxHistorySize(null).build();
				EventBus b = EventBus.builder("StressChainB").maxHistorySize(null).build()) {
			AtomicIntegerArray aRuns = new AtomicIntegerArray(threads * perThread);
			AtomicIntegerArray bRuns = new AtomicIntegerArray(threads * perThread);
			AtomicIntegerArray childRuns = new AtomicIntegerArray(threads * perThread);
			a.on(StressEvent.class, (event) -> {
				aRuns.incrementAndGet(event.thread * perThread + event.seq);
				StressChild child = a.emit(new StressChild(event.thread * perThread + event.seq));
				return "a:" + child.eventResult();
			});
			a.on(StressChild.class, (event) -> {
				childRuns.incrementAndGet(event.seq);
				return "child " + event.seq;
			});
			a.on("StressEvent", b::emit);
			b.on(StressEvent.class, (event) -> {
				bRuns.incrementAndGet(event.thread * perThread + event.seq);
				return "b";
			});

			List<List<StressEvent>> emitted = new ArrayList<>();
			CountDownLatch finished = new CountDownLatch(threads);
			AtomicReference<Throwable> failure = new AtomicReference<>();
			for (int t = 0; t < threads; t++) {
				List<StressEvent> mine = new ArrayList<>(perThread);
				emitted.add(mine);
				int thread = t;
				Thread.ofPlatform().start(() -> {
					try {
						for (int seq = 0; seq < perThread; seq++) {
							mine.add(a.emit(new StressEvent(thread, seq)));
						}
					}
					catch (Throwable ex) {
						failure.compareAndSet(null, ex);
					}
					finally {
						finished.countDown();
					}
				});
			}
			assertThat(finished.await(60, TimeUnit.SECONDS)).isTrue();
			assertThat(failure.get()).isNull();
			assertThat(a.waitUntilIdle(Duration.ofSeconds(60))).isTrue();
			assertThat(b.waitUntilIdle(Duration.ofSeconds(60))).isTrue();

			for (int i = 0; i < threads * perThread; i++) {
				assertThat(aRuns.get(i)).as("A runs of %d", i).isEqualTo(1);
				assertThat(bRuns.get(i)).as("B runs of %d", i).isEqualTo(1);
				assertThat(childRuns.get(i)).as("child runs of %d", i).isEqualTo(1);
			}
			for (int t = 0; t < threads; t++) {
				for (StressEvent event : emitted.get(t)) {
					int index = event.thread * perThread + event.seq;
					assertThat(event.done(Duration.ofSeconds(10)).eventStatus()).isEqualTo(EventStatus.COMPLETED);
					assertThat(event.eventPath()).containsExactly(a.label(), b.label());
					assertThat(event.eventPendingBusCount()).isZero();
					assertThat(event.eventResultsList()).containsExactly("a:child " + index, "b");
					assertThat(event.eventChildren()).singleElement()
						.satisfies((child) -> assertThat(child.eventStatus()).isEqualTo(EventStatus.COMPLETED));
				}
			}
			assertThat(a.queueSize()).isZero();
			assertThat(b.queueSize()).isZero();
		}
	}

	@Test
	@Timeout(value = 120, unit = TimeUnit.SECONDS)
	void stopWhileThreadsEmitLeavesNoEventUnfinished() throws Exception {
		for (int round = 0; round < 30; round++) {
			EventBus bus = EventBus.builder("StressStopBus").maxHistorySize(null).build();
			bus.on(StressEvent.class, (event) -> "ok");
			ConcurrentLinkedQueue<StressEvent> accepted = new ConcurrentLinkedQueue<>();
			CountDownLatch emitting = new CountDownLatch(4);
			CountDownLatch finished = new CountDownLatch(4);
			AtomicReference<Throwable> failure = new AtomicReference<>();
			for (int t = 0; t < 4; t++) {
				int thread = t;
				Thread.ofPlatform().start(() -> {
					try {
						for (int seq = 0;; seq++) {
							StressEvent event = new StressEvent(thread, seq);
							try {
								bus.emit(event);
							}
							catch (IllegalStateException stopped) {
								return;
							}
							accepted.add(event);
							if (seq == 100) {
								emitting.countDown();
							}
						}
					}
					catch (Throwable ex) {
						failure.compareAndSet(null, ex);
					}
					finally {
						emitting.countDown();
						finished.countDown();
					}
				});
			}
			assertThat(emitting.await(30, TimeUnit.SECONDS)).isTrue();
			bus.stop();
			assertThat(finished.await(30, TimeUnit.SECONDS)).isTrue();
			assertThat(failure.get()).isNull();

			for (StressEvent event : accepted) {
				assertThat(event.done(Duration.ofSeconds(10)).eventStatus()).as("round %d", round)
					.isEqualTo(EventStatus.COMPLETED);
			}
		}
	}

	/**
	 * Emits from {@link #THREADS} threads at once and checks every event ran and
	 * completed once with its result, history within limit, and (serial buses) per-thread
	 * order.
	 */
	private static void stress(EventBus.Builder builder, boolean inOrder) throws Exception {
		ConcurrentHashMap<String, AtomicInteger> completions = new ConcurrentHashMap<>();
		EventBusMiddleware countCompletions = new EventBusMiddleware() {
			@Override
			public void onEventChange(EventBus bus, BaseEvent<?> event, EventStatus status) {
				if (status == EventStatus.COMPLETED) {
					completions.computeIfAbsent(event.eventId(), (id) -> new AtomicInteger()).incrementAndGet();
				}
			}
		};
		try (EventBus bus = builder.maxHistorySize(MAX_HISTORY)
			.maxHistoryDrop(true)
			.middleware(countCompletions)
			.build()) {
			AtomicIntegerArray runs = new AtomicIntegerArray(THREADS * PER_THREAD);
			ConcurrentLinkedQueue<StressEvent> processed = new ConcurrentLinkedQueue<>();
			bus.on(StressEvent.class, (event) -> {
				runs.incrementAndGet(event.thread * PER_THREAD + event.seq);
				processed.add(event);
				return event.thread + ":" + event.seq;
			});

			AtomicBoolean emitting = new AtomicBoolean(true);
			AtomicInteger largestHistory = new AtomicInteger();
			Thread sampler = Thread.ofPlatform().start(() -> {
				while (emitting.get()) {
					largestHistory.accumulateAndGet(bus.eventHistory().size(), Math::max);
					// sampling interval, not a wait for anything
					LockSupport.parkNanos(200_000);
				}
			});

			List<List<StressEvent>> emitted = new ArrayList<>();
			for (int t = 0; t < THREADS; t++) {
				emitted.add(new ArrayList<>(PER_THREAD));
			}
			CyclicBarrier start = new CyclicBarrier(THREADS);
			CountDownLatch finished = new CountDownLatch(THREADS);
			AtomicReference<Throwable> failure = new AtomicReference<>();
			long began = System.nanoTime();
			for (int t = 0; t < THREADS; t++) {
				int thread = t;
				Thread.ofPlatform().name("stress-emitter-" + t).start(() -> {
					try {
						start.await(10, TimeUnit.SECONDS);
						for (int seq = 0; seq < PER_THREAD; seq++) {
							emitted.get(thread).add(bus.emit(new StressEvent(thread, seq)));
						}
					}
					catch (Throwable ex) {
						failure.compareAndSet(null, ex);
					}
					finally {
						finished.countDown();
					}
				});
			}
			assertThat(finished.await(60, TimeUnit.SECONDS)).isTrue();
			assertThat(failure.get()).isNull();
			assertThat(bus.waitUntilIdle(Duration.ofSeconds(60))).isTrue();
			emitting.set(false);
			sampler.join();
			long elapsedMillis = (System.nanoTime() - began) / 1_000_000;

			int total = THREADS * PER_THREAD;
			for (int i = 0; i < total; i++) {
				assertThat(runs.get(i)).as("handler runs of event %d", i).isEqualTo(1);
			}
			assertThat(processed).hasSize(total);
			if (inOrder) {
				int[] next = new int[THREADS];
				for (StressEvent event : processed) {
					assertThat(event.seq).as("next event of thread %d", event.thread).isEqualTo(next[event.thread]);
					next[event.thread]++;
				}
			}
			for (int t = 0; t < THREADS; t++) {
				for (int seq = 0; seq < PER_THREAD; seq++) {
					StressEvent event = emitted.get(t).get(seq);
					assertThat(event.eventStatus()).isEqualTo(EventStatus.COMPLETED);
					assertThat(event.eventResults()).hasSize(1);
					assertThat(event.eventResult()).isEqualTo(t + ":" + seq);
					assertThat(event.eventPendingBusCount()).isZero();
				}
			}
			assertThat(completions).hasSize(total);
			assertThat(completions.values()).allSatisfy((count) -> assertThat(count).hasValue(1));
			assertThat(bus.queueSize()).isZero();
			assertThat(bus.eventHistory()).hasSizeLessThanOrEqualTo(MAX_HISTORY);
			assertThat(largestHistory.get()).isLessThanOrEqualTo(MAX_HISTORY + MAX_HISTORY / 5);
			assertThat(elapsedMillis).as("elapsed ms").isLessThan(60_000);
		}
	}

}
