package io.bubus.bridge;

import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the messages an at-most-once bridge knows it lost and logs them: at most one
 * WARN line a second, with the count since the last line, and the rest when the bridge
 * closes.
 * <p>
 * Concurrency: the total is atomic; what is not logged yet is guarded by this object's
 * monitor, which is released before logging.
 */
final class LossLog {

	private static final Logger log = LoggerFactory.getLogger(LossLog.class);

	private static final long INTERVAL_NANOS = 1_000_000_000L;

	private final EventBridge bridge;

	private final AtomicLong total = new AtomicLong();

	private long unlogged;

	private long loggedAt;

	private boolean logged;

	private @Nullable String why;

	LossLog(EventBridge bridge) {
		this.bridge = bridge;
	}

	long total() {
		return this.total.get();
	}

	void count(long count, String why) {
		if (count <= 0) {
			return;
		}
		this.total.addAndGet(count);
		synchronized (this) {
			this.unlogged += count;
			this.why = why;
		}
		flush(false);
	}

	/** Logs what is not logged yet: when a second passed since the last line, or now. */
	void flush(boolean now) {
		long count;
		String reason;
		synchronized (this) {
			long at = System.nanoTime();
			if (this.unlogged == 0 || (!now && this.logged && at - this.loggedAt < INTERVAL_NANOS)) {
				return;
			}
			count = this.unlogged;
			reason = this.why;
			this.unlogged = 0;
			this.loggedAt = at;
			this.logged = true;
		}
		log.warn("bridge {} lost {} message(s) ({} in total): {}", this.bridge.name(), count, this.total.get(), reason);
	}

}
