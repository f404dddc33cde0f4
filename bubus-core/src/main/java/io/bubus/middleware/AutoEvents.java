package io.bubus.middleware;

import io.bubus.BaseEvent;
import io.bubus.EventBus;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Emitting the events the auto-event middlewares derive from other events. */
final class AutoEvents {

	private static final Logger log = LoggerFactory.getLogger(AutoEvents.class);

	private AutoEvents() {
	}

	/**
	 * Whether the type is itself a derived event type, which is never derived from again.
	 */
	static boolean isAutoEventType(String eventType) {
		return eventType.endsWith(AutoErrorEventMiddleware.SUFFIX)
				|| eventType.endsWith(AutoReturnEventMiddleware.SUFFIX);
	}

	/**
	 * Emits without waiting. The source becomes the explicit parent, so the event shows
	 * under it in the log tree but is not one of its handlers' children (the source does
	 * not wait for it).
	 */
	static void emit(EventBus bus, BaseEvent<?> derived, @Nullable BaseEvent<?> source) {
		if (source != null) {
			derived.setEventParentId(source.eventId());
		}
		try {
			bus.emit(derived);
		}
		catch (RuntimeException ex) {
			log.warn("{} could not emit {}: {}", bus.label(), derived.eventType(), ex.getMessage(), ex);
		}
	}

}
