package io.bubus.bridge;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;

import io.bubus.BaseEvent;
import io.bubus.EventHandlerTimeoutException;
import io.bubus.EventResult;
import io.bubus.EventTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The messages of an at-least-once bridge that were received and are not settled yet
 * (acknowledged or handed back for redelivery), so that closing can wait for them.
 * <p>
 * Concurrency: the count is guarded by this object's monitor; settling calls the
 * transport outside it, on the thread that completed the event.
 */
final class Settlements {

	private static final Logger log = LoggerFactory.getLogger(Settlements.class);

	private final EventBridge bridge;

	private long open;

	Settlements(EventBridge bridge) {
		this.bridge = bridge;
	}

	/** A received message starts waiting for its settlement. */
	synchronized void begin() {
		this.open++;
	}

	/**
	 * Acknowledges ({@code done}) or redelivers the message; what it throws is logged.
	 */
	void settle(EventBridge.Acknowledgement acknowledgement, boolean done) {
		try {
			if (done) {
				acknowledgement.ack();
			}
			else {
				acknowledgement.redeliver();
			}
		}
		catch (RuntimeException ex) {
			log.debug("bridge {} could not settle a message (the transport delivers it again): {}", this.bridge.name(),
					ex.toString());
		}
		finally {
			synchronized (this) {
				if (this.open > 0) {
					this.open--;
				}
				notifyAll();
			}
		}
	}

	/** Waits until every received message is settled, at most the timeout. */
	synchronized void await(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (this.open > 0) {
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				log.warn("bridge {} closes with {} received events still running; they are delivered again",
						this.bridge.name(), this.open);
				return;
			}
			try {
				TimeUnit.NANOSECONDS.timedWait(this, left);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	/**
	 * Whether a handler of the event was cancelled or aborted by a stopping bus (its work
	 * did not finish), rather than by a timeout or a {@code first()} winner (outcomes of
	 * the handling, like an exception).
	 */
	static boolean interrupted(BaseEvent<?> event) {
		for (EventResult<?> result : event.eventResults().values()) {
			Throwable error = result.error();
			if (error instanceof CancellationException && error.getCause() != null && !timedOut(error)) {
				return true;
			}
		}
		return false;
	}

	private static boolean timedOut(Throwable error) {
		for (Throwable cause = error; cause != null; cause = cause.getCause()) {
			if (cause instanceof EventHandlerTimeoutException || cause instanceof EventTimeoutException) {
				return true;
			}
		}
		return false;
	}

}
