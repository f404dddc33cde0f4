package io.bubus;

import java.util.ArrayDeque;

import org.jspecify.annotations.Nullable;

/**
 * Middleware hook calls for one event on one bus, run in the order they were queued and
 * one at a time, with no monitor held while a hook runs. The thread that queues a call
 * runs it (and whatever is queued behind it) unless another thread is running this
 * sequence's calls; then that thread runs it next, and the queueing thread goes on
 * without waiting for it (waiting could deadlock on a hook that awaits the event).
 * <p>
 * Lock rule: this object's monitor guards the queue and the draining flag, and whatever
 * its owner decides under it (which phases to report); it is held only to queue or take
 * one call, never across a hook, and nothing else is locked while it is held.
 */
class HookSequence {

	private @Nullable ArrayDeque<Runnable> calls;

	private boolean draining;

	/**
	 * Queues a hook call; the caller holds this object's monitor, then calls
	 * {@link #runHooks}.
	 */
	final void queueHook(Runnable call) {
		if (this.calls == null) {
			this.calls = new ArrayDeque<>(4);
		}
		this.calls.add(call);
	}

	/** Runs the queued calls unless another thread is running them. */
	final void runHooks() {
		synchronized (this) {
			if (this.draining || this.calls == null || this.calls.isEmpty()) {
				return;
			}
			this.draining = true;
		}
		while (true) {
			Runnable next;
			synchronized (this) {
				next = this.calls.poll();
				if (next == null) {
					this.draining = false;
					return;
				}
			}
			try {
				next.run();
			}
			catch (RuntimeException | Error ex) {
				// the calls catch what hooks throw, so this is an Error: whoever queues
				// next runs the rest
				synchronized (this) {
					this.draining = false;
				}
				throw ex;
			}
		}
	}

}
