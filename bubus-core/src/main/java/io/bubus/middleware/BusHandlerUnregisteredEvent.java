package io.bubus.middleware;

import io.bubus.BaseEvent;
import org.jspecify.annotations.Nullable;

/** Emitted by {@link AutoHandlerChangeEventMiddleware} when a handler is removed. */
public class BusHandlerUnregisteredEvent extends BaseEvent<Object> {

	/** The removed registration. */
	public @Nullable HandlerInfo handler;

	/** For JSON. */
	public BusHandlerUnregisteredEvent() {
	}

	/** The event for this removal. */
	public BusHandlerUnregisteredEvent(HandlerInfo handler) {
		this.handler = handler;
	}

}
