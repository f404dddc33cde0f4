package io.bubus;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Records what handlers do, for the concurrency and queue-jump tests: how many run at
 * once (overall and per key), and the order of named steps.
 */
final class ConcurrencyProbe {

	private final AtomicInteger current = new AtomicInteger();

	private final AtomicInteger max = new AtomicInteger();

	private final Map<String, AtomicInteger> currentByKey = new ConcurrentHashMap<>();

	private final Map<String, AtomicInteger> maxByKey = new ConcurrentHashMap<>();

	private final List<String> steps = new CopyOnWriteArrayList<>();

	/** Marks a handler of {@code key} as running. */
	void enter(String key) {
		this.max.accumulateAndGet(this.current.incrementAndGet(), Math::max);
		int now = this.currentByKey.computeIfAbsent(key, (k) -> new AtomicInteger()).incrementAndGet();
		this.maxByKey.computeIfAbsent(key, (k) -> new AtomicInteger()).accumulateAndGet(now, Math::max);
	}

	/** Marks a handler of {@code key} as finished. */
	void exit(String key) {
		this.currentByKey.get(key).decrementAndGet();
		this.current.decrementAndGet();
	}

	/** Runs a handler body that simulates work for {@code work}. */
	void work(String key, Duration work) throws InterruptedException {
		enter(key);
		try {
			Thread.sleep(work);
		}
		finally {
			exit(key);
		}
	}

	int max() {
		return this.max.get();
	}

	int max(String key) {
		AtomicInteger value = this.maxByKey.get(key);
		return (value != null) ? value.get() : 0;
	}

	void step(String step) {
		this.steps.add(step);
	}

	List<String> steps() {
		return List.copyOf(this.steps);
	}

	int indexOf(String step) {
		return this.steps.indexOf(step);
	}

	/**
	 * Counts down and waits for the other parties: returns only when all of them run at
	 * the same time, which proves overlap without timing. Fails after 10 s.
	 */
	static void meet(CountDownLatch latch) throws InterruptedException {
		latch.countDown();
		if (!latch.await(10, TimeUnit.SECONDS)) {
			throw new AssertionError("the other handlers never ran at the same time");
		}
	}

	/** Waits for a latch that the test opens, failing after 10 s. */
	static void awaitOpen(CountDownLatch latch) throws InterruptedException {
		if (!latch.await(10, TimeUnit.SECONDS)) {
			throw new AssertionError("latch was never opened");
		}
	}

}
