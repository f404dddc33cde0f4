package io.bubus.bridge;

/**
 * A bridge that reads a log it can resume in ({@link JsonlEventBridge}: a byte offset;
 * {@code SqliteEventBridge}: a row id): it tells a {@link ReadPositionListener} where it
 * stands after each message, and starts at a given position instead of the end.
 * {@link BridgeReadPosition} keeps that position in a file across restarts.
 *
 * @author bubus-java
 * @since 0.1.0
 */
public interface ResumableBridge {

	/**
	 * Returns the bridge name.
	 * @return the name
	 */
	String name();

	/**
	 * Returns what a position counts, for messages: {@code "offset"}, {@code "cursor"}.
	 * @return the unit
	 */
	String positionUnit();

	/**
	 * Starts listening at this position instead of the end; before the bridge starts.
	 * @param position a position the bridge reported to its {@link ReadPositionListener}
	 * (or 0: the beginning)
	 * @return this bridge
	 * @throws IllegalStateException when the bridge is already listening
	 */
	ResumableBridge resumeFrom(long position);

	/**
	 * Tells this listener the position after each message read, with the event received
	 * for it; before the bridge starts.
	 * @param listener the listener
	 * @return this bridge
	 * @throws IllegalStateException when the bridge is already listening
	 */
	ResumableBridge onRead(ReadPositionListener listener);

}
