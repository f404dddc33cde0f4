package io.bubus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code done()} outside a handler may run the event on the calling thread when it is
 * next in an idle bus's queue: events still start in emit order, each runs once, the bus
 * lock is let go, and a bus that is busy or paused is not overtaken.
 */
class DoneOnCallerThreadTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	public static class DcWork extends BaseEvent<Integer> {

		public int producer;

		public int seq;

		public DcWork() {
		}

		DcWork(int producer, int seq) {
			this.producer = producer;
			this.seq = seq;
		}

	}

	@RepeatedTest(5)
	void awaitingEventsOutOfOrderStillRunsThemInEmitOrder() {
		List<Integer> started = new CopyOnWriteArrayList<>();
		try (EventBus bus = EventBus.builder("DcOrder").maxHistorySize(null).build()) {
			bus.on(DcWork.class, (event) -> {
				started.add(event.seq);
				return event.seq;
			});
			List<DcWork> events = new ArrayList<>();
			for (int i = 0; i < 200; i++) {
				events.add(bus.emit(new DcWork(0, i)));
			}
			// newest first: most of these are not next in the queue when awaited
			for (int i = events.size() - 1; i >= 0; i--) {
				assertThat(events.get(i).done().eventResult()).isEqualTo(i);
			}
			assertThat(started).hasSize(200).isSorted();
			assertThat(bus.waitUntilIdle(WAIT)).isTrue();
			assertThat(bus.locksAtBaseline()).isTrue();
		}
	}

	@RepeatedTest(5)
	void producersAwaitingTheirOwnEventsKeepTheirOrderAndEachEventRunsOnce() throws Exception {
		int producers = 4;
		int perProducer = 300;
		Map<Integer, List<Integer>> seen = new ConcurrentHashMap<>();
		AtomicInteger runs = new AtomicInteger();
		try (EventBus bus = EventBus.builder("DcProducers").maxHistorySize(64).maxHistoryDrop(true).build()) {
			bus.on(DcWork.class, (event) -> {
				runs.incrementAndGet();
				seen.computeIfAbsent(event.producer, (key) -> new CopyOnWriteArrayList<>()).add(event.seq);
				return event.seq;
			});
			CountDownLatch start = new CountDownLatch(1);
			ExecutorService pool = Executors.newFixedThreadPool(producers);
			try {
				List<Future<?>> futures = new ArrayList<>();
				for (int p = 0; p < producers; p++) {
					int producer = p;
					futures.add(pool.submit(() -> {
						start.await();
						for (int i = 0; i < perProducer; i++) {
							DcWork event = bus.emit(new DcWork(producer, i));
							assertThat(event.done().eventResult()).isEqualTo(i);
						}
						return null;
					}));
				}
				start.countDown();
				for (Future<?> future : futures) {
					future.get();
				}
			}
			finally {
				pool.shutdownNow();
			}
			assertThat(bus.waitUntilIdle(WAIT)).isTrue();
			assertThat(runs).hasValue(producers * perProducer);
			for (int p = 0; p < producers; p++) {
				assertThat(seen.get(p)).as("producer %d", p).hasSize(perProducer).isSorted();
			}
			assertThat(bus.locksAtBaseline()).isTrue();
		}
	}

	@Test
	void anEventBehindABusyHandlerWaitsForIt() throws Exception {
		CountDownLatch running = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		List<String> order = new CopyOnWriteArrayList<>();
		try (EventBus bus = new EventBus("DcBusy")) {
			bus.on(DcWork.class, (event) -> {
				if (event.seq == 0) {
					running.countDown();
					release.await();
				}
				order.add("run " + event.seq);
				return event.seq;
			});
			DcWork first = bus.emit(new DcWork(0, 0));
			ConcurrencyProbe.awaitOpen(running);
			DcWork second = bus.emit(new DcWork(0, 1));
			Thread waiter = Thread.ofPlatform().start(() -> {
				second.done();
				order.add("second done");
			});
			// the bus is busy with the first event: the waiter must not run the second
			assertThat(waiter.join(Duration.ofMillis(200))).isFalse();
			assertThat(order).isEmpty();
			release.countDown();
			assertThat(waiter.join(WAIT)).isTrue();
			assertThat(first.done(WAIT).eventStatus()).isEqualTo(EventStatus.COMPLETED);
			assertThat(order).containsExactly("run 0", "run 1", "second done");
		}
	}

	@Test
	void eventsNobodyWaitsForRunOnTheBusThreadInEmitOrder() throws Exception {
		int count = 3;
		CountDownLatch ran = new CountDownLatch(count);
		List<String> threads = new CopyOnWriteArrayList<>();
		List<Integer> order = new CopyOnWriteArrayList<>();
		try (EventBus bus = new EventBus("DcFireAndForget")) {
			bus.on(DcWork.class, (event) -> {
				threads.add(Thread.currentThread().getName());
				order.add(event.seq);
				ran.countDown();
				return event.seq;
			});
			for (int i = 0; i < count; i++) {
				bus.emit(new DcWork(0, i));
			}
			// nobody calls done(): the bus starts its runloop by itself
			ConcurrencyProbe.awaitOpen(ran);
			assertThat(order).containsExactly(0, 1, 2);
			assertThat(threads).allMatch((name) -> name.startsWith("bubus-DcFireAndForget"));
		}
		// the thread that starts runloops after such emits ends once no bus needs it
		await().atMost(WAIT).until(() -> !RandomizedStressTests.busThreads().contains("bubus-loop-starter"));
	}

}
