package io.bubus;

/**
 * {@link EventBus#emit} refused an event because the bus history is full and
 * {@code maxHistoryDrop} is off. Nothing was queued or recorded.
 */
public class HistoryFullException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/** With a message that says what happened and what to do. */
	public HistoryFullException(String message) {
		super(message);
	}

}
