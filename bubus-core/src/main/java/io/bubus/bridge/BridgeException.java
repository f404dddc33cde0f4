package io.bubus.bridge;

/**
 * A bridge could not send an event; the message says which bridge and why.
 */
public class BridgeException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/** With a message. */
	public BridgeException(String message) {
		super(message);
	}

	/** With a message and the transport's error. */
	public BridgeException(String message, Throwable cause) {
		super(message, cause);
	}

}
