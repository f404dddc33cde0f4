package io.bubus;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

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

	/** The event this is the state of. */
	final BaseEvent<R> event;

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
	volatile @Nullable HandlerSelection handlerSelection;

	@Nullable ReentrantLock handlerLock;

	EventState(BaseEvent<R> event) {
		this.event = event;
	}

	/** Adds the row, or replaces the row of the same handler in its place. */
	void putResult(EventResult<?> row) {
		synchronized (this) {
			EventHandler handler = row.handler();
			int slot = resultSlot(handler);
			if (slot >= 0) {
				this.results[slot] = row;
				return;
			}
			this.explicitHandlerIds |= handler.hasExplicitId();
			if (this.results == null) {
				this.results = new EventResult<?>[2];
			}
			else if (this.resultCount == this.results.length) {
				this.results = Arrays.copyOf(this.results, this.resultCount * 2);
			}
			this.results[this.resultCount] = row;
			if (this.resultIndex != null) {
				this.resultIndex.put(handler, this.resultCount);
			}
			this.resultCount++;
			if (this.resultIndex == null && this.resultCount > 8) {
				HashMap<EventHandler, Integer> index = new HashMap<>();
				for (int i = 0; i < this.resultCount; i++) {
					index.put(this.results[i].handler(), i);
				}
				this.resultIndex = index;
			}
		}
	}

	@Nullable EventResult<?> resultFor(String handlerId) {
		synchronized (this) {
			for (int i = 0; i < this.resultCount; i++) {
				if (this.results[i].handlerId().equals(handlerId)) {
					return this.results[i];
				}
			}
			return null;
		}
	}

	@Nullable EventResult<?> resultFor(EventHandler handler) {
		synchronized (this) {
			int slot = resultSlot(handler);
			return (slot >= 0) ? this.results[slot] : null;
		}
	}

	/**
	 * Slot of the handler's row, or -1; under this object's monitor. Rows are found by
	 * handler object; by id only when a given id is involved (see
	 * {@link EventHandler#same}).
	 */
	private int resultSlot(EventHandler handler) {
		if (this.results == null) {
			return -1;
		}
		if (this.resultIndex != null) {
			Integer slot = this.resultIndex.get(handler);
			if (slot != null) {
				return slot;
			}
		}
		else {
			for (int i = 0; i < this.resultCount; i++) {
				if (this.results[i].handler() == handler) {
					return i;
				}
			}
		}
		if (this.explicitHandlerIds || handler.hasExplicitId()) {
			for (int i = 0; i < this.resultCount; i++) {
				if (EventHandler.same(this.results[i].handler(), handler)) {
					return i;
				}
			}
		}
		return -1;
	}

	void hold(String reason) {
		this.heldReason = reason;
	}

	/** After the held emit was released, so a done() meanwhile saw the hold. */
	void unhold() {
		this.heldReason = null;
	}

	void discard(String reason) {
		CompletableFuture<BaseEvent<R>> future;
		synchronized (this) {
			this.heldReason = null;
			this.discardedReason = reason;
			future = this.completion;
		}
		if (future != null) {
			future.completeExceptionally(this.event.notDispatched());
		}
	}

	void selectHandlers(EventBus bus, Set<String> handlerIds) {
		this.handlerSelection = new HandlerSelection(bus, handlerIds);
	}

	/** Whether the bus runs this handler for the event (see {@link #selectHandlers}). */
	boolean selects(EventBus bus, EventHandler handler) {
		HandlerSelection selection = this.handlerSelection;
		return selection == null || selection.bus != bus || selection.handlerIds.contains(handler.id());
	}

	void captureContextOnce() {
		synchronized (this) {
			if (!this.contextCaptured) {
				this.contextCaptured = true;
				this.context = ContextCapture.capture();
			}
		}
	}

	@Nullable ContextSnapshot context() {
		return this.context;
	}

	/** The handler lock if a serial visit created it, without creating it. */
	@Nullable ReentrantLock existingHandlerLock() {
		synchronized (this) {
			return this.handlerLock;
		}
	}

	ReentrantLock handlerLock() {
		synchronized (this) {
			if (this.handlerLock == null) {
				this.handlerLock = new ReentrantLock(true);
			}
			return this.handlerLock;
		}
	}

	boolean wasEmitted() {
		synchronized (this) {
			return this.buses.length > 0;
		}
	}

	/**
	 * Whether the bus may take this event: false when the bus already took it or when its
	 * label is in the path (loop prevention, also across processes).
	 */
	boolean acceptable(EventBus bus) {
		synchronized (this) {
			for (BaseEvent.BusEntry entry : this.buses) {
				if (entry.bus == bus) {
					return false;
				}
			}
			return !this.eventPath.contains(bus.label());
		}
	}

	void accept(EventBus bus) {
		synchronized (this) {
			// another bus takes it: it completes later than a finishing row foresaw
			this.reservedCompletedAt = Timestamps.NONE;
			if (this.status == EventStatus.COMPLETED) {
				// a completed event sent on to another bus is open again until that bus
				// is done
				this.status = EventStatus.STARTED;
				this.settled = false;
				this.completedAt = Timestamps.NONE;
				this.completion = null;
			}
			if (!this.eventPath.contains(bus.label())) {
				this.eventPath.add(bus.label());
			}
			BaseEvent.BusEntry[] next = Arrays.copyOf(this.buses, this.buses.length + 1);
			next[next.length - 1] = new BaseEvent.BusEntry(bus);
			this.buses = next;
			this.pendingBusCount++;
		}
	}

	/**
	 * Takes the right to process this event on the bus; false when someone else has it.
	 */
	boolean claim(EventBus bus) {
		synchronized (this) {
			for (BaseEvent.BusEntry entry : this.buses) {
				if (entry.bus == bus) {
					if (entry.claimed) {
						return false;
					}
					entry.claimed = true;
					return true;
				}
			}
			return false;
		}
	}

	/** Whether the bus took this event for processing (or cancelled it there). */
	boolean claimedBy(EventBus bus) {
		synchronized (this) {
			for (BaseEvent.BusEntry entry : this.buses) {
				if (entry.bus == bus) {
					return entry.claimed;
				}
			}
			return false;
		}
	}

	/**
	 * Puts an event read from a bus snapshot back on the restored bus: the pending bus
	 * count read from JSON counted the original bus, this one replaces it.
	 */
	void acceptRestored(EventBus bus) {
		synchronized (this) {
			this.pendingBusCount = 0;
		}
		accept(bus);
	}

	List<EventBus> busesInPathOrder() {
		BaseEvent.BusEntry[] entries = this.buses;
		List<EventBus> list = new ArrayList<>(entries.length);
		for (BaseEvent.BusEntry entry : entries) {
			list.add(entry.bus);
		}
		return list;
	}

	/**
	 * The buses this event was accepted by, in path order (a snapshot, never changed).
	 */
	BaseEvent.BusEntry[] busEntries() {
		return this.buses;
	}

	/**
	 * Whether the row finishing now is the last open part of this event, so that the
	 * event completes as soon as its one bus lets go, with nothing in between that could
	 * observe time (no middleware hooks). Under this object's monitor.
	 */
	boolean completesWith(EventResult<?> finishing) {
		// a few rows at most: a fan-out to thousands of handlers would scan them all for
		// each finishing row
		if (this.resultCount > 8 || this.buses.length != 1 || this.pendingBusCount != 1
				|| !this.buses[0].bus.middlewares().isEmpty()) {
			return false;
		}
		for (int i = 0; i < this.resultCount; i++) {
			EventResult<?> row = this.results[i];
			if ((row != finishing && !row.isTerminal()) || row.hasOpenChild()) {
				return false;
			}
		}
		return true;
	}

	/** The completion timestamp claimed with the last row's; under the event monitor. */
	void reserveCompletion(long completedAt) {
		this.reservedCompletedAt = completedAt;
	}

	void busFinished() {
		synchronized (this) {
			if (this.pendingBusCount > 0) {
				this.pendingBusCount--;
			}
		}
		tryComplete();
	}

	void noteStarted(long now) {
		synchronized (this) {
			if (this.status == EventStatus.PENDING) {
				this.status = EventStatus.STARTED;
			}
			if (this.startedAt == Timestamps.NONE || now < this.startedAt) {
				this.startedAt = now;
			}
			this.completedAt = Timestamps.NONE;
		}
	}

	/**
	 * Wakes the waiters of a completed event (see {@link Completions}). The future taken
	 * when it completed is completed even if another bus took the event meanwhile and
	 * opened it again; a future asked for since then is completed if it is still
	 * completed.
	 */
	@SuppressWarnings("unchecked")
	void settle(@Nullable CompletableFuture<?> taken) {
		CompletableFuture<BaseEvent<R>> current = null;
		synchronized (this) {
			if (this.status == EventStatus.COMPLETED) {
				this.settled = true;
				current = this.completion;
			}
		}
		if (taken != null) {
			((CompletableFuture<Object>) taken).complete(this.event);
		}
		if (current != null && current != taken) {
			current.complete(this.event);
		}
	}

	/**
	 * Completes the event when every row is terminal, no bus holds it and every child is
	 * completed.
	 */
	void tryComplete() {
		CompletableFuture<BaseEvent<R>> future;
		BaseEvent<?> parentEvent;
		BaseEvent.BusEntry[] holders;
		synchronized (this) {
			if (this.status == EventStatus.COMPLETED || this.pendingBusCount > 0) {
				return;
			}
			if (this.results != null) {
				for (int i = 0; i < this.resultCount; i++) {
					EventResult<?> row = this.results[i];
					if (!row.isTerminal()) {
						return;
					}
					for (BaseEvent<?> child : row.eventChildren()) {
						if (child.state.status != EventStatus.COMPLETED) {
							return;
						}
					}
				}
			}
			long now = this.reservedCompletedAt;
			if (now == Timestamps.NONE) {
				now = Timestamps.now();
			}
			this.reservedCompletedAt = Timestamps.NONE;
			this.completedAt = now;
			if (this.startedAt == Timestamps.NONE) {
				this.startedAt = now;
			}
			this.status = EventStatus.COMPLETED;
			this.context = null;
			future = this.completion;
			parentEvent = this.parent;
			holders = this.buses;
		}
		// buses trim their history first, so a waiter that wakes up sees it within limits
		for (BaseEvent.BusEntry holder : holders) {
			holder.bus.eventCompleted(this.event);
		}
		// when this thread finishes a visit: after that bus let go of the event
		Completions.settle(this.event, future);
		if (parentEvent != null) {
			parentEvent.state.tryComplete();
		}
	}

	/**
	 * Runs the bus's event hooks up to {@code status}, each phase once and in order. A
	 * phase that never happened on that bus (an event cancelled before the bus started
	 * it) is reported right before the later one, so hooks always see the full sequence.
	 */
	void reportPhase(EventBus bus, EventStatus status, Consumer<EventStatus> fire) {
		BaseEvent.BusEntry entry = entryFor(bus);
		if (entry == null) {
			return;
		}
		// hooks for one event on one bus never overlap and run in phase order
		synchronized (entry) {
			while (entry.reported <= status.ordinal()) {
				EventStatus phase = EventStatus.values()[entry.reported++];
				entry.queueHook(() -> fire.accept(phase));
			}
		}
		entry.runHooks();
	}

	/** This event's entry for the bus, or {@code null} when the bus never took it. */
	BaseEvent.@Nullable BusEntry entryFor(EventBus bus) {
		BaseEvent.BusEntry[] entries = this.buses;
		for (int i = entries.length - 1; i >= 0; i--) {
			if (entries[i].bus == bus) {
				return entries[i];
			}
		}
		return null;
	}

	/** The handlers one bus runs for the event (see {@link EventBus#emitForHandlers}). */
	record HandlerSelection(EventBus bus, Set<String> handlerIds) {
	}

}
