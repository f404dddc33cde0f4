package io.bubus;

/**
 * A result accessor found no handler result to return (no handler, or every handler
 * returned null).
 */
public class NoEventResultException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/** With a message that says what happened and what to do. */
	public NoEventResultException(String message) {
		super(message);
	}

}
