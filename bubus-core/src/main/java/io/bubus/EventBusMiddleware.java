package io.bubus;

import org.jspecify.annotations.Nullable;

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
 * the hooks of one event on one bus (its event and result hooks alike) never run
 * concurrently.</li>
 * </ul>
 * Every method has a no-op default. A hook that throws is logged and does not affect the
 * bus or the middlewares after it. Hooks run on the thread that caused the change (the
 * emitting thread, a handler thread, the timer thread of a timeout), or, when an earlier
 * hook of the same event on the same bus is still running on another thread, on that
 * thread right after it. No bus monitor or lock is held while a hook runs, so a hook may
 * emit, await and call the bus; keep hooks short all the same. The {@code completed}
 * hooks that run as a bus finishes an event end before {@link BaseEvent#done()} returns
 * in another thread, and {@link EventBus#waitUntilIdle()} waits for them too, unless such
 * an earlier hook was still running and runs them after it.
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

	/**
	 * For middlewares that keep a bus's work across restarts (the write-ahead log): a
	 * handler of {@code parent} is emitting {@code event} on this bus and no bus has
	 * taken the event yet. When this emission repeats one recorded before a restart,
	 * return the recorded event (read with {@link BaseEvent#fromJson(String)}: its id,
	 * creation time and the rows of the handlers that already finished, each
	 * {@code handler_id} naming a handler of this bus); the emitted event takes that id,
	 * creation time and those rows, and the bus runs only the handlers without a finished
	 * row. Return {@code null} (the default) to leave the event as it is.
	 * <p>
	 * Called on the emitting thread before the bus accepts the event, under no lock of
	 * the runtime; the first middleware that returns an event wins.
	 */
	default @Nullable BaseEvent<?> recordedEmission(EventBus bus, BaseEvent<?> parent, EventResult<?> emittedBy,
			BaseEvent<?> event) {
		return null;
	}

}
