package io.bubus.middleware;

import io.bubus.BaseEvent;
import org.jspecify.annotations.Nullable;

/**
 * Emitted by {@link AutoReturnEventMiddleware} for a handler's return value: its event
 * type is the handled event's type plus {@code ResultEvent}
 * ({@code OrderPlacedResultEvent}), and {@code data} is the value. Return values do not
 * cross bridges; events do.
 */
public class AutoReturnEvent extends BaseEvent<Object> {

	/** The handler's return value. */
	public @Nullable Object data;

	private @Nullable String type;

	/** For JSON. */
	public AutoReturnEvent() {
	}

	/** The result event for a value returned by a handler of {@code sourceEventType}. */
	public AutoReturnEvent(String sourceEventType, Object data) {
		this.type = sourceEventType + AutoReturnEventMiddleware.SUFFIX;
		this.data = data;
	}

	@Override
	public String eventType() {
		return (this.type != null) ? this.type : super.eventType();
	}

}
