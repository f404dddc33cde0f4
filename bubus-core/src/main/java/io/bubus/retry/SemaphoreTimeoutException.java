package io.bubus.retry;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

import io.bubus.internal.Durations;

/**
 * A {@link Retry} with {@code semaphoreLax(false)} could not get a slot of its
 * concurrency limit in time, so the call did not run.
 */
public class SemaphoreTimeoutException extends TimeoutException {

	private static final long serialVersionUID = 1L;

	private final String semaphoreName;

	private final int semaphoreLimit;

	private final Duration timeout;

	SemaphoreTimeoutException(String kind, String semaphoreName, int semaphoreLimit, Duration timeout,
			String perOperation) {
		super("Failed to acquire " + kind + "semaphore \"" + semaphoreName + "\" within " + Durations.describe(timeout)
				+ " (limit=" + semaphoreLimit + perOperation + ")");
		this.semaphoreName = semaphoreName;
		this.semaphoreLimit = semaphoreLimit;
		this.timeout = timeout;
	}

	/**
	 * The scoped semaphore key ({@code Class.name}, {@code 7.name} or the plain name).
	 */
	public String semaphoreName() {
		return this.semaphoreName;
	}

	/** The concurrency limit. */
	public int semaphoreLimit() {
		return this.semaphoreLimit;
	}

	/** How long the call waited for a slot. */
	public Duration timeout() {
		return this.timeout;
	}

}
