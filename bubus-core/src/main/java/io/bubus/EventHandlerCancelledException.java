package io.bubus;

import java.util.concurrent.CancellationException;

import org.jspecify.annotations.Nullable;

/**
 * A handler that had not started was cancelled and never ran: by an event timeout, a
 * parent's timeout, a {@code first()} winner or a stopped bus (wire name
 * {@code EventHandlerCancelledError}). {@link #getCause()} says why.
 */
public class EventHandlerCancelledException extends CancellationException {

	private static final long serialVersionUID = 1L;

	/** With a message and the reason. */
	public EventHandlerCancelledException(String message, @Nullable Throwable cause) {
		super(message);
		if (cause != null) {
			initCause(cause);
		}
	}

}
