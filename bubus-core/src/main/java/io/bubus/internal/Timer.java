package io.bubus.internal;

import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

import org.jspecify.annotations.Nullable;

/**
 * Schedules timeout and slow-warning callbacks for the bus.
 * <p>
 * Most deadlines are long (60 s event timeout, 30 s slow-handler warning) and almost
 * never fire, so they are not worth a precise timer each: a deadline further away than
 * {@link #PRECISE_HORIZON_NANOS} goes into a lock-free list that one watchdog thread
 * looks at a few times a second, and is moved onto a precise timer only once it comes
 * within the horizon. Cancelling is a volatile write.
 */
public final class Timer {

	public static final long PRECISE_HORIZON_NANOS = TimeUnit.SECONDS.toNanos(2);

	private static final long TICK_MILLIS = 250;

	private static final ScheduledThreadPoolExecutor EXECUTOR;

	private static final ConcurrentLinkedQueue<Task> FAR = new ConcurrentLinkedQueue<>();

	private static final CopyOnWriteArrayList<LongConsumer> SWEEP_HOOKS = new CopyOnWriteArrayList<>();

	static {
		EXECUTOR = new ScheduledThreadPoolExecutor(1, (runnable) -> {
			Thread thread = new Thread(runnable, "bubus-timer");
			thread.setDaemon(true);
			return thread;
		});
		EXECUTOR.setRemoveOnCancelPolicy(true);
		EXECUTOR.scheduleWithFixedDelay(Timer::sweep, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
	}

	private Timer() {
	}

	/**
	 * Runs the action on the timer thread after the delay unless cancelled first. The
	 * action must be short and must not block.
	 */
	public static Task schedule(long delayNanos, Runnable action) {
		Task task = new Task(System.nanoTime() + delayNanos, action);
		if (delayNanos <= PRECISE_HORIZON_NANOS) {
			task.arm(delayNanos);
		}
		else {
			FAR.add(task);
		}
		return task;
	}

	/**
	 * Whether a delay is within the precise horizon. Callers that keep their own list of
	 * deadlines (the bus keeps its running visits) schedule further ones from a
	 * {@link #onSweep} hook once they come this near.
	 */
	public static boolean isNear(long delayNanos) {
		return delayNanos <= PRECISE_HORIZON_NANOS;
	}

	/**
	 * Runs the hook on the timer thread a few times a second, with
	 * {@link System#nanoTime()}. It must be short and must not block.
	 */
	public static void onSweep(LongConsumer hook) {
		SWEEP_HOOKS.add(hook);
	}

	private static void sweep() {
		long now = System.nanoTime();
		for (LongConsumer hook : SWEEP_HOOKS) {
			try {
				hook.accept(now);
			}
			catch (RuntimeException | Error ex) {
				org.slf4j.LoggerFactory.getLogger(Timer.class).error("bubus timer sweep failed", ex);
			}
		}
		for (Iterator<Task> it = FAR.iterator(); it.hasNext();) {
			Task task = it.next();
			if (task.cancelled) {
				it.remove();
				continue;
			}
			long remaining = task.deadline - now;
			if (remaining <= PRECISE_HORIZON_NANOS) {
				it.remove();
				task.arm(Math.max(0, remaining));
			}
		}
	}

	/** A scheduled callback. */
	public static final class Task implements Runnable {

		final long deadline;

		/**
		 * Dropped on cancel, so a cancelled far task waiting for the sweep holds no
		 * event.
		 */
		private volatile @Nullable Runnable action;

		volatile boolean cancelled;

		private volatile @Nullable ScheduledFuture<?> future;

		Task(long deadline, Runnable action) {
			this.deadline = deadline;
			this.action = action;
		}

		void arm(long delayNanos) {
			this.future = EXECUTOR.schedule(this, delayNanos, TimeUnit.NANOSECONDS);
			if (this.cancelled) {
				cancel();
			}
		}

		/** Stops the callback from running if it has not started yet. */
		public void cancel() {
			this.cancelled = true;
			this.action = null;
			ScheduledFuture<?> scheduled = this.future;
			if (scheduled != null) {
				scheduled.cancel(false);
			}
		}

		@Override
		public void run() {
			Runnable callback = this.action;
			if (this.cancelled || callback == null) {
				return;
			}
			try {
				callback.run();
			}
			catch (RuntimeException | Error ex) {
				org.slf4j.LoggerFactory.getLogger(Timer.class).error("bubus timer callback failed", ex);
			}
		}

	}

}
