package io.bubus;

import java.util.List;

/**
 * Several handlers of one event failed; {@link #errors()} lists their exceptions in
 * handler order (each is also a suppressed exception).
 */
public class EventHandlerErrors extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final transient List<Throwable> errors;

	/** With the message and the errors in handler order. */
	public EventHandlerErrors(String message, List<Throwable> errors) {
		super(message);
		this.errors = List.copyOf(errors);
		errors.forEach(this::addSuppressed);
	}

	/** The handler errors, in handler order. */
	public List<Throwable> errors() {
		return this.errors;
	}

}
