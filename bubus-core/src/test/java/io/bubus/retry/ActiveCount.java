package io.bubus.retry;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts how many tasks run at once, and the most that ever did. */
final class ActiveCount {

	private final AtomicInteger current = new AtomicInteger();

	private final AtomicInteger max = new AtomicInteger();

	/** Marks a task running for {@code work} (simulated with a sleep), then finished. */
	String work(Duration work) throws InterruptedException {
		this.max.accumulateAndGet(this.current.incrementAndGet(), Math::max);
		try {
			Thread.sleep(work);
			return "done";
		}
		finally {
			this.current.decrementAndGet();
		}
	}

	int max() {
		return this.max.get();
	}

}
