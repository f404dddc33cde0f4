package io.bubus.middleware;

import io.bubus.BaseEvent;
import io.bubus.EventBus;
import io.bubus.EventBusMiddleware;
import io.bubus.EventResult;
import io.bubus.ResultStatus;

/**
 * Turns every handler failure into an event: when a result completes with an error, it
 * emits an {@link AutoErrorEvent} of type {@code <EventType>ErrorEvent} on the same bus,
 * fire-and-forget, with the failed event as its parent. Failures of events whose type
 * already ends in {@code ErrorEvent} or {@code ResultEvent} are not turned into events,
 * so there are no {@code ...ErrorEventErrorEvent} chains. A failed emit is logged.
 *
 * {@snippet :
 * EventBus bus = EventBus.builder("Orders").middleware(new AutoErrorEventMiddleware()).build();
 * bus.on("OrderPlacedErrorEvent", (event) -> alert(((AutoErrorEvent) event).errorType));
 * }
 */
public final class AutoErrorEventMiddleware implements EventBusMiddleware {

	static final String SUFFIX = "ErrorEvent";

	@Override
	public void onEventResultChange(EventBus bus, BaseEvent<?> event, EventResult<?> result, ResultStatus status) {
		Throwable error = result.error();
		if (status != ResultStatus.COMPLETED || error == null || AutoEvents.isAutoEventType(event.eventType())) {
			return;
		}
		AutoEvents.emit(bus, new AutoErrorEvent(event.eventType(), error), event);
	}

	@Override
	public String toString() {
		return "AutoErrorEventMiddleware";
	}

}
