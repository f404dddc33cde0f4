package io.bubus;

import org.jspecify.annotations.Nullable;

/**
 * A handler returned a value that is not the event's result type and cannot be converted
 * to it (wire name {@code EventHandlerResultSchemaError}).
 */
public class EventHandlerResultSchemaException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final transient @Nullable Object rawValue;

	/** With the message and the rejected value. */
	public EventHandlerResultSchemaException(String message, @Nullable Object rawValue, @Nullable Throwable cause) {
		super(message, cause);
		this.rawValue = rawValue;
	}

	/** The value the handler returned. */
	public @Nullable Object rawValue() {
		return this.rawValue;
	}

}
