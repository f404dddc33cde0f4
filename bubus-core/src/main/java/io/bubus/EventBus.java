package io.bubus;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

import io.bubus.internal.Ids;
import io.bubus.internal.Timer;
import io.bubus.internal.Timestamps;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A typed, in-process event bus.
 *
 * {@snippet :
 * try (EventBus bus = new EventBus("Orders")) {
 * 	bus.on(OrderPlaced.class, (event) -> "receipt for " + event.orderId);
 * 	OrderPlaced event = bus.emit(new OrderPlaced("o-1"));   // returns at once, pending
 * 	String receipt = event.eventResult();                    // waits, then the result
 * 	System.out.println(bus.logTree());
 * }
 * }
 *
 * <h2>What it does</h2>
 * <ul>
 * <li><b>Handlers</b>: {@link #on(Class, EventHandlerFunction)} by class, by type string
 * or {@code "*"}; exact-type handlers run before wildcard handlers, each group in
 * registration order. {@link #register(Object)} registers every {@link BubusHandler}
 * method.</li>
 * <li><b>Emit and results</b>: {@link #emit} queues the event and returns the same
 * object. Each handler gets an {@link EventResult} row; an exception is captured there
 * and the bus keeps going. {@link BaseEvent#eventResult()} and friends wait and return
 * values.</li>
 * <li><b>FIFO</b>: one queue per bus; events start in emit order.</li>
 * <li><b>Queue-jump</b>: a handler that emits a child and calls {@link BaseEvent#done()}
 * gets the child processed right away, ahead of the queue, without deadlock.</li>
 * <li><b>Lineage</b>: events emitted inside a handler record their parent and the
 * emitting handler; {@link #logTree()} prints the causal tree.</li>
 * <li><b>Forwarding</b>: {@code a.on("*", b::emit)}; one event object collects results
 * from every bus, its {@code event_path} grows, and loops stop.</li>
 * <li><b>Concurrency</b>: {@link EventConcurrency} between events (global-serial,
 * bus-serial, parallel) and {@link HandlerConcurrency} between one event's handlers, per
 * bus with per-event overrides.</li>
 * <li><b>Timeouts</b>: event and handler timeouts abort running handlers (interrupting
 * their threads), cancel pending ones, and cascade to the children they emitted.</li>
 * <li><b>History and find</b>: bounded history ({@code maxHistorySize},
 * {@code maxHistoryDrop}); {@link #find(Class)} looks back in history and/or waits for a
 * future event.</li>
 * <li><b>Context</b>: thread-local context registered with Micrometer's
 * {@code ContextRegistry} (MDC, trace, request scope in Spring) is captured at emit and
 * restored around every handler.</li>
 * <li><b>JSON</b>: {@link BaseEvent#toJson()} / {@link BaseEvent#fromJson(String)} speak
 * the bubus wire format of the Python and TypeScript implementations.</li>
 * </ul>
 *
 * <h2>Threads</h2> Each bus drains its queue on one virtual thread, started when events
 * arrive and ended when the queue is empty. Serial handlers run on that thread; parallel
 * handlers and parallel events get virtual threads of their own; a queue-jumped child
 * runs on the awaiting handler's thread. {@link BaseEvent#done()} called outside any
 * handler on an event that is next in the queue of a bus not processing anything runs it
 * on the calling thread, as the runloop would have (same locks, same order). Blocking in
 * a handler (JDBC, HTTP) is fine and does not stall other buses.
 */
public class EventBus implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(EventBus.class);

	private static final Map<String, WeakReference<EventBus>> NAMES = new ConcurrentHashMap<>();

	private static final Pattern NAME_PATTERN = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

	static {
		// far deadlines of running visits (60 s timeouts, slow warnings) cost no timer
		// each: the timer's sweep arms them once they come near
		Timer.onSweep(EventBus::sweepVisits);
	}

	private final String id;

	private final String name;

	private final String label;

	private final EventConcurrency eventConcurrency;

	private final HandlerConcurrency eventHandlerConcurrency;

	private final HandlerCompletion eventHandlerCompletion;

	private final @Nullable Duration eventTimeout;

	private final @Nullable Duration eventSlowTimeout;

	private final @Nullable Duration eventHandlerTimeout;

	private final @Nullable Duration eventHandlerSlowTimeout;

	private final @Nullable Integer maxHistorySize;

	private final boolean maxHistoryDrop;

	private final boolean detectFilePaths;

	private final BusHooks hooks;

	private final @Nullable EventHistoryStore historyStore;

	private final @Nullable EmitInterceptor emitInterceptor;

	private final @Nullable UnaryOperator<String> logErrorMessages;

	private volatile HandlerIndex handlers = HandlerIndex.EMPTY;

	private final Object handlersLock = new Object();

	private final BusHistory history;

	/** The queue and runloop; created last in the constructor (it reads the name). */
	private final BusRunloop runloop;

	private final CopyOnWriteArrayList<Find.Waiter> waiters = new CopyOnWriteArrayList<>();

	/**
	 * A bus with every default and a generated name ({@code EventBus_<last 8 of id>}).
	 */
	public EventBus() {
		this(builder(null));
	}

	/** A bus with every default. */
	public EventBus(String name) {
		this(builder(name));
	}

	/** A bus configured by the builder. */
	protected EventBus(Builder builder) {
		this.id = (builder.id != null) ? builder.id : Ids.uuid7();
		String requested = (builder.name != null) ? builder.name : getClass().getSimpleName() + "_" + Ids.id8(this.id);
		if (!NAME_PATTERN.matcher(requested).matches()) {
			throw new IllegalArgumentException("EventBus name must be a unique identifier string, got: " + requested);
		}
		this.name = claimName(requested, this);
		this.label = this.name + "#" + Ids.id4(this.id);
		this.runloop = new BusRunloop(this);
		this.eventConcurrency = builder.eventConcurrency;
		this.eventHandlerConcurrency = builder.eventHandlerConcurrency;
		this.eventHandlerCompletion = builder.eventHandlerCompletion;
		this.eventTimeout = builder.eventTimeout;
		this.eventSlowTimeout = builder.eventSlowTimeout;
		this.eventHandlerTimeout = builder.eventHandlerTimeout;
		this.eventHandlerSlowTimeout = builder.eventHandlerSlowTimeout;
		this.maxHistorySize = builder.maxHistorySize;
		this.maxHistoryDrop = builder.maxHistoryDrop;
		this.detectFilePaths = builder.detectFilePaths;
		this.historyStore = builder.historyStore;
		this.emitInterceptor = builder.emitInterceptor;
		this.logErrorMessages = builder.logErrorMessages;
		List<EventBusMiddleware> middlewares = new ArrayList<>(builder.middlewares);
		if (this.historyStore != null) {
			middlewares.add(new HistoryStoreWriter(this.historyStore));
		}
		this.hooks = new BusHooks(this, middlewares);
		this.history = new BusHistory(this.label, this.maxHistorySize, this.maxHistoryDrop);
	}

	/** A builder for a bus with this name ({@code null} = generated). */
	public static Builder builder(@Nullable String name) {
		return new Builder(name);
	}

	private static String claimName(String requested, EventBus bus) {
		WeakReference<EventBus> ref = new WeakReference<>(bus);
		WeakReference<EventBus> existing = NAMES.putIfAbsent(requested, ref);
		if (existing == null) {
			return requested;
		}
		EventBus holder = existing.get();
		if ((holder == null || holder.stoppedBeforeRenamed()) && NAMES.replace(requested, existing, ref)) {
			return requested;
		}
		String unique = requested + "_" + Ids.id8(Ids.uuid7());
		log.warn("⚠️ EventBus with name \"{}\" already exists. Auto-generated unique name: \"{}\" "
				+ "(give each live bus its own name, or stop() the old one first)", requested, unique);
		NAMES.put(unique, ref);
		return unique;
	}

	/**
	 * Whether this bus stopped, so a new bus may take its name. A bus still being
	 * constructed on another thread (its runloop not yet set) has not stopped.
	 */
	private boolean stoppedBeforeRenamed() {
		BusRunloop loop = this.runloop;
		return loop != null && loop.isStopped();
	}

	// ---- identity and configuration ----

	/** The bus name. */
	public String name() {
		return this.name;
	}

	/** The bus id (UUIDv7). */
	public String id() {
		return this.id;
	}

	/** {@code Name#abcd}: the name and the last four characters of the id. */
	public String label() {
		return this.label;
	}

	/** Default event concurrency. */
	public EventConcurrency eventConcurrency() {
		return this.eventConcurrency;
	}

	/** Default handler concurrency. */
	public HandlerConcurrency eventHandlerConcurrency() {
		return this.eventHandlerConcurrency;
	}

	/** Default handler completion. */
	public HandlerCompletion eventHandlerCompletion() {
		return this.eventHandlerCompletion;
	}

	/** Default event timeout ({@code null} = none). */
	public @Nullable Duration eventTimeout() {
		return this.eventTimeout;
	}

	/** Default slow-event warning threshold. */
	public @Nullable Duration eventSlowTimeout() {
		return this.eventSlowTimeout;
	}

	/** Default handler timeout ({@code null} = the event timeout). */
	public @Nullable Duration eventHandlerTimeout() {
		return this.eventHandlerTimeout;
	}

	/** Default slow-handler warning threshold. */
	public @Nullable Duration eventHandlerSlowTimeout() {
		return this.eventHandlerSlowTimeout;
	}

	/** History limit ({@code null} = unbounded, 0 = only in-flight events). */
	public @Nullable Integer maxHistorySize() {
		return this.maxHistorySize;
	}

	/** Whether a full history drops old entries instead of rejecting new events. */
	public boolean maxHistoryDrop() {
		return this.maxHistoryDrop;
	}

	/** Whether handler registrations record their source location. */
	public boolean eventHandlerDetectFilePaths() {
		return this.detectFilePaths;
	}

	/** Whether {@link #stop()} was called. */
	public boolean isStopped() {
		return this.runloop.isStopped();
	}

	// ---- handlers ----

	/**
	 * Registers a handler for an event class (matched by its event type).
	 * @throws IllegalArgumentException for {@code BaseEvent.class} itself
	 */
	public <E extends BaseEvent<?>> EventHandler on(Class<E> type, EventHandlerFunction<? super E> fn) {
		return on(type, fn, HandlerOptions.defaults());
	}

	/** Registers a handler for an event class with options. */
	@SuppressWarnings("unchecked")
	public <E extends BaseEvent<?>> EventHandler on(Class<E> type, EventHandlerFunction<? super E> fn,
			HandlerOptions options) {
		Objects.requireNonNull(type, "type");
		if ((Class<?>) type == BaseEvent.class || (Class<?>) type == DynamicEvent.class) {
			throw new IllegalArgumentException(
					"on() needs a string event type, \"*\", or a BaseEvent subclass, got " + type.getSimpleName());
		}
		BaseEvent.register((Class<? extends BaseEvent<?>>) type);
		EventHandlerFunction<? super E> typed = fn;
		EventHandlerFunction<BaseEvent<?>> adapter = (event) -> ((EventHandlerFunction<Object>) typed)
			.handle(event.as(type));
		return add(EventTypes.typeOf(type), adapter, fn, options);
	}

	/** Registers a handler for an event type string or {@code "*"} (every event). */
	public EventHandler on(String eventTypeOrStar, EventHandlerFunction<BaseEvent<?>> fn) {
		return on(eventTypeOrStar, fn, HandlerOptions.defaults());
	}

	/** Registers a handler for an event type string or {@code "*"} with options. */
	public EventHandler on(String eventTypeOrStar, EventHandlerFunction<BaseEvent<?>> fn, HandlerOptions options) {
		Objects.requireNonNull(eventTypeOrStar, "eventTypeOrStar");
		if (eventTypeOrStar.isBlank()) {
			throw new IllegalArgumentException("on() needs an event type or \"*\", got a blank string");
		}
		return add(eventTypeOrStar, fn, fn, options);
	}

	EventHandler add(String pattern, EventHandlerFunction<BaseEvent<?>> function, Object original,
			HandlerOptions options) {
		String handlerName = (options.name != null) ? options.name : HandlerNames.nameOf(original);
		String filePath = (options.filePath != null) ? options.filePath
				: (this.detectFilePaths ? HandlerNames.callSite(original) : null);
		EventHandler handler = new EventHandler(options.id, handlerName, filePath, Timestamps.now(), pattern, this.name,
				this.id, function);
		if (options.timeoutSet) {
			handler.setHandlerTimeout(options.timeout);
		}
		if (options.slowTimeoutSet) {
			handler.setHandlerSlowTimeout(options.slowTimeout);
		}
		synchronized (this.handlersLock) {
			this.handlers = this.handlers.with(handler);
		}
		this.hooks.handlersChange(handler, true);
		return handler;
	}

	/**
	 * Registers every {@link BubusHandler} method of the object whose {@code bus} is
	 * empty or this bus's name.
	 */
	public List<EventHandler> register(Object listener) {
		return HandlerScanner.register(this, listener);
	}

	/** Removes one handler registration. */
	public void off(EventHandler handler) {
		removeIf((candidate) -> EventHandler.same(candidate, handler));
	}

	/** Removes every handler registered for this event class. */
	public void off(Class<?> type) {
		String pattern = EventTypes.typeOf(type);
		removeIf((candidate) -> candidate.eventPattern().equals(pattern));
	}

	/**
	 * Removes every handler for the pattern ({@code "*"} too), or the handler with this
	 * id.
	 */
	public void off(String patternOrHandlerId) {
		removeIf((candidate) -> candidate.eventPattern().equals(patternOrHandlerId)
				|| candidate.id().equals(patternOrHandlerId));
	}

	private void removeIf(Predicate<EventHandler> filter) {
		List<EventHandler> removed;
		synchronized (this.handlersLock) {
			removed = this.handlers.matching(filter);
			this.handlers = this.handlers.without(filter);
		}
		removed.forEach((handler) -> this.hooks.handlersChange(handler, false));
	}

	/** Every registered handler, in registration order. */
	public List<EventHandler> handlers() {
		return this.handlers.all();
	}

	/** Handler ids by pattern, in registration order. */
	public Map<String, List<String>> handlersByKey() {
		return this.handlers.idsByPattern();
	}

	// ---- emit ----

	/**
	 * Queues the event and returns the same object, still pending. Inside a handler the
	 * event is linked to the handler's event as its child. Emitting an event this bus
	 * already took (or whose path already names this bus: a forwarding loop) does
	 * nothing.
	 * @throws IllegalStateException after {@link #stop()}
	 * @throws HistoryFullException when the history is full and {@code maxHistoryDrop} is
	 * off
	 */
	public <E extends BaseEvent<?>> E emit(E event) {
		Objects.requireNonNull(event, "event");
		checkAccepting(event);
		event.state.captureContextOnce();
		HandlerScope scope = HandlerScope.current();
		if (scope != null && scope.event != event && !this.hooks.isEmpty() && event.untouched()) {
			// before the interceptor: a recalled event is written under its recorded id
			this.hooks.recallEmission(event, scope);
		}
		EmitInterceptor interceptor = this.emitInterceptor;
		if (interceptor != null && event.state.acceptable(this)) {
			// outside every lock: the interceptor may do I/O (the Spring starter writes
			// the event to the transaction's database)
			PendingEmit pendingEmit = new PendingEmit(this, event, scope);
			interceptor.onEmit(pendingEmit);
			if (pendingEmit.isHeld()) {
				return event;
			}
		}
		return emitTaken(event, scope);
	}

	/**
	 * Emits the event as {@link #emit} does, but this bus runs only the handlers whose id
	 * is in {@code handlerIds}; its other matching handlers get no result row. The event
	 * keeps its id: resubmitting an event read back from JSON to the handlers that did
	 * not complete it runs only those.
	 */
	public <E extends BaseEvent<?>> E emitForHandlers(E event, Collection<String> handlerIds) {
		Objects.requireNonNull(event, "event");
		event.state.selectHandlers(this, Set.copyOf(handlerIds));
		return emit(event);
	}

	/**
	 * The handlers that run an event of this type on this bus, in run order (exact-type
	 * handlers, then wildcard handlers).
	 */
	public List<EventHandler> handlersFor(String eventType) {
		return List.of(this.handlers.forType(eventType));
	}

	/**
	 * The part of {@link #emit} after the interceptor: the bus takes the event. A held
	 * emit's release comes here later, with the handler scope of the original emit.
	 */
	<E extends BaseEvent<?>> E emitTaken(E event, @Nullable HandlerScope emitScope) {
		checkAccepting(event);
		if (!this.history.accept(event, this.runloop)) {
			return event;
		}
		if (emitScope != null && emitScope.event != event) {
			event.linkParent(emitScope.event, emitScope.result);
		}
		// before the event is queued, so pending is reported before the runloop starts it
		fireEventChange(event, EventStatus.PENDING);
		this.runloop.enqueue(event);
		return event;
	}

	private void checkAccepting(BaseEvent<?> event) {
		if (this.runloop.isStopped()) {
			throw new IllegalStateException(
					this.label + " is stopped and no longer accepts events (emit of " + event.label() + ")");
		}
	}

	/**
	 * Emits the event with completion {@link HandlerCompletion#FIRST} and returns its
	 * first result, like {@link BaseEvent#first()}. Unlike {@code emit(event).first()},
	 * whose {@code first()} may come after the bus already ran the later handlers, the
	 * mode is set before the event is queued: no handler after the winner ever starts.
	 * @throws IllegalStateException after {@link #stop()}
	 */
	public <R> @Nullable R emitFirst(BaseEvent<R> event) {
		Objects.requireNonNull(event, "event");
		event.setEventHandlerCompletion(HandlerCompletion.FIRST);
		return emit(event).first();
	}

	/** Called when an event this bus holds completes. */
	void eventCompleted(BaseEvent<?> event) {
		this.history.completed(event);
		this.hooks.completed(event);
	}

	// ---- the runloop's view of this bus ----

	/**
	 * The bus's queue and runloop, where every event starts ({@link BusRunloop#start}).
	 */
	BusRunloop runloop() {
		return this.runloop;
	}

	/** This bus's handlers of an event type, in run order. */
	EventHandler[] handlersOf(String eventType) {
		return this.handlers.forType(eventType);
	}

	/** Pauses this bus's drain (a queue-jumping handler of this bus runs its child). */
	void pause() {
		this.runloop.pause();
	}

	void resume() {
		this.runloop.resume();
	}

	/** Whether no event holds this bus's lock or its class's global lock (for tests). */
	boolean locksAtBaseline() {
		return this.runloop.locksAtBaseline();
	}

	private static void sweepVisits(long now) {
		for (WeakReference<EventBus> ref : NAMES.values()) {
			EventBus bus = ref.get();
			// a bus is named before its constructor creates its runloop: one being built
			// has no visits yet
			BusRunloop loop = (bus != null) ? bus.runloop : null;
			if (loop != null) {
				loop.sweepVisits(now);
			}
		}
	}

	/** Hook for slow handlers (metrics); logs already happened. */
	void slowHandler(EventResult<?> row) {
	}

	// ---- idle and stop ----

	/** Waits until nothing is queued or processing; true when idle, false on timeout. */
	public boolean waitUntilIdle(Duration timeout) {
		return this.runloop.waitUntilIdle(timeout);
	}

	/** Waits until nothing is queued or processing. */
	public void waitUntilIdle() {
		while (!waitUntilIdle(Duration.ofDays(1))) {
			// keep waiting
		}
	}

	/** Stops at once: queued events are cancelled, running handlers aborted. */
	public void stop() {
		stop(Duration.ZERO, false);
	}

	/**
	 * Waits up to the timeout for idle, then stops: queued events are cancelled, running
	 * handlers aborted, pending {@code find} waiters get empty results, and the name is
	 * free for a new bus. {@code clear} also drops history and handlers.
	 */
	public void stop(Duration timeout, boolean clear) {
		if (!timeout.isZero() && !timeout.isNegative()) {
			waitUntilIdle(timeout);
		}
		if (this.runloop.stop(this.label)) {
			for (Find.Waiter waiter : this.waiters) {
				waiter.resolve(null);
			}
			this.waiters.clear();
			NAMES.computeIfPresent(this.name, (key, ref) -> (ref.get() == this) ? null : ref);
		}
		if (clear) {
			this.history.clear();
			synchronized (this.handlersLock) {
				this.handlers = HandlerIndex.EMPTY;
			}
		}
	}

	/** Same as {@link #stop()}. */
	@Override
	public void close() {
		stop();
	}

	// ---- snapshot ----

	/**
	 * The whole bus as bubus JSON: configuration, handler registrations (not their code),
	 * history with every result, and the queue, as the Python and TypeScript buses write
	 * it.
	 */
	public String toJson() {
		return BusJson.write(this);
	}

	/**
	 * A bus restored from {@link #toJson()} (or a Python or TypeScript snapshot). Its
	 * handlers are stubs that return {@code null}; queued events are processed on the
	 * next emit, and results already completed are not run again.
	 * @throws IllegalArgumentException naming the offending field when the JSON is
	 * invalid
	 */
	public static EventBus fromJson(String json) {
		return BusJson.read(json);
	}

	/** Registers a handler record as it is (a restored one keeps its id and time). */
	void adoptHandler(EventHandler handler) {
		synchronized (this.handlersLock) {
			this.handlers = this.handlers.with(handler);
		}
		this.hooks.handlersChange(handler, true);
	}

	/** Puts a restored event into history, and back in the queue when it was queued. */
	void restoreEvent(BaseEvent<?> event, boolean queued) {
		this.history.restore(event, queued, this.runloop);
	}

	/** Queued events this bus has not taken yet, in queue order. */
	List<BaseEvent<?>> queuedEvents() {
		return this.runloop.queuedEvents();
	}

	// ---- history, find, lineage ----

	/** Events in this bus's history, oldest first (queued, processing and completed). */
	public List<BaseEvent<?>> eventHistory() {
		return this.history.events();
	}

	/**
	 * Removes the completed events from this bus's history; queued and running events
	 * stay, so {@code find} and {@code done()} keep working for them.
	 * @return how many events were removed
	 */
	public int clearHistory() {
		return this.history.clearCompleted();
	}

	/** Events queued and not yet started on this bus. */
	public int queueSize() {
		return this.runloop.queueSize();
	}

	/**
	 * The durable history store this bus saves completed events to and {@code find} falls
	 * back to, or {@code null}.
	 */
	public @Nullable EventHistoryStore historyStore() {
		return this.historyStore;
	}

	/** Newest-first search of this bus's history (see {@link BusHistory#search}). */
	@Nullable BaseEvent<?> searchHistory(Predicate<BaseEvent<?>> quick, @Nullable Predicate<BaseEvent<?>> full) {
		return this.history.search(quick, full);
	}

	@Nullable BaseEvent<?> historyEvent(String eventId) {
		return this.history.get(eventId);
	}

	/** Finds an event of this class in history and/or among future emits. */
	public <E extends BaseEvent<?>> Find<E> find(Class<E> type) {
		return new Find<>(this, EventTypes.typeOf(type), type);
	}

	/**
	 * Finds an event of this type string (or {@code "*"}) in history and/or among future
	 * emits.
	 */
	public Find<BaseEvent<?>> find(String eventTypeOrStar) {
		return new Find<>(this, eventTypeOrStar, null);
	}

	void addWaiter(Find.Waiter waiter) {
		if (this.runloop.isStopped()) {
			waiter.resolve(null);
			return;
		}
		this.waiters.add(waiter);
	}

	void removeWaiter(Find.Waiter waiter) {
		this.waiters.remove(waiter);
	}

	int waiterCount() {
		return this.waiters.size();
	}

	/** Offers a newly queued event to the {@code find} waiters. */
	void resolveWaiters(BaseEvent<?> event) {
		if (this.waiters.isEmpty()) {
			return;
		}
		for (Find.Waiter waiter : this.waiters) {
			if (waiter.offer(event)) {
				this.waiters.remove(waiter);
			}
		}
	}

	/** Whether {@code ancestor} is the parent, grandparent ... of {@code child}. */
	public boolean eventIsChildOf(BaseEvent<?> child, BaseEvent<?> ancestor) {
		return Lineage.isChildOf(this, child, ancestor);
	}

	/** Whether {@code ancestor} is the parent, grandparent ... of {@code child}. */
	public boolean eventIsParentOf(BaseEvent<?> ancestor, BaseEvent<?> child) {
		return Lineage.isChildOf(this, child, ancestor);
	}

	/** The causal tree of this bus's history as text (see the class docs). */
	public String logTree() {
		return LogTree.render(this);
	}

	/**
	 * The causal tree of the last {@code lastRoots} root events of this bus's history.
	 * @param lastRoots how many of the most recent root events (with their descendants)
	 * @param fullIds label events with their whole id (as {@code find} and the Spring
	 * endpoint accept it) instead of its last four characters
	 * @return the tree as text
	 */
	public String logTree(int lastRoots, boolean fullIds) {
		return LogTree.render(this, lastRoots, null, fullIds);
	}

	/**
	 * The causal tree of one event and its descendants, as this bus saw them.
	 * @param event the event to start from
	 * @param fullIds label events with their whole id instead of its last four characters
	 * @return the tree as text
	 */
	public String logTree(BaseEvent<?> event, boolean fullIds) {
		return LogTree.render(this, Integer.MAX_VALUE, event, fullIds);
	}

	static List<EventBus> liveBuses() {
		List<EventBus> buses = new ArrayList<>();
		for (WeakReference<EventBus> ref : NAMES.values()) {
			EventBus bus = ref.get();
			if (bus != null) {
				buses.add(bus);
			}
		}
		return buses;
	}

	// ---- middleware hooks ----

	/** The bus's middleware hooks. */
	BusHooks hooks() {
		return this.hooks;
	}

	/** Reports an event phase to the middlewares (see {@link BusHooks#eventChange}). */
	void fireEventChange(BaseEvent<?> event, EventStatus status) {
		this.hooks.eventChange(event, status);
	}

	List<EventBusMiddleware> middlewares() {
		return this.hooks.middlewares();
	}

	/**
	 * A handler's error as this bus's log lines show it: the error itself, or a copy
	 * whose messages went through {@link Builder#logErrorMessages}.
	 */
	Throwable loggedError(Throwable error) {
		UnaryOperator<String> mask = this.logErrorMessages;
		return (mask != null) ? MaskedError.of(error, mask) : error;
	}

	@Override
	public String toString() {
		return this.label + (this.runloop.isStopped() ? "🔴 stopped" : "🟢 running") + "(queue=" + queueSize()
				+ " active=" + this.runloop.activeVisits() + " history=" + eventHistory().size() + " handlers="
				+ this.handlers.all().size() + ")";
	}

	/**
	 * Configures an {@link EventBus}. Defaults: bus-serial events, serial handlers, all
	 * handlers, 60 s event timeout, 300 s slow-event and 30 s slow-handler warnings,
	 * history of 100 that rejects when full.
	 */
	public static final class Builder {

		private final @Nullable String name;

		private @Nullable String id;

		private EventConcurrency eventConcurrency = EventConcurrency.BUS_SERIAL;

		private HandlerConcurrency eventHandlerConcurrency = HandlerConcurrency.SERIAL;

		private HandlerCompletion eventHandlerCompletion = HandlerCompletion.ALL;

		private @Nullable Duration eventTimeout = Duration.ofSeconds(60);

		private @Nullable Duration eventSlowTimeout = Duration.ofSeconds(300);

		private @Nullable Duration eventHandlerTimeout;

		private @Nullable Duration eventHandlerSlowTimeout = Duration.ofSeconds(30);

		private @Nullable Integer maxHistorySize = 100;

		private boolean maxHistoryDrop;

		private boolean detectFilePaths = true;

		private final List<EventBusMiddleware> middlewares = new ArrayList<>();

		private @Nullable EventHistoryStore historyStore;

		private @Nullable EmitInterceptor emitInterceptor;

		private @Nullable UnaryOperator<String> logErrorMessages;

		Builder(@Nullable String name) {
			this.name = name;
		}

		/** An explicit bus id (UUID) instead of a new UUIDv7. */
		public Builder id(String id) {
			if (!Ids.isUuid(id)) {
				throw new IllegalArgumentException("EventBus id must be a UUID, got: " + id);
			}
			this.id = id.toLowerCase(java.util.Locale.ROOT);
			return this;
		}

		/** Default event concurrency (default bus-serial). */
		public Builder eventConcurrency(EventConcurrency eventConcurrency) {
			this.eventConcurrency = Objects.requireNonNull(eventConcurrency, "eventConcurrency");
			return this;
		}

		/** Default handler concurrency (default serial). */
		public Builder eventHandlerConcurrency(HandlerConcurrency eventHandlerConcurrency) {
			this.eventHandlerConcurrency = Objects.requireNonNull(eventHandlerConcurrency, "eventHandlerConcurrency");
			return this;
		}

		/** Default handler completion (default all). */
		public Builder eventHandlerCompletion(HandlerCompletion eventHandlerCompletion) {
			this.eventHandlerCompletion = Objects.requireNonNull(eventHandlerCompletion, "eventHandlerCompletion");
			return this;
		}

		/** Default event timeout; {@code null} = none (default 60 s). */
		public Builder eventTimeout(@Nullable Duration eventTimeout) {
			HandlerOptions.requirePositive("event_timeout", eventTimeout);
			this.eventTimeout = eventTimeout;
			return this;
		}

		/** Slow-event warning threshold; {@code null} = off (default 300 s). */
		public Builder eventSlowTimeout(@Nullable Duration eventSlowTimeout) {
			HandlerOptions.requirePositive("event_slow_timeout", eventSlowTimeout);
			this.eventSlowTimeout = eventSlowTimeout;
			return this;
		}

		/** Default handler timeout; {@code null} = the event timeout (default). */
		public Builder eventHandlerTimeout(@Nullable Duration eventHandlerTimeout) {
			HandlerOptions.requirePositive("event_handler_timeout", eventHandlerTimeout);
			this.eventHandlerTimeout = eventHandlerTimeout;
			return this;
		}

		/** Slow-handler warning threshold; {@code null} = off (default 30 s). */
		public Builder eventHandlerSlowTimeout(@Nullable Duration eventHandlerSlowTimeout) {
			HandlerOptions.requirePositive("event_handler_slow_timeout", eventHandlerSlowTimeout);
			this.eventHandlerSlowTimeout = eventHandlerSlowTimeout;
			return this;
		}

		/**
		 * History limit; {@code null} = unbounded, 0 = only in-flight events (default
		 * 100).
		 */
		public Builder maxHistorySize(@Nullable Integer maxHistorySize) {
			if (maxHistorySize != null && maxHistorySize < 0) {
				throw new IllegalArgumentException("max_history_size must be >= 0 or null, got: " + maxHistorySize);
			}
			this.maxHistorySize = maxHistorySize;
			return this;
		}

		/**
		 * Drop the oldest history (completed first) instead of rejecting new events
		 * (default false).
		 */
		public Builder maxHistoryDrop(boolean maxHistoryDrop) {
			this.maxHistoryDrop = maxHistoryDrop;
			return this;
		}

		/** Record each handler's registration site (default true). */
		public Builder eventHandlerDetectFilePaths(boolean detectFilePaths) {
			this.detectFilePaths = detectFilePaths;
			return this;
		}

		/** Adds a middleware; repeatable, called in the order added. */
		public Builder middleware(EventBusMiddleware middleware) {
			this.middlewares.add(Objects.requireNonNull(middleware, "middleware"));
			return this;
		}

		/**
		 * Adds a middleware by class: it is instantiated here, once, with its public
		 * no-argument constructor; repeatable, called in the order added.
		 * @throws IllegalArgumentException when the class cannot be instantiated that way
		 */
		public Builder middleware(Class<? extends EventBusMiddleware> type) {
			Objects.requireNonNull(type, "type");
			try {
				return middleware(type.getConstructor().newInstance());
			}
			catch (ReflectiveOperationException ex) {
				Throwable cause = (ex instanceof java.lang.reflect.InvocationTargetException invocation
						&& invocation.getCause() != null) ? invocation.getCause() : ex;
				throw new IllegalArgumentException("Cannot instantiate middleware " + type.getName()
						+ " with a public no-argument constructor: " + cause, cause);
			}
		}

		/**
		 * Durable history (default none): every event is saved to the store when it
		 * completes on this bus, and {@code find} searches the store when the in-memory
		 * history has no match. See {@link EventHistoryStore}.
		 */
		public Builder historyStore(@Nullable EventHistoryStore historyStore) {
			this.historyStore = historyStore;
			return this;
		}

		/**
		 * An interceptor that sees every emit before the bus takes the event and may hold
		 * it for a later dispatch ({@code null} = none).
		 */
		public Builder emitInterceptor(@Nullable EmitInterceptor emitInterceptor) {
			this.emitInterceptor = emitInterceptor;
			return this;
		}

		/**
		 * Passes the message of a handler's error through {@code mask} before this bus
		 * logs it (default: shown as it is). An error message often quotes the input (a
		 * card number, an address); the WARN line of a failed handler then shows
		 * {@code type: mask(message)}, and the stack trace logged with it is a copy whose
		 * messages (the error's and its causes') are masked the same way, with the
		 * original frames and class names. The error kept on the event is unchanged.
		 * @param mask the message as it may be logged (for example
		 * {@code (message) -> "******"})
		 * @return this builder
		 */
		public Builder logErrorMessages(UnaryOperator<String> mask) {
			this.logErrorMessages = Objects.requireNonNull(mask, "mask");
			return this;
		}

		/** Builds the bus. */
		public EventBus build() {
			return new EventBus(this);
		}

	}

}
