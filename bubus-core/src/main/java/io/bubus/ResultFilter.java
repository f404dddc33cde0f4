package io.bubus;

import java.util.function.Predicate;

/**
 * Which handler results {@link BaseEvent#eventResultsList(ResultFilter)} returns and when
 * it throws. The defaults include completed, non-null results that are not events, throw
 * when any handler failed and throw when nothing is included.
 */
public final class ResultFilter {

	private static final Predicate<EventResult<?>> DEFAULT_INCLUDE = (
			result) -> result.status() == ResultStatus.COMPLETED && result.error() == null && result.result() != null
					&& !(result.result() instanceof BaseEvent<?>);

	private static final ResultFilter DEFAULTS = new ResultFilter(true, true, DEFAULT_INCLUDE);

	final boolean raiseIfAny;

	final boolean raiseIfNone;

	final Predicate<EventResult<?>> include;

	private ResultFilter(boolean raiseIfAny, boolean raiseIfNone, Predicate<EventResult<?>> include) {
		this.raiseIfAny = raiseIfAny;
		this.raiseIfNone = raiseIfNone;
		this.include = include;
	}

	/** The default filter. */
	public static ResultFilter defaults() {
		return DEFAULTS;
	}

	/** Whether to throw when any handler failed (one error as is, several aggregated). */
	public ResultFilter raiseIfAny(boolean raiseIfAny) {
		return new ResultFilter(raiseIfAny, this.raiseIfNone, this.include);
	}

	/** Whether to throw {@link NoEventResultException} when no result is included. */
	public ResultFilter raiseIfNone(boolean raiseIfNone) {
		return new ResultFilter(this.raiseIfAny, raiseIfNone, this.include);
	}

	/** Which result rows to include. */
	public ResultFilter include(Predicate<EventResult<?>> include) {
		return new ResultFilter(this.raiseIfAny, this.raiseIfNone, include);
	}

}
