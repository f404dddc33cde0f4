package io.bubus.bridge;

import io.bubus.BaseEvent;
import org.jspecify.annotations.Nullable;

/**
 * Told where a durable bridge ({@link JsonlEventBridge}, {@code SqliteEventBridge})
 * stands in what it reads, message by message, so that an application can store the
 * position of the last event it has handled and resume from there after a restart
 * ({@link JsonlEventBridge#fromOffset(long)}, {@code SqliteEventBridge#fromCursor}).
 * <p>
 * Called on the bridge's listener thread, in reading order:
 * <ul>
 * <li>once when listening starts, with the start position and no event;</li>
 * <li>after each message read, with the position after it and the event emitted on the
 * inbound bus for it, or {@code null} when the message was dropped as bad input or was a
 * blank line (it will never be delivered, so it is safe to move past it);</li>
 * <li>when reading starts over (a JSON Lines file that shrank or disappeared, a SQLite
 * cursor past the last row), with the new position and no event.</li>
 * </ul>
 * A message the bridge could not hand to its inbound bus because the bridge was closing
 * is not reported, and the position does not move past it. The listener must not block;
 * an exception it throws is logged and ignored.
 *
 * @author bubus-java
 * @since 0.1.0
 */
@FunctionalInterface
public interface ReadPositionListener {

	/** A listener that does nothing. */
	ReadPositionListener NONE = (position, event) -> {
	};

	/**
	 * Reports the read position.
	 * @param position the byte offset ({@link JsonlEventBridge}) or {@code rowid}
	 * ({@code SqliteEventBridge}) to resume from so that this message is not read again
	 * @param event the event emitted on the inbound bus for the message, or {@code null}
	 * when there is none to deliver
	 */
	void read(long position, @Nullable BaseEvent<?> event);

}
