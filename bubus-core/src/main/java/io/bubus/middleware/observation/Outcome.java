package io.bubus.middleware.observation;

import java.util.Collection;
import java.util.Locale;

import io.bubus.EventHandlerAbortedException;
import io.bubus.EventHandlerCancelledException;
import io.bubus.EventHandlerTimeoutException;
import io.bubus.EventResult;
import io.bubus.ResultStatus;
import org.jspecify.annotations.Nullable;

/**
 * How an event or a handler run ended: the value of the {@code bubus.outcome} key.
 */
public enum Outcome {

	/** Finished without an error. */
	COMPLETED,

	/** The handler threw. */
	ERROR,

	/** A handler or event timeout fired. */
	TIMEOUT,

	/**
	 * The handler was running and was interrupted (event timeout, first() winner, stop).
	 */
	ABORTED,

	/** The handler never started: cancelled while pending. */
	CANCELLED;

	private final String value = name().toLowerCase(Locale.ROOT);

	/**
	 * The key value, lower case ({@code completed}, {@code timeout}, ...).
	 * @return the value
	 */
	public String value() {
		return this.value;
	}

	/**
	 * The outcome of one handler run.
	 * @param result a terminal result row
	 * @return its outcome
	 */
	public static Outcome of(EventResult<?> result) {
		Throwable error = result.error();
		if (error == null && result.status() != ResultStatus.ERROR) {
			return COMPLETED;
		}
		if (error instanceof EventHandlerTimeoutException) {
			return TIMEOUT;
		}
		if (error instanceof EventHandlerAbortedException) {
			return ABORTED;
		}
		if (error instanceof EventHandlerCancelledException) {
			return CANCELLED;
		}
		return ERROR;
	}

	/**
	 * The outcome of an event on one bus, from its result rows on that bus: a timeout if
	 * any row failed because of a timeout (its own, the event's or a parent's), else an
	 * error if any handler threw, else cancelled if no handler ran, else aborted if no
	 * handler finished, else completed.
	 * @param results the event's result rows on the bus
	 * @return the event's outcome
	 */
	public static Outcome of(Collection<? extends EventResult<?>> results) {
		boolean anyError = false;
		boolean anyAborted = false;
		boolean anyCompleted = false;
		boolean allCancelled = !results.isEmpty();
		for (EventResult<?> result : results) {
			if (causedByTimeout(result.error())) {
				return TIMEOUT;
			}
			Outcome outcome = of(result);
			anyError |= outcome == ERROR;
			anyAborted |= outcome == ABORTED;
			anyCompleted |= outcome == COMPLETED;
			allCancelled &= outcome == CANCELLED;
		}
		if (anyError) {
			return ERROR;
		}
		if (allCancelled) {
			return CANCELLED;
		}
		return (anyAborted && !anyCompleted) ? ABORTED : COMPLETED;
	}

	private static boolean causedByTimeout(@Nullable Throwable error) {
		for (Throwable current = error; current != null; current = current.getCause()) {
			if (current instanceof EventHandlerTimeoutException) {
				return true;
			}
			if (current.getCause() == current) {
				return false;
			}
		}
		return false;
	}

}
