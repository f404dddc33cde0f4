package io.bubus;

import org.jspecify.annotations.Nullable;

/**
 * A handler ran longer than its effective timeout (wire name
 * {@code EventHandlerTimeoutError}). Also the cause of the aborted and cancelled results
 * that an event timeout or a parent's timeout produces.
 */
public class EventHandlerTimeoutException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/** A timeout with its message. */
	public EventHandlerTimeoutException(String message) {
		super(message);
	}

	/** A timeout with its message and cause. */
	public EventHandlerTimeoutException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
