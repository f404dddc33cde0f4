package io.bubus.middleware;

import io.bubus.BaseEvent;
import org.jspecify.annotations.Nullable;

/** Emitted by {@link AutoHandlerChangeEventMiddleware} when a handler is registered. */
public class BusHandlerRegisteredEvent extends BaseEvent<Object> {

	/** The registration. */
	public @Nullable HandlerInfo handler;

	/** For JSON. */
	public BusHandlerRegisteredEvent() {
	}

	/** The event for this registration. */
	public BusHandlerRegisteredEvent(HandlerInfo handler) {
		this.handler = handler;
	}

}
