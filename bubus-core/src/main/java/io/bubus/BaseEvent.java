package io.bubus;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

import io.bubus.internal.Ids;
import io.bubus.internal.Timestamps;
import org.jspecify.annotations.Nullable;

/**
 * An event: a class per event type whose public fields (or bean properties) are the
 * payload, and whose type argument {@code R} is what handlers return.
 *
 * {@snippet :
 * public class OrderPlaced extends BaseEvent<String> {
 * 	public String orderId;
 *
 * 	public OrderPlaced() {
 * 	}
 *
 * 	public OrderPlaced(String orderId) {
 * 		this.orderId = orderId;
 * 	}
 * }
 *
 * OrderPlaced event = bus.emit(new OrderPlaced("o-1"));
 * String receipt = event.eventResult();   // waits, then the first non-null result
 * }
 *
 * The {@code event_*} metadata (id, type, status, path, parent, timestamps, results)
 * lives on the event next to the payload and travels with it in JSON. Per-event overrides
 * ({@link #setEventTimeout}, {@link #setEventConcurrency} ...) beat the processing bus's
 * defaults; a bus never writes them.
 * <p>
 * {@link #done()} waits for completion; inside a handler it runs the event right away
 * (queue-jump) instead of waiting for its turn. The result accessors
 * ({@link #eventResult()}, {@link #eventResultsList()}, {@link #first()}) wait the same
 * way and then throw handler errors; {@code done()} never does.
 *
 * @param <R> the handlers' result type ({@link Void} when handlers return nothing)
 */
public abstract class BaseEvent<R> {

	/**
	 * How long a handler awaiting a running event sleeps at most between looks at its
	 * tree.
	 */
	private static final long IN_HANDLER_RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

	private String eventId;

	private @Nullable String eventType;

	private String eventVersion = "0.0.1";

	private @Nullable ResultType resultType;

	private @Nullable Duration eventTimeout;

	private @Nullable Duration eventSlowTimeout;

	private @Nullable Duration eventHandlerTimeout;

	private @Nullable Duration eventHandlerSlowTimeout;

	private @Nullable EventConcurrency eventConcurrency;

	private @Nullable HandlerConcurrency eventHandlerConcurrency;

	/** Volatile: {@link #first()} sets it while a bus may be running the event. */
	private volatile @Nullable HandlerCompletion eventHandlerCompletion;

	private @Nullable String eventParentId;

	private @Nullable String eventEmittedByHandlerId;

	private long createdAt;

	/** Received payload fields this class does not declare, written back unchanged. */
	private tools.jackson.databind.node.@Nullable ObjectNode unknownFields;

	/**
	 * The runtime's state of this event across buses (status, bus entries, result rows,
	 * completion), and the monitor that guards it: the one runtime field a user's event
	 * class carries. Never serialized.
	 */
	final EventState<R> state = new EventState<>(this);

	/**
	 * Creates a pending event with a new UUIDv7 id.
	 * @throws IllegalArgumentException when a public field of the class has a reserved
	 * payload name ({@code bus}, {@code first}, an unknown {@code event_*},
	 * {@code model_*})
	 */
	protected BaseEvent() {
		// payload names of the class (bus, first, event_*, model_*) are checked once
		// per class
		EventTypes.validate(getClass());
		long now = Timestamps.now();
		this.createdAt = now;
		this.eventId = Ids.uuid7(now);
	}

	// ---- metadata ----

	/** The event id (UUIDv7 unless read from JSON). */
	public String eventId() {
		return this.eventId;
	}

	/**
	 * The event type: {@link EventType @EventType} if present, else the simple class
	 * name. Subclasses may override it.
	 */
	public String eventType() {
		String explicit = this.eventType;
		return (explicit != null) ? explicit : EventTypes.typeOf(getClass());
	}

	void setEventTypeInternal(String type) {
		this.eventType = type;
	}

	/** The event schema version, default {@code 0.0.1}. */
	public String eventVersion() {
		return this.eventVersion;
	}

	/** Sets the event schema version. */
	public void setEventVersion(String eventVersion) {
		this.eventVersion = eventVersion;
	}

	/** The lifecycle status. */
	public EventStatus eventStatus() {
		return this.state.status;
	}

	/** Labels of the buses this event was emitted to, in order. */
	public List<String> eventPath() {
		synchronized (this.state) {
			return List.copyOf(this.state.eventPath);
		}
	}

	/** Id of the event whose handler emitted this one, or {@code null}. */
	public @Nullable String eventParentId() {
		return this.eventParentId;
	}

	/**
	 * The parent event in this process: the event whose handler emitted this one, or
	 * {@code null} when there is none or it is known only by {@link #eventParentId() id}
	 * (an event read from JSON, or received over a bridge).
	 */
	public @Nullable BaseEvent<?> eventParent() {
		synchronized (this.state) {
			return this.state.parent;
		}
	}

	/** Sets the parent explicitly; an explicit parent is never overwritten by a bus. */
	public void setEventParentId(@Nullable String eventParentId) {
		this.eventParentId = eventParentId;
	}

	/** Id of the handler that emitted this event, or {@code null}. */
	public @Nullable String eventEmittedByHandlerId() {
		String id = this.eventEmittedByHandlerId;
		EventHandler handler = this.state.emittedBy;
		if (id == null && handler != null) {
			id = handler.id();
			this.eventEmittedByHandlerId = id;
		}
		return id;
	}

	void setEventEmittedByHandlerId(@Nullable String handlerId) {
		this.eventEmittedByHandlerId = handlerId;
		this.state.emittedBy = null;
	}

	/** When the event was created. */
	public Instant eventCreatedAt() {
		return Timestamps.toInstant(this.createdAt);
	}

	/** When a bus started processing it, or {@code null}. */
	public @Nullable Instant eventStartedAt() {
		synchronized (this.state) {
			return Timestamps.toInstant(this.state.startedAt);
		}
	}

	/** When it completed, or {@code null}. */
	public @Nullable Instant eventCompletedAt() {
		synchronized (this.state) {
			return Timestamps.toInstant(this.state.completedAt);
		}
	}

	/** How many buses still hold this event (queued or processing); 0 once completed. */
	public int eventPendingBusCount() {
		synchronized (this.state) {
			return this.state.pendingBusCount;
		}
	}

	// ---- per-event overrides ----

	/** Event timeout override ({@code null} = the processing bus's default). */
	public @Nullable Duration eventTimeout() {
		return this.eventTimeout;
	}

	/** Sets the event timeout override: a hard cap on the handler phase on each bus. */
	public void setEventTimeout(@Nullable Duration eventTimeout) {
		HandlerOptions.requirePositive("event_timeout", eventTimeout);
		this.eventTimeout = eventTimeout;
	}

	/** Slow-event warning threshold override. */
	public @Nullable Duration eventSlowTimeout() {
		return this.eventSlowTimeout;
	}

	/** Sets the slow-event warning threshold override. */
	public void setEventSlowTimeout(@Nullable Duration eventSlowTimeout) {
		HandlerOptions.requirePositive("event_slow_timeout", eventSlowTimeout);
		this.eventSlowTimeout = eventSlowTimeout;
	}

	/** Handler timeout override for this event's handlers. */
	public @Nullable Duration eventHandlerTimeout() {
		return this.eventHandlerTimeout;
	}

	/** Sets the handler timeout override for this event's handlers. */
	public void setEventHandlerTimeout(@Nullable Duration eventHandlerTimeout) {
		HandlerOptions.requirePositive("event_handler_timeout", eventHandlerTimeout);
		this.eventHandlerTimeout = eventHandlerTimeout;
	}

	/** Slow-handler warning threshold override for this event's handlers. */
	public @Nullable Duration eventHandlerSlowTimeout() {
		return this.eventHandlerSlowTimeout;
	}

	/** Sets the slow-handler warning threshold override. */
	public void setEventHandlerSlowTimeout(@Nullable Duration eventHandlerSlowTimeout) {
		HandlerOptions.requirePositive("event_handler_slow_timeout", eventHandlerSlowTimeout);
		this.eventHandlerSlowTimeout = eventHandlerSlowTimeout;
	}

	/** Event concurrency override. */
	public @Nullable EventConcurrency eventConcurrency() {
		return this.eventConcurrency;
	}

	/** Sets the event concurrency override. */
	public void setEventConcurrency(@Nullable EventConcurrency eventConcurrency) {
		this.eventConcurrency = eventConcurrency;
	}

	/** Handler concurrency override. */
	public @Nullable HandlerConcurrency eventHandlerConcurrency() {
		return this.eventHandlerConcurrency;
	}

	/** Sets the handler concurrency override. */
	public void setEventHandlerConcurrency(@Nullable HandlerConcurrency eventHandlerConcurrency) {
		this.eventHandlerConcurrency = eventHandlerConcurrency;
	}

	/** Handler completion override ({@link #first()} sets {@code FIRST}). */
	public @Nullable HandlerCompletion eventHandlerCompletion() {
		return this.eventHandlerCompletion;
	}

	/** Sets the handler completion override. */
	public void setEventHandlerCompletion(@Nullable HandlerCompletion eventHandlerCompletion) {
		this.eventHandlerCompletion = eventHandlerCompletion;
	}

	// ---- waiting ----

	/**
	 * Waits until the event is completed and returns it. Inside a handler the event is
	 * processed right away on every bus it was emitted to (queue-jump), so awaiting a
	 * child never deadlocks. Outside a handler, on a bus that is processing nothing, the
	 * event (with the events queued ahead of it) runs on the calling thread instead of
	 * waking the bus's runloop (FIFO order and locks as on the runloop). Never throws
	 * handler errors.
	 * @throws IllegalStateException when the event was never emitted
	 */
	public BaseEvent<R> done() {
		if (this.state.status != EventStatus.COMPLETED && HandlerScope.current() == null) {
			// next in an idle bus's queue: run it here instead of waking the runloop
			BusRunloop.runIfNext(this);
		}
		return awaitDone(-1);
	}

	/**
	 * Like {@link #done()}, waiting at most the timeout.
	 * @throws EventTimeoutException when the event is not completed in time
	 */
	public BaseEvent<R> done(Duration timeout) {
		return awaitDone(Math.max(0, timeout.toNanos()));
	}

	/**
	 * Completes when the event is completed, in queue order (never jumps the queue).
	 * Inside a handler on a bus-serial bus, waiting on this for a child of the current
	 * event would wait for the current handler itself: use {@link #done()} there.
	 */
	public CompletableFuture<BaseEvent<R>> completion() {
		CompletableFuture<BaseEvent<R>> future;
		synchronized (this.state) {
			if (this.state.completion == null) {
				this.state.completion = new CompletableFuture<>();
				if (this.state.settled) {
					this.state.completion.complete(this);
				}
				else if (this.state.discardedReason != null) {
					this.state.completion.completeExceptionally(notDispatched());
				}
			}
			future = this.state.completion;
		}
		if (!future.isDone()) {
			// someone waits: runloops whose start was deferred start now
			for (BusEntry entry : this.state.busEntries()) {
				entry.bus.runloop().startLoopIfQueued();
			}
		}
		return future;
	}

	private BaseEvent<R> awaitDone(long timeoutNanos) {
		if (this.state.settled || (this.state.status == EventStatus.COMPLETED && Completions.holds(this))) {
			return this;
		}
		if (!this.state.wasEmitted()) {
			throw notDispatched();
		}
		HandlerScope scope = HandlerScope.current();
		if (scope != null) {
			return awaitInHandler(scope, timeoutNanos);
		}
		CompletableFuture<BaseEvent<R>> future = completion();
		try {
			if (timeoutNanos < 0) {
				future.get();
			}
			else {
				future.get(timeoutNanos, TimeUnit.NANOSECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw interrupted(null);
		}
		catch (TimeoutException ex) {
			throw timedOut(timeoutNanos);
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException(ex.getCause());
		}
		return this;
	}

	/**
	 * Queue-jump: runs the event now on every bus it was emitted to, for the handler that
	 * awaits it. While it waits, the handler lets go of the handler locks of the events
	 * it is handling, so that another bus processing one of those events (a forwarded
	 * parent whose visit there holds that bus's lock) can finish instead of waiting for
	 * this handler while this handler waits for that bus.
	 */
	private BaseEvent<R> awaitInHandler(HandlerScope scope, long timeoutNanos) {
		if (scope.handles(this)) {
			throw new IllegalStateException("A handler of " + label()
					+ " cannot wait for that same event to complete; it completes after the handler returns");
		}
		List<HandlerScope.HeldLock> yielded = scope.yieldHandlerLocks();
		try {
			BusRunloop.runNow(this, scope);
			throwIfAborted(scope);
			if (this.state.status != EventStatus.COMPLETED) {
				// another thread still runs part of it
				awaitInHandler(completion(), scope, timeoutNanos);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw interrupted(scope);
		}
		catch (TimeoutException ex) {
			throw timedOut(timeoutNanos);
		}
		finally {
			HandlerScope.reclaim(yielded);
		}
		throwIfAborted(scope);
		return this;
	}

	private EventTimeoutException timedOut(long timeoutNanos) {
		return new EventTimeoutException(label() + " did not complete within " + Duration.ofNanos(timeoutNanos)
				+ " (status " + this.state.status.wireValue() + ")");
	}

	/**
	 * Waits inside a handler. A bus may have started this event before the handler
	 * awaited it; what that run emits then waits in a queue the awaiting handler paused
	 * or behind a lock it holds, and only this thread can run it. So the thread sleeps
	 * until the event completes or something is emitted anywhere, and then runs what of
	 * the event's tree is still queued.
	 */
	private void awaitInHandler(CompletableFuture<BaseEvent<R>> future, HandlerScope scope, long timeoutNanos)
			throws InterruptedException, TimeoutException {
		Thread waiter = Thread.currentThread();
		long deadline = System.nanoTime() + timeoutNanos;
		future.whenComplete((event, error) -> LockSupport.unpark(waiter));
		BusRunloop.addInHandlerWaiter(waiter);
		// a thread running part of this event may need a lock this handler's chain holds
		Object outerWait = LockWaits.awaitEvent(this, scope);
		try {
			while (!future.isDone()) {
				long park = IN_HANDLER_RECHECK_NANOS;
				if (timeoutNanos >= 0) {
					long left = deadline - System.nanoTime();
					if (left <= 0) {
						throw new TimeoutException();
					}
					park = Math.min(park, left);
				}
				LockSupport.parkNanos(this, park);
				if (Thread.interrupted()) {
					throw new InterruptedException();
				}
				if (!future.isDone()) {
					BusRunloop.runNow(this, scope);
					throwIfAborted(scope);
				}
			}
		}
		finally {
			LockWaits.endAwait(outerWait);
			BusRunloop.removeInHandlerWaiter(waiter);
		}
	}

	/**
	 * A handler whose own row was ended (timeout, abort) must not carry on after a wait.
	 */
	private void throwIfAborted(HandlerScope scope) {
		if (scope.result.status() == ResultStatus.ERROR) {
			throw interrupted(scope);
		}
	}

	private CancellationException interrupted(@Nullable HandlerScope scope) {
		if (scope != null && scope.result.isTerminal()) {
			Throwable reason = scope.result.error();
			return new EventHandlerAbortedException(
					"Handler " + scope.result.handler().label() + " was stopped while waiting for " + label(), reason);
		}
		return new CancellationException("Interrupted while waiting for " + label());
	}

	// ---- results ----

	/**
	 * Waits like {@link #done()}, then returns the first non-null completed result in
	 * handler order.
	 * @throws NoEventResultException when no handler returned a result
	 * @throws RuntimeException the handler's exception when exactly one failed (checked
	 * ones wrapped in {@link EventHandlerException}), {@link EventHandlerErrors} when
	 * several did
	 */
	public @Nullable R eventResult() {
		List<R> values = eventResultsList();
		return values.isEmpty() ? null : values.get(0);
	}

	/**
	 * Waits like {@link #done()}, then all non-null results in handler order. Throws like
	 * {@link #eventResult()}.
	 */
	public List<R> eventResultsList() {
		return eventResultsList(ResultFilter.defaults());
	}

	/** Waits like {@link #done()}, then the results the filter includes. */
	@SuppressWarnings("unchecked")
	public List<R> eventResultsList(ResultFilter filter) {
		done();
		List<EventResult<?>> rows = resultRows();
		if (filter.raiseIfAny) {
			raiseErrors(rows, false);
		}
		List<R> values = new ArrayList<>(rows.size());
		for (EventResult<?> row : rows) {
			if (filter.include.test(row)) {
				Object value = row.rawResult();
				values.add((value instanceof BaseEvent<?>) ? null : (R) value);
			}
		}
		if (filter.raiseIfNone && values.isEmpty()) {
			throw new NoEventResultException(
					"Expected at least one handler to return a non-null result, but none did: " + label());
		}
		return values;
	}

	/**
	 * Sets completion to {@link HandlerCompletion#FIRST}, waits, and returns the first
	 * non-null, non-event result ({@code 0}, {@code false} and {@code ""} count). Returns
	 * {@code null} when every handler returned null; throws like {@link #eventResult()}
	 * when there is no winner and handlers failed.
	 */
	@SuppressWarnings("unchecked")
	public @Nullable R first() {
		this.eventHandlerCompletion = HandlerCompletion.FIRST;
		// a bus may already be running the event (emit returns before first() is called)
		for (EventResult<?> row : resultRows()) {
			Visit visit = row.visit;
			if (visit != null) {
				visit.firstRequested();
			}
		}
		done();
		List<EventResult<?>> rows = resultRows();
		for (EventResult<?> row : rows) {
			if (Visit.isWinner(row)) {
				return (R) row.rawResult();
			}
		}
		raiseErrors(rows, true);
		return null;
	}

	private void raiseErrors(List<EventResult<?>> rows, boolean skipControl) {
		List<Throwable> errors = new ArrayList<>();
		for (EventResult<?> row : rows) {
			Throwable error = row.error();
			if (error != null && !(skipControl && error instanceof CancellationException)) {
				errors.add(error);
			}
		}
		if (errors.size() == 1) {
			Throwable error = errors.get(0);
			if (error instanceof RuntimeException runtime) {
				throw runtime;
			}
			if (error instanceof Error fatal) {
				throw fatal;
			}
			throw new EventHandlerException("Handler of " + label() + " failed: " + error, error);
		}
		if (errors.size() > 1) {
			throw new EventHandlerErrors("Event " + label() + " had " + errors.size() + " handler error(s)", errors);
		}
	}

	/**
	 * Handler id to result row, in creation order, across every bus the event visited.
	 */
	@SuppressWarnings("unchecked")
	public Map<String, EventResult<R>> eventResults() {
		synchronized (this.state) {
			if (this.state.results == null) {
				return Map.of();
			}
			LinkedHashMap<String, EventResult<R>> copy = new LinkedHashMap<>();
			for (int i = 0; i < this.state.resultCount; i++) {
				EventResult<?> row = this.state.results[i];
				copy.put(row.handlerId(), (EventResult<R>) row);
			}
			return java.util.Collections.unmodifiableMap(copy);
		}
	}

	List<EventResult<?>> resultRows() {
		synchronized (this.state) {
			return (this.state.results == null) ? List.of() : java.util.Collections
				.unmodifiableList(Arrays.asList(Arrays.copyOf(this.state.results, this.state.resultCount)));
		}
	}

	/** Events emitted by this event's handlers, in emit order, without duplicates. */
	public List<BaseEvent<?>> eventChildren() {
		List<BaseEvent<?>> children = new ArrayList<>();
		for (EventResult<?> row : resultRows()) {
			for (BaseEvent<?> child : row.eventChildren()) {
				if (!children.contains(child)) {
					children.add(child);
				}
			}
		}
		return children;
	}

	/**
	 * A fresh copy: new id, pending, no results; keeps the payload, path, parent,
	 * overrides and {@code event_created_at} (as Python and TypeScript bubus do, so a
	 * received event tells when its sender created it). Use it to run an event again on
	 * another bus (a completed event emitted again is not processed twice). Because the
	 * path is kept, a bus already in it ignores the copy: that is what stops loops across
	 * bridges.
	 */
	public BaseEvent<R> reset() {
		@SuppressWarnings("unchecked")
		BaseEvent<R> copy = (BaseEvent<R>) EventJson.copyOf(this);
		copy.eventId = Ids.uuid7();
		copy.state.status = EventStatus.PENDING;
		copy.state.settled = false;
		copy.state.startedAt = Timestamps.NONE;
		copy.state.completedAt = Timestamps.NONE;
		copy.state.pendingBusCount = 0;
		copy.state.results = null;
		copy.state.resultCount = 0;
		copy.state.resultIndex = null;
		copy.state.explicitHandlerIds = false;
		return copy;
	}

	// ---- JSON ----

	/**
	 * The bubus JSON of this event, with its results as an array (what Java and bubus-ts
	 * read).
	 */
	public String toJson() {
		return EventJson.write(this, JsonResults.ARRAY);
	}

	/**
	 * The bubus JSON of this event with its results written as {@code results} says:
	 * {@link JsonResults#OBJECT} for Python's {@code BaseEvent} reader,
	 * {@link JsonResults#NONE} for what every reader takes (the bridges send that).
	 */
	public String toJson(JsonResults results) {
		return EventJson.write(this, java.util.Objects.requireNonNull(results, "results"));
	}

	/**
	 * Reads bubus JSON: an instance of the class registered for its {@code event_type},
	 * or a {@link DynamicEvent}.
	 * @throws IllegalArgumentException naming the offending field when the JSON is
	 * invalid
	 */
	public static BaseEvent<?> fromJson(String json) {
		return EventJson.read(json, null);
	}

	/** Reads bubus JSON into the given event class. */
	public static <E extends BaseEvent<?>> E fromJson(String json, Class<E> type) {
		return type.cast(EventJson.read(json, type));
	}

	/**
	 * This event as an instance of the class: itself when it is one, otherwise a copy
	 * with the same id and fields read into the class (a {@link DynamicEvent} from a
	 * bridge, or a sibling class under the same event type). Results are not copied.
	 * @throws IllegalArgumentException when the fields do not fit the class
	 */
	public <E extends BaseEvent<?>> E as(Class<E> type) {
		return type.isInstance(this) ? type.cast(this) : EventJson.convert(this, type);
	}

	/** Makes an event class known to {@link #fromJson(String)} under its event type. */
	public static void register(Class<? extends BaseEvent<?>> type) {
		EventTypes.register(type);
	}

	// ---- labels ----

	/** {@code Type#abcd}. */
	String label() {
		return eventType() + "#" + Ids.id4(this.eventId);
	}

	@Override
	public String toString() {
		String icon = switch (this.state.status) {
			case COMPLETED -> "✅";
			case STARTED -> "🏃";
			case PENDING -> "⏳";
		};
		String last;
		synchronized (this.state) {
			last = this.state.eventPath.isEmpty() ? "?" : this.state.eventPath.get(this.state.eventPath.size() - 1);
		}
		return last + "▶ " + label() + " " + icon;
	}

	// ---- runtime internals (package-private) ----

	ResultType resultType() {
		ResultType explicit = this.resultType;
		return (explicit != null) ? explicit : ResultType.of(getClass());
	}

	void setResultType(@Nullable ResultType resultType) {
		this.resultType = resultType;
	}

	@Nullable ResultType explicitResultType() {
		return this.resultType;
	}

	tools.jackson.databind.node.@Nullable ObjectNode unknownFields() {
		return this.unknownFields;
	}

	void setUnknownFields(tools.jackson.databind.node.@Nullable ObjectNode unknownFields) {
		this.unknownFields = unknownFields;
	}

	/** Whether no bus has taken this event and it has no results: a new event. */
	boolean untouched() {
		synchronized (this.state) {
			return this.state.buses.length == 0 && this.state.resultCount == 0
					&& this.state.status == EventStatus.PENDING;
		}
	}

	/**
	 * Takes the id, creation time and finished rows of the same emission recorded before
	 * a restart (see {@link EventBusMiddleware#recordedEmission}); a bus skips the
	 * handlers whose rows are finished.
	 */
	void adoptRecorded(BaseEvent<?> recorded) {
		setIdentity(recorded.eventId, recorded.createdAt);
		for (EventResult<?> row : recorded.resultRows()) {
			if (row.isTerminal()) {
				this.state.putResult(row.copyFor(this));
			}
		}
	}

	void setIdentity(String id, long createdAtNanos) {
		this.eventId = id;
		this.createdAt = createdAtNanos;
	}

	long createdAtNanos() {
		return this.createdAt;
	}

	long startedAtNanos() {
		synchronized (this.state) {
			return this.state.startedAt;
		}
	}

	long completedAtNanos() {
		synchronized (this.state) {
			return this.state.completedAt;
		}
	}

	void restoreState(EventStatus newStatus, long started, long completed, int pendingBuses, List<String> path) {
		synchronized (this.state) {
			this.state.status = newStatus;
			// a completed event read from JSON has no bus to let go of it
			this.state.settled = newStatus == EventStatus.COMPLETED;
			this.state.startedAt = started;
			this.state.completedAt = completed;
			this.state.pendingBusCount = pendingBuses;
			this.state.eventPath.clear();
			this.state.eventPath.addAll(path);
		}
	}

	@Nullable BaseEvent<?> parent() {
		return this.state.parent;
	}

	/**
	 * Links this event under the handler that emitted it, unless a parent is already set.
	 * An event with another explicit parent is not listed as the handler's child: the
	 * handler's event would wait for it without ever hearing of its completion.
	 */
	void linkParent(BaseEvent<?> parentEvent, EventResult<?> emittingRow) {
		boolean child;
		synchronized (this.state) {
			if (this.eventParentId == null) {
				this.eventParentId = parentEvent.eventId;
			}
			if (this.eventEmittedByHandlerId == null && this.state.emittedBy == null) {
				this.state.emittedBy = emittingRow.handler();
			}
			child = parentEvent.eventId.equals(this.eventParentId);
			if (this.state.parent == null && child) {
				this.state.parent = parentEvent;
			}
		}
		if (child) {
			emittingRow.addChild(this);
		}
	}

	IllegalStateException notDispatched() {
		String held = this.state.heldReason;
		if (held != null) {
			return new IllegalStateException(label() + " " + held);
		}
		String discarded = this.state.discardedReason;
		if (discarded != null) {
			return new IllegalStateException(label() + " was not dispatched: " + discarded);
		}
		return new IllegalStateException(label() + " has not been emitted to any bus; call bus.emit(event) first");
	}

	/**
	 * The event on one bus: whether that bus claimed it, and the sequence its middleware
	 * hooks (event and result hooks alike) run in.
	 */
	static final class BusEntry extends HookSequence {

		final EventBus bus;

		boolean claimed;

		/** Event phases reported to this bus's middlewares so far; under the monitor. */
		int reported;

		BusEntry(EventBus bus) {
			this.bus = bus;
		}

	}

}
