package io.bubus.retry;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

import io.bubus.internal.Durations;

/**
 * One attempt of a {@link Retry} ran longer than its per-attempt timeout; the attempt's
 * thread was interrupted. Retried like any other error when it matches the retry rules.
 */
public class RetryTimeoutException extends TimeoutException {

	private static final long serialVersionUID = 1L;

	private final Duration timeout;

	private final int attempt;

	RetryTimeoutException(Duration timeout, int attempt) {
		super("Timed out after " + Durations.describe(timeout) + " (attempt " + attempt + ")");
		this.timeout = timeout;
		this.attempt = attempt;
	}

	/** The per-attempt timeout that expired. */
	public Duration timeout() {
		return this.timeout;
	}

	/** The attempt that timed out, from 1. */
	public int attempt() {
		return this.attempt;
	}

}
