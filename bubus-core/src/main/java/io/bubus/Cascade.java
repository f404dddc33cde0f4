package io.bubus;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * Cancellation that follows the causal tree: when a handler times out or is aborted,
 * everything it emitted that has not finished is stopped too. Started rows become
 * {@link EventHandlerAbortedException}, pending rows and queued copies
 * {@link EventHandlerCancelledException}, each with the nearest timeout as its cause.
 * <p>
 * Mark first, wake last: every row of the subtree is made terminal before any handler
 * thread is interrupted. A queue-jumped child runs on the thread of the handler that
 * awaits it, so waking that thread before the child's rows are marked would let the
 * child's running handler end with the raw {@link InterruptedException} and its serial
 * runner start the next row. The threads collected in a {@link Wake} are interrupted only
 * by {@link Wake#run()}, after the whole cascade.
 */
final class Cascade {

	private Cascade() {
	}

	/** Ends the row and cascades to what it emitted, then wakes the handler threads. */
	static boolean end(EventResult<?> row, Function<Boolean, Throwable> errorFor) {
		Wake wake = new Wake();
		boolean changed = end(row, errorFor, wake);
		wake.run();
		return changed;
	}

	/**
	 * Ends the row (when it is not terminal yet) and cascades to its children with the
	 * row's error as the cause; the row's thread is added to the wake list.
	 */
	static boolean end(EventResult<?> row, Function<Boolean, Throwable> errorFor, Wake wake) {
		if (!row.interrupt(errorFor, wake)) {
			return false;
		}
		Throwable error = row.error();
		if (error != null) {
			cancelChildren(row, error, wake);
		}
		return true;
	}

	static void cancelChildren(EventResult<?> row, Throwable cause) {
		Wake wake = new Wake();
		cancelChildren(row, cause, wake);
		wake.run();
	}

	static void cancelChildren(EventResult<?> row, Throwable cause, Wake wake) {
		for (BaseEvent<?> child : row.eventChildren()) {
			cancelEvent(child, cause, wake);
		}
	}

	static void cancelEvent(BaseEvent<?> event, Throwable cause) {
		Wake wake = new Wake();
		cancelEvent(event, cause, wake);
		wake.run();
	}

	static void cancelEvent(BaseEvent<?> event, Throwable cause, Wake wake) {
		if (event.eventStatus() == EventStatus.COMPLETED) {
			return;
		}
		for (EventBus bus : event.state.busesInPathOrder()) {
			if (event.state.claim(bus)) {
				bus.runloop().cancelQueued(event, cause);
			}
		}
		for (EventResult<?> row : event.resultRows()) {
			row.interrupt((started) -> started
					? new EventHandlerAbortedException("Aborted running handler " + row.handler().label()
							+ " due to parent error: " + cause.getMessage(), cause)
					: new EventHandlerCancelledException("Cancelled pending handler " + row.handler().label()
							+ " due to parent error: " + cause.getMessage(), cause),
					wake);
			cancelChildren(row, cause, wake);
		}
		event.state.tryComplete();
	}

	/** Handler threads to interrupt once a cancellation has marked every row. */
	static final class Wake {

		private @Nullable List<EventResult<?>> rows;

		/** The row ended while its handler ran: interrupt that handler's thread later. */
		void add(EventResult<?> row) {
			if (this.rows == null) {
				this.rows = new ArrayList<>(2);
			}
			this.rows.add(row);
		}

		/**
		 * Interrupts the threads still running the collected rows' handlers (a handler
		 * that returned meanwhile is left alone: its thread may run another one now).
		 */
		void run() {
			List<EventResult<?>> pending = this.rows;
			if (pending != null) {
				this.rows = null;
				pending.forEach(EventResult::interruptRunner);
			}
		}

	}

}
