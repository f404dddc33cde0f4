package io.bubus;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

import io.bubus.internal.Timestamps;
import io.micrometer.context.ContextSnapshot;
import org.jspecify.annotations.Nullable;

/**
 * The runtime's state of one event across the buses it reached: status and timestamps,
 * path and bus entries (with their claims and hook sequences), result rows, parent link,
 * captured context, completion future, interceptor hold, handler selection and the
 * serial-handler lock.
 * <p>
 * Lock rule: this object's monitor is the <em>event monitor</em> of docs/architecture.md
 * (order 4, a leaf). It guards every field here that is not volatile, and every field of
 * the event's {@link EventResult} rows. It is never held while another event's monitor, a
 * processing slot or a handler lock is taken, nor while user code or a hook runs. It is a
 * separate object from the event, so user code that synchronizes on its own event objects
 * never contends with the runtime.
 */
final class EventState<R> {

	/**
	 * The completion timestamp claimed with the last row's, or {@link Timestamps#NONE}.
	 */
	long reservedCompletedAt = Timestamps.NONE;

	/** The emitting handler, until its id is asked for. */
	@Nullable EventHandler emittedBy;

	final ArrayList<String> eventPath = new ArrayList<>(2);

	int pendingBusCount;

	volatile EventStatus status = EventStatus.PENDING;

	/**
	 * Completed and released by the bus that finished it (see {@link Completions}): what
	 * wakes waiters. Written under the monitor.
	 */
	volatile boolean settled;

	long startedAt = Timestamps.NONE;

	long completedAt = Timestamps.NONE;

	/** Result rows in creation order (the first {@code resultCount} slots). */
	EventResult<?> @Nullable [] results;

	int resultCount;

	/** Handler id to slot, once an event has more rows than a linear search suits. */
	@Nullable HashMap<EventHandler, Integer> resultIndex;

	/**
	 * Whether a row's handler has a given id (so another handler object may share it).
	 */
	boolean explicitHandlerIds;

	static final BaseEvent.BusEntry[] NO_BUSES = new BaseEvent.BusEntry[0];

	/** Buses this event was accepted by, in path order, with their processing claim. */
	volatile BaseEvent.BusEntry[] buses = NO_BUSES;

	@Nullable BaseEvent<?> parent;

	@Nullable ContextSnapshot context;

	boolean contextCaptured;

	@Nullable CompletableFuture<BaseEvent<R>> completion;

	/** Why an {@link EmitInterceptor} holds the event (it was emitted, not yet taken). */
	volatile @Nullable String heldReason;

	/** Why an {@link EmitInterceptor} dropped the event instead of dispatching it. */
	volatile @Nullable String discardedReason;

	/** The handlers one bus runs (see {@link EventBus#emitForHandlers}); null = all. */
	volatile BaseEvent.@Nullable HandlerSelection handlerSelection;

	@Nullable ReentrantLock handlerLock;

}
