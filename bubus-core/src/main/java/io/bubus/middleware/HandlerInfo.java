package io.bubus.middleware;

import io.bubus.EventHandler;
import org.jspecify.annotations.Nullable;

/**
 * A handler registration as data (no code), as {@link BusHandlerRegisteredEvent} and
 * {@link BusHandlerUnregisteredEvent} carry it. JSON field names are those of the bubus
 * handler record: {@code id}, {@code handler_name}, {@code handler_file_path},
 * {@code event_pattern}, {@code eventbus_name}, {@code eventbus_id},
 * {@code handler_registered_at}.
 *
 * @param id the handler id
 * @param handlerName the handler name
 * @param handlerFilePath where it was registered, if recorded
 * @param eventPattern the event type, or {@code *}
 * @param eventbusName name of the bus it is registered on
 * @param eventbusId id of that bus
 * @param handlerRegisteredAt when it was registered (ISO-8601)
 */
public record HandlerInfo(String id, String handlerName, @Nullable String handlerFilePath, String eventPattern,
		String eventbusName, String eventbusId, String handlerRegisteredAt) {

	/** A copy of the registration's data. */
	public static HandlerInfo of(EventHandler handler) {
		return new HandlerInfo(handler.id(), handler.handlerName(), handler.handlerFilePath(), handler.eventPattern(),
				handler.eventbusName(), handler.eventbusId(), handler.handlerRegisteredAt().toString());
	}

}
