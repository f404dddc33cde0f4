package io.bubus;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.bubus.internal.Ids;
import io.bubus.internal.Timestamps;
import org.jspecify.annotations.Nullable;

/**
 * One handler's result for one event on one bus. Rows are created {@code pending} when a
 * bus starts processing the event, become {@code started} when the handler runs and end
 * {@code completed} (with a value) or {@code error} (with an exception).
 *
 * @param <R> the event's result type
 */
public final class EventResult<R> {

	private @Nullable String id;

	private final BaseEvent<?> event;

	private final EventHandler handler;

	private final String eventbusName;

	private final String eventbusId;

	private final String eventbusLabel;

	private volatile ResultStatus status = ResultStatus.PENDING;

	private @Nullable Object result;

	private @Nullable Throwable error;

	private long startedAt = Timestamps.NONE;

	private long completedAt = Timestamps.NONE;

	private @Nullable List<BaseEvent<?>> children;

	private List<String> restoredChildIds = List.of();

	/** Resolved timeout for this run, for display and JSON. */
	@Nullable Duration timeout;

	/**
	 * {@link System#nanoTime()} deadlines of this run's handler timeout and slow warning
	 * while too far away for a timer ({@link Visit#NOT_DUE} when none).
	 */
	volatile long timeoutAt = Visit.NOT_DUE;

	volatile long slowAt = Visit.NOT_DUE;

	/** When the run the slow warning measures started ({@link System#nanoTime()}). */
	volatile long slowSince;

	/** The thread running the handler, while it runs. Guarded by the event's monitor. */
	@Nullable Thread runner;

	/** The bus visit that owns this row while the bus processes the event. */
	volatile @Nullable Visit visit;

	/** The bus whose middlewares hear about this row, set when the bus takes the row. */
	volatile @Nullable EventBus bus;

	/**
	 * Middleware phases reported so far: 0 none, 1 pending, 2 started, 3 completed; under
	 * the monitor of the event's entry for {@link #bus}.
	 */
	private int reported;

	/** Whether the handler ever ran, so a late report still includes started. */
	private volatile boolean ran;

	EventResult(BaseEvent<?> event, EventHandler handler, String eventbusName, String eventbusId,
			String eventbusLabel) {
		this.event = event;
		this.handler = handler;
		this.eventbusName = eventbusName;
		this.eventbusId = eventbusId;
		this.eventbusLabel = eventbusLabel;
	}

	/** The result id (UUIDv7). */
	public String id() {
		synchronized (this.event.state) {
			if (this.id == null) {
				this.id = Ids.uuid7();
			}
			return this.id;
		}
	}

	void setId(String id) {
		this.id = id;
	}

	/** Current status. */
	public ResultStatus status() {
		return this.status;
	}

	/**
	 * The handler's value once completed ({@code null} otherwise or when it returned
	 * null).
	 */
	@SuppressWarnings("unchecked")
	public @Nullable R result() {
		synchronized (this.event.state) {
			return (R) this.result;
		}
	}

	/**
	 * The raw stored value, which may be an event (forwarding) rather than an {@code R}.
	 */
	@Nullable Object rawResult() {
		synchronized (this.event.state) {
			return this.result;
		}
	}

	/** The handler's exception once failed, else {@code null}. */
	public @Nullable Throwable error() {
		synchronized (this.event.state) {
			return this.error;
		}
	}

	/**
	 * The name the error goes by in JSON ({@code error.type}), the log tree and the
	 * history stores: {@code EventHandlerTimeoutError}, {@code EventHandlerAbortedError},
	 * {@code EventHandlerCancelledError} and {@code EventHandlerResultSchemaError} for
	 * bubus's handler-control exceptions (the names Python and TypeScript bubus use), the
	 * type it was received with for an error read from JSON, else the simple class name.
	 */
	public static String errorType(Throwable error) {
		return EventJson.errorType(error);
	}

	/** Id of the handler. */
	public String handlerId() {
		return this.handler.id();
	}

	/** Name of the handler. */
	public String handlerName() {
		return this.handler.handlerName();
	}

	/** The handler registration. */
	public EventHandler handler() {
		return this.handler;
	}

	/** Name of the bus this row belongs to. */
	public String eventbusName() {
		return this.eventbusName;
	}

	/** Id of the bus this row belongs to. */
	public String eventbusId() {
		return this.eventbusId;
	}

	/** Label of the bus this row belongs to ({@code Name#abcd}). */
	public String eventbusLabel() {
		return this.eventbusLabel;
	}

	/** The event this row belongs to. */
	public BaseEvent<?> event() {
		return this.event;
	}

	/** When the row left {@code pending}. */
	public @Nullable Instant startedAt() {
		synchronized (this.event.state) {
			return Timestamps.toInstant(this.startedAt);
		}
	}

	/** When the row became terminal. */
	public @Nullable Instant completedAt() {
		synchronized (this.event.state) {
			return Timestamps.toInstant(this.completedAt);
		}
	}

	long startedAtNanos() {
		synchronized (this.event.state) {
			return this.startedAt;
		}
	}

	long completedAtNanos() {
		synchronized (this.event.state) {
			return this.completedAt;
		}
	}

	/** The resolved handler timeout of this run, or {@code null} for none. */
	public @Nullable Duration timeout() {
		return this.timeout;
	}

	/** Events emitted by this handler while it ran, in emit order. */
	public List<BaseEvent<?>> eventChildren() {
		synchronized (this.event.state) {
			return (this.children != null) ? List.copyOf(this.children) : List.of();
		}
	}

	/** Whether a child of this row is not completed; under the event's monitor. */
	boolean hasOpenChild() {
		if (this.children != null) {
			for (BaseEvent<?> child : this.children) {
				if (child.eventStatus() != EventStatus.COMPLETED) {
					return true;
				}
			}
		}
		return false;
	}

	List<String> restoredChildIds() {
		return this.restoredChildIds;
	}

	void setRestoredChildIds(List<String> ids) {
		this.restoredChildIds = List.copyOf(ids);
	}

	/** Whether the row is {@code completed} or {@code error}. */
	public boolean isTerminal() {
		ResultStatus current = this.status;
		return current == ResultStatus.COMPLETED || current == ResultStatus.ERROR;
	}

	// ---- mutation, all under the event's monitor ----

	void addChild(BaseEvent<?> child) {
		synchronized (this.event.state) {
			if (this.children == null) {
				this.children = new ArrayList<>(2);
			}
			for (BaseEvent<?> existing : this.children) {
				if (existing == child) {
					return;
				}
			}
			this.children.add(child);
		}
	}

	/** Marks the row started on this thread; false when it is no longer pending. */
	boolean start(Thread thread, long now) {
		synchronized (this.event.state) {
			if (this.status != ResultStatus.PENDING) {
				return false;
			}
			this.status = ResultStatus.STARTED;
			this.startedAt = now;
			this.runner = thread;
			this.ran = true;
			this.event.state.noteStarted(now);
		}
		report(ResultStatus.STARTED);
		return true;
	}

	/**
	 * Stores a handler's value: an exception object becomes an error, an event is stored
	 * as is, anything else is checked against the result type. Ignored when the row is
	 * already terminal (for example a late value after a timeout).
	 */
	boolean complete(@Nullable Object value) {
		if (value instanceof Throwable thrown) {
			return fail(thrown);
		}
		Object stored = value;
		if (value != null && !(value instanceof BaseEvent<?>)) {
			try {
				stored = this.event.resultType().coerce(value);
			}
			catch (EventHandlerResultSchemaException ex) {
				return fail(ex);
			}
		}
		return finish(ResultStatus.COMPLETED, stored, null);
	}

	/** Stores an error; ignored when the row is already terminal. */
	boolean fail(Throwable error) {
		return finish(ResultStatus.ERROR, null, error);
	}

	private boolean finish(ResultStatus terminal, @Nullable Object value, @Nullable Throwable failure) {
		Visit owner;
		synchronized (this.event.state) {
			if (isTerminal()) {
				return false;
			}
			long now;
			if (this.event.state.completesWith(this)) {
				// the event completes as soon as its bus lets go: its timestamp is
				// the next nanosecond, claimed with this one
				now = Timestamps.claim(2);
				this.event.state.reserveCompletion(now + 1);
			}
			else {
				now = Timestamps.now();
			}
			if (this.startedAt == Timestamps.NONE) {
				this.startedAt = now;
			}
			this.completedAt = now;
			this.result = value;
			this.error = failure;
			this.status = terminal;
			owner = this.visit;
		}
		report(ResultStatus.COMPLETED);
		if (owner != null) {
			owner.rowTerminal(this);
		}
		return true;
	}

	/** This row, as finished as it is, for another copy of the same event. */
	EventResult<R> copyFor(BaseEvent<?> copy) {
		EventResult<R> row = new EventResult<>(copy, this.handler, this.eventbusName, this.eventbusId,
				this.eventbusLabel);
		row.setId(id());
		synchronized (this.event.state) {
			row.restore(this.status, this.result, this.error, this.startedAt, this.completedAt);
			row.restoredChildIds = this.restoredChildIds;
		}
		return row;
	}

	/**
	 * Applies a seeded or restored state with the bubus {@code update} rules: a result
	 * completes, an error fails, an explicit status is applied last and wins.
	 */
	void restore(ResultStatus newStatus, @Nullable Object value, @Nullable Throwable failure, long started,
			long completed) {
		synchronized (this.event.state) {
			this.status = newStatus;
			this.result = value;
			this.error = failure;
			this.startedAt = started;
			this.completedAt = completed;
		}
	}

	/**
	 * Ends a row from outside its handler: the function gets whether the handler had
	 * started and returns the error to store (aborted, cancelled, timed out). A running
	 * handler's thread is interrupted at once. Returns false when the row was already
	 * terminal.
	 */
	boolean interrupt(java.util.function.Function<Boolean, Throwable> errorFor) {
		return interrupt(errorFor, null);
	}

	/**
	 * Like {@link #interrupt(java.util.function.Function)}, but a running handler's
	 * thread is only added to {@code wake}, to be interrupted once the whole cancellation
	 * has marked its rows (see {@link Cascade}).
	 */
	boolean interrupt(java.util.function.Function<Boolean, Throwable> errorFor, Cascade.@Nullable Wake wake) {
		Visit owner;
		synchronized (this.event.state) {
			if (isTerminal()) {
				return false;
			}
			long now = Timestamps.now();
			boolean started = this.status == ResultStatus.STARTED;
			this.error = errorFor.apply(started);
			this.result = null;
			if (this.startedAt == Timestamps.NONE) {
				this.startedAt = now;
			}
			this.completedAt = now;
			this.status = ResultStatus.ERROR;
			Thread thread = this.runner;
			if (thread != null) {
				if (wake != null) {
					wake.add(this);
				}
				else {
					thread.interrupt();
				}
			}
			owner = this.visit;
		}
		report(ResultStatus.COMPLETED);
		if (owner != null) {
			owner.rowTerminal(this);
		}
		// a serial visit may already have ended (it stops at the first interrupted row)
		// while a timer was still cancelling later rows: the last one completes the event
		this.event.state.tryComplete();
		return true;
	}

	/** Interrupts the thread running this row's handler, if it still runs it. */
	void interruptRunner() {
		synchronized (this.event.state) {
			Thread thread = this.runner;
			if (thread != null) {
				thread.interrupt();
			}
		}
	}

	/**
	 * Tells the bus's middlewares about this row, each phase once and in order:
	 * {@code pending}, then {@code started} (only if the handler ran), then
	 * {@code completed} (for an error too). A report skips phases that were missed and
	 * never goes back, so a row cancelled before it ran reports pending then completed.
	 */
	void report(ResultStatus phase) {
		EventBus owner = this.bus;
		if (owner == null || owner.hooks().isEmpty()) {
			return;
		}
		// the row's hooks run in the sequence of the event on its bus, in phase order
		// and after the hooks queued before them, never while a monitor is held
		BaseEvent.BusEntry entry = this.event.state.entryFor(owner);
		if (entry == null) {
			return;
		}
		synchronized (entry) {
			if (this.reported == 0) {
				this.reported = 1;
				entry.queueHook(() -> owner.hooks().resultChange(this.event, this, ResultStatus.PENDING));
			}
			boolean wantsStarted = phase == ResultStatus.STARTED || (phase == ResultStatus.COMPLETED && this.ran);
			if (wantsStarted && this.reported == 1) {
				this.reported = 2;
				entry.queueHook(() -> owner.hooks().resultChange(this.event, this, ResultStatus.STARTED));
			}
			if (phase == ResultStatus.COMPLETED && this.reported < 3) {
				this.reported = 3;
				entry.queueHook(() -> owner.hooks().resultChange(this.event, this, ResultStatus.COMPLETED));
			}
		}
		entry.runHooks();
	}

	void clearRunner() {
		synchronized (this.event.state) {
			this.runner = null;
		}
	}

	@Override
	public String toString() {
		return "EventResult[" + this.eventbusLabel + "." + this.handler.label() + " " + this.status.wireValue() + "]";
	}

}
