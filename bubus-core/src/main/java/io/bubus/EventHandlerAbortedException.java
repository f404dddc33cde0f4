package io.bubus;

import java.util.concurrent.CancellationException;

import org.jspecify.annotations.Nullable;

/**
 * A handler that was running was interrupted from outside: by an event timeout, a
 * parent's timeout or a {@code first()} winner (wire name
 * {@code EventHandlerAbortedError}). {@link #getCause()} says why.
 */
public class EventHandlerAbortedException extends CancellationException {

	private static final long serialVersionUID = 1L;

	/** With a message and the reason. */
	public EventHandlerAbortedException(String message, @Nullable Throwable cause) {
		super(message);
		if (cause != null) {
			initCause(cause);
		}
	}

}
