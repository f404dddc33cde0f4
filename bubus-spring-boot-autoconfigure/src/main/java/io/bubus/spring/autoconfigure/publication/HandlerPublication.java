package io.bubus.spring.autoconfigure.publication;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * One handler's row of a publication: whether it ran the event, how often, and what came
 * of it.
 *
 * @param handlerKey the handler name ({@code Billing.charge}), with {@code #2},
 * {@code #3}... when names repeat on the bus; stable across restarts
 * @param status pending (never finished), completed or failed
 * @param attempts how many times the handler finished a run of the event
 * @param lastAttemptAt when the last run finished
 * @param completedAt when it completed
 * @param resultJson the handler's return value as JSON, once completed
 * @param errorType the exception class of the last failed run
 * @param errorMessage its message
 * @author bubus-java
 * @since 0.1.0
 */
public record HandlerPublication(String handlerKey, Status status, int attempts, @Nullable Instant lastAttemptAt,
		@Nullable Instant completedAt, @Nullable String resultJson, @Nullable String errorType,
		@Nullable String errorMessage) {

	/** Whether the handler completed the event. */
	public boolean isCompleted() {
		return this.status == Status.COMPLETED;
	}

	/** The state of a handler row. */
	public enum Status {

		/** Written with the event; the handler has not finished a run yet. */
		PENDING,

		/** The handler returned; {@code resultJson} holds its result. */
		COMPLETED,

		/** The handler's last run threw, timed out or was cancelled. */
		FAILED

	}

}
