package io.bubus;

/**
 * Waiting for an event ({@link BaseEvent#done(java.time.Duration)}) took longer than
 * allowed.
 */
public class EventTimeoutException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/** With a message that says what happened and what to do. */
	public EventTimeoutException(String message) {
		super(message);
	}

}
