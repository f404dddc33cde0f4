package io.bubus.middleware;

import io.bubus.EventBus;
import io.bubus.EventBusMiddleware;
import io.bubus.EventHandler;

/**
 * Emits a {@link BusHandlerRegisteredEvent} on the bus for every {@code on(...)} and a
 * {@link BusHandlerUnregisteredEvent} for every handler {@code off(...)} removes, each
 * with a {@link HandlerInfo} copy of the registration. Bridged, this lets another process
 * see which handlers a bus has. A failed emit (a stopped bus) is logged.
 */
public final class AutoHandlerChangeEventMiddleware implements EventBusMiddleware {

	@Override
	public void onBusHandlersChange(EventBus bus, EventHandler handler, boolean registered) {
		HandlerInfo info = HandlerInfo.of(handler);
		AutoEvents.emit(bus, registered ? new BusHandlerRegisteredEvent(info) : new BusHandlerUnregisteredEvent(info),
				null);
	}

	@Override
	public String toString() {
		return "AutoHandlerChangeEventMiddleware";
	}

}
