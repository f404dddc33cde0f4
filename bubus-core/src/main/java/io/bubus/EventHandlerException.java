package io.bubus;

import org.jspecify.annotations.Nullable;

/**
 * A checked exception thrown by a handler, rethrown unchecked by the result accessors
 * ({@link BaseEvent#eventResult()}); {@link #getCause()} is the handler's exception.
 */
public class EventHandlerException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/** Wraps a handler's checked exception. */
	public EventHandlerException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
