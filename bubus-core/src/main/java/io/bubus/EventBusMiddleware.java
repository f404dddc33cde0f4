package io.bubus;

/**
 * Hooks into one bus's lifecycle: event status changes, result status changes, handler
 * registration. Every method has a no-op default. A hook that throws is logged and does
 * not affect the bus. Hooks run on the thread that caused the change; keep them short.
 */
public interface EventBusMiddleware {

	/**
	 * An event reached {@code status} on this bus (pending at emit, started, completed).
	 */
	default void onEventChange(EventBus bus, BaseEvent<?> event, EventStatus status) {
	}

	/** A handler result on this bus reached {@code status}. */
	default void onEventResultChange(EventBus bus, BaseEvent<?> event, EventResult<?> result, ResultStatus status) {
	}

	/** A handler was registered ({@code registered = true}) or removed. */
	default void onBusHandlersChange(EventBus bus, EventHandler handler, boolean registered) {
	}

}
