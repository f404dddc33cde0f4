package io.bubus;

/**
 * Hooks into one bus's lifecycle: event status changes, result status changes, handler
 * registration. Register with {@code EventBus.builder(name).middleware(m)}; built-ins are
 * in {@code io.bubus.middleware}.
 * <p>
 * Guarantees, per bus:
 * <ul>
 * <li>An event is reported {@code pending} (when the bus accepts it, before it is
 * queued), {@code started} (when the bus starts processing it, even without handlers) and
 * {@code completed}, each exactly once and in that order. An event cancelled before the
 * bus started it still reports {@code started} right before {@code completed}.</li>
 * <li>A result is reported {@code pending} (when the bus creates its row),
 * {@code started} (when its handler starts) and {@code completed}, each at most once and
 * in that order; a result cancelled before its handler ran goes from {@code pending}
 * straight to {@code completed}. The status passed is never {@code ERROR}: a failure is
 * {@code completed} with {@link EventResult#status()} {@code ERROR} and
 * {@link EventResult#error()} set.</li>
 * <li>All result hooks of an event on this bus run before its {@code completed} event
 * hook.</li>
 * <li>For each change the middlewares run one after another in registration order, and
 * hooks for one event (or one result) never run concurrently.</li>
 * </ul>
 * Every method has a no-op default. A hook that throws is logged and does not affect the
 * bus or the middlewares after it. Hooks run on the thread that caused the change (the
 * emitting thread, a handler thread, the timer thread of a timeout); keep them short. A
 * {@code completed} hook may still be running when {@link BaseEvent#done()} returns in
 * another thread; {@link EventBus#waitUntilIdle()} also waits for the hooks that run as
 * the bus finishes an event.
 */
public interface EventBusMiddleware {

	/** An event reached {@code status} (pending, started, completed) on this bus. */
	default void onEventChange(EventBus bus, BaseEvent<?> event, EventStatus status) {
	}

	/**
	 * A handler result on this bus reached {@code status} (pending, started, completed).
	 */
	default void onEventResultChange(EventBus bus, BaseEvent<?> event, EventResult<?> result, ResultStatus status) {
	}

	/**
	 * A handler was registered ({@code registered = true}) or removed, reported after
	 * {@code on}/{@code off} changed the handlers.
	 */
	default void onBusHandlersChange(EventBus bus, EventHandler handler, boolean registered) {
	}

}
