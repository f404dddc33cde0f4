package io.bubus;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;

/**
 * Starts the runloops of buses that got an event from outside any handler a moment later,
 * on one shared thread.
 * <p>
 * A caller that emits and then waits with {@code done()} usually runs the event itself
 * (the event is next in an idle bus's queue), so waking the bus's runloop for it costs a
 * thread hand-off and gains nothing. Such an emit only puts the bus on this list; waiting
 * for the event ({@code done()}, {@code completion()}, {@code waitUntilIdle()}) starts
 * the runloop at once if the caller does not run the event, and otherwise this thread
 * starts it within {@link #TICK_NANOS}, so an event nobody waits for still runs promptly.
 * Between starts the thread ticks for {@link #LINGER_NANOS}, then sleeps until a bus is
 * deferred, and ends after {@link #IDLE_NANOS} without deferred starts.
 */
final class LoopStarter {

	/** How long an emitted event may wait for its runloop when nobody waits for it. */
	static final long TICK_NANOS = TimeUnit.MICROSECONDS.toNanos(100);

	private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

	/** How long the thread keeps ticking after its last deferred start. */
	private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

	private static final ConcurrentLinkedQueue<BusRunloop> DEFERRED = new ConcurrentLinkedQueue<>();

	private static final AtomicBoolean RUNNING = new AtomicBoolean();

	/**
	 * The starter thread while it parks with nothing deferred (so it needs a wake-up).
	 */
	private static volatile @Nullable Thread idle;

	private LoopStarter() {
	}

	/** Starts the bus's runloop within a tick unless something else starts it first. */
	static void defer(BusRunloop bus) {
		DEFERRED.add(bus);
		if (!RUNNING.get() && RUNNING.compareAndSet(false, true)) {
			Thread thread = new Thread(LoopStarter::run, "bubus-loop-starter");
			thread.setDaemon(true);
			thread.start();
			return;
		}
		Thread sleeper = idle;
		if (sleeper != null) {
			LockSupport.unpark(sleeper);
		}
	}

	private static void run() {
		Thread self = Thread.currentThread();
		long lastWork = System.nanoTime();
		while (true) {
			if (DEFERRED.isEmpty() && System.nanoTime() - lastWork < LINGER_NANOS) {
				// busy moments come in runs: keep ticking a little, so that emitters need
				// not wake this thread
				LockSupport.parkNanos(TICK_NANOS);
				continue;
			}
			if (DEFERRED.isEmpty()) {
				// nothing to start: sleep until a bus is deferred, or end when none is
				// for a while
				idle = self;
				if (DEFERRED.isEmpty()) {
					LockSupport.parkNanos(IDLE_NANOS);
				}
				idle = null;
				if (DEFERRED.isEmpty()) {
					RUNNING.set(false);
					// a bus deferred after the check but before RUNNING was cleared saw
					// this thread running: take it on
					if (DEFERRED.isEmpty() || !RUNNING.compareAndSet(false, true)) {
						return;
					}
				}
				continue;
			}
			// give callers a tick to run what they emitted themselves
			LockSupport.parkNanos(TICK_NANOS);
			lastWork = System.nanoTime();
			List<BusRunloop> again = null;
			for (BusRunloop bus = DEFERRED.poll(); bus != null; bus = DEFERRED.poll()) {
				try {
					if (bus.startDeferredLoop()) {
						if (again == null) {
							again = new ArrayList<>(4);
						}
						again.add(bus);
					}
				}
				catch (RuntimeException | Error ex) {
					org.slf4j.LoggerFactory.getLogger(LoopStarter.class)
						.error("bubus could not start the runloop of {}", bus, ex);
				}
			}
			if (again != null) {
				DEFERRED.addAll(again);
			}
		}
	}

}
