package io.bubus.middleware;

import io.bubus.BaseEvent;
import io.bubus.EventBus;
import io.bubus.EventBusMiddleware;
import io.bubus.EventResult;
import io.bubus.ResultStatus;

/**
 * Turns every handler return value into an event: when a result completes without error
 * and with a value that is neither {@code null} nor an event (forwarding), it emits an
 * {@link AutoReturnEvent} of type {@code <EventType>ResultEvent} on the same bus,
 * fire-and-forget, with the handled event as its parent. Values of events whose type
 * already ends in {@code ErrorEvent} or {@code ResultEvent} are not turned into events. A
 * failed emit is logged.
 */
public final class AutoReturnEventMiddleware implements EventBusMiddleware {

	static final String SUFFIX = "ResultEvent";

	@Override
	public void onEventResultChange(EventBus bus, BaseEvent<?> event, EventResult<?> result, ResultStatus status) {
		if (status != ResultStatus.COMPLETED || result.error() != null
				|| AutoEvents.isAutoEventType(event.eventType())) {
			return;
		}
		Object value = result.result();
		if (value == null || value instanceof BaseEvent<?>) {
			return;
		}
		AutoEvents.emit(bus, new AutoReturnEvent(event.eventType(), value), event);
	}

	@Override
	public String toString() {
		return "AutoReturnEventMiddleware";
	}

}
