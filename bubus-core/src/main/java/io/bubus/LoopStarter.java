package io.bubus;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

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
 * The thread ends after {@link #IDLE_NANOS} without deferred starts.
 */
final class LoopStarter {

	/** How long an emitted event may wait for its runloop when nobody waits for it. */
	static final long TICK_NANOS = TimeUnit.MICROSECONDS.toNanos(100);

	private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

	private static final ConcurrentLinkedQueue<EventBus> DEFERRED = new ConcurrentLinkedQueue<>();

	private static final AtomicBoolean RUNNING = new AtomicBoolean();

	private LoopStarter() {
	}

	/** Starts the bus's runloop within a tick unless something else starts it first. */
	static void defer(EventBus bus) {
		DEFERRED.add(bus);
		if (!RUNNING.get() && RUNNING.compareAndSet(false, true)) {
			Thread thread = new Thread(LoopStarter::run, "bubus-loop-starter");
			thread.setDaemon(true);
			thread.start();
		}
	}

	private static void run() {
		long idleSince = System.nanoTime();
		while (true) {
			LockSupport.parkNanos(TICK_NANOS);
			boolean any = false;
			for (EventBus bus = DEFERRED.poll(); bus != null; bus = DEFERRED.poll()) {
				any = true;
				try {
					bus.startDeferredLoop();
				}
				catch (RuntimeException | Error ex) {
					org.slf4j.LoggerFactory.getLogger(LoopStarter.class)
						.error("bubus could not start the runloop of {}", bus, ex);
				}
			}
			long now = System.nanoTime();
			if (any) {
				idleSince = now;
			}
			else if (now - idleSince > IDLE_NANOS) {
				RUNNING.set(false);
				// a bus deferred after the last poll but before RUNNING was cleared saw
				// this thread running: take it on
				if (DEFERRED.isEmpty() || !RUNNING.compareAndSet(false, true)) {
					return;
				}
				idleSince = now;
			}
		}
	}

}
