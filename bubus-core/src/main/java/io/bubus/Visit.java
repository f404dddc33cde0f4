package io.bubus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

import io.bubus.internal.Durations;
import io.bubus.internal.Ids;
import io.bubus.internal.Timer;
import io.bubus.internal.Timestamps;
import io.micrometer.context.ContextSnapshot;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One bus processing one event: creates the pending result rows, runs the handlers
 * serially or in parallel, enforces the event timeout, handler timeouts and
 * {@code first()} completion, and cascades cancellation to descendants.
 */
final class Visit {

	private static final Logger log = LoggerFactory.getLogger(EventBus.class);

	private static final ThreadFactory HANDLER_THREADS = Thread.ofVirtual().name("bubus-handler").factory();

	final EventBus bus;

	final BaseEvent<?> event;

	private final @Nullable Semaphore heldLock;

	private final @Nullable HandlerScope outer;

	private List<EventResult<?>> rows = List.of();

	/** Set when no further handler may start: event timeout, first() winner, bus stop. */
	private volatile boolean stopped;

	private volatile boolean ended;

	/** Whether the bus was already done with the event for this visit. */
	private final AtomicBoolean released = new AtomicBoolean();

	private int running;

	/** Set when the visit ends: a timer that fires later does nothing. */
	private volatile boolean timersOff;

	private @Nullable Duration eventTimeout;

	/**
	 * The start timestamp claimed for the first serial handler together with the event's,
	 * or {@link Timestamps#NONE}.
	 */
	private long firstHandlerStart = Timestamps.NONE;

	/**
	 * {@link System#nanoTime()} deadlines too far away for a timer of their own
	 * ({@link #NOT_DUE} when none): {@link #sweep} arms them once they come near.
	 */
	private volatile long timeoutAt = NOT_DUE;

	private volatile long slowAt = NOT_DUE;

	private volatile Timer.@Nullable Task timeoutTask;

	private volatile Timer.@Nullable Task slowTask;

	static final long NOT_DUE = Long.MIN_VALUE;

	Visit(EventBus bus, BaseEvent<?> event, @Nullable Semaphore heldLock, @Nullable HandlerScope outer) {
		this.bus = bus;
		this.event = event;
		this.heldLock = heldLock;
		this.outer = outer;
	}

	/** Result rows for this bus's handlers of the event, created pending and in order. */
	static List<EventResult<?>> createRows(EventBus bus, BaseEvent<?> event, @Nullable Visit visit) {
		EventHandler[] matching = bus.handlersOf(event.eventType());
		List<EventResult<?>> rows = new ArrayList<>(matching.length);
		for (EventHandler handler : matching) {
			if (!event.state.selects(bus, handler)) {
				continue;
			}
			EventResult<?> existing = event.state.resultFor(handler);
			if (existing != null) {
				if (!existing.isTerminal()) {
					existing.visit = visit;
					existing.bus = bus;
					rows.add(existing);
				}
				continue;
			}
			EventResult<?> row = new EventResult<>(event, handler, bus.name(), bus.id(), bus.label());
			row.visit = visit;
			row.bus = bus;
			event.state.putResult(row);
			rows.add(row);
		}
		for (EventResult<?> row : rows) {
			row.report(ResultStatus.PENDING);
		}
		return rows;
	}

	/** True once: whoever gets it tells the bus it is done with the event. */
	boolean takeRelease() {
		return this.released.compareAndSet(false, true);
	}

	void run() {
		this.rows = createRows(this.bus, this.event, this);
		if (this.rows.isEmpty()) {
			// no handler here, but hooks still see the bus start the event
			this.bus.hooks().eventChange(this.event, EventStatus.STARTED);
			return;
		}
		long start;
		if (this.bus.hooks().isEmpty()) {
			// the next nanosecond is the first handler's start: nothing between here and
			// there can observe time (no hook runs; the handler lock is taken without
			// waiting or the handler takes its own)
			start = Timestamps.claim(2);
			this.firstHandlerStart = start + 1;
		}
		else {
			start = Timestamps.now();
		}
		this.event.state.noteStarted(start);
		HandlerConcurrency mode = orDefault(this.event.eventHandlerConcurrency(), this.bus.eventHandlerConcurrency());
		Duration eventTimeout = orDefault(this.event.eventTimeout(), this.bus.eventTimeout());
		Duration slow = orDefault(this.event.eventSlowTimeout(), this.bus.eventSlowTimeout());
		long now = (eventTimeout != null || slow != null) ? System.nanoTime() : 0;
		this.eventTimeout = eventTimeout;
		if (eventTimeout != null) {
			long delay = eventTimeout.toNanos();
			if (Timer.isNear(delay)) {
				this.timeoutTask = Timer.schedule(delay, this::eventTimedOut);
			}
			else {
				this.timeoutAt = now + delay;
			}
		}
		if (slow != null) {
			long delay = slow.toNanos();
			if (Timer.isNear(delay)) {
				this.slowTask = Timer.schedule(delay, this::warnSlowEvent);
			}
			else {
				this.slowAt = now + delay;
			}
		}
		BusRunloop runloop = this.bus.runloop();
		runloop.visitStarted(this);
		// stop() aborts the visits registered when it looks; a visit whose event was
		// claimed before stop() and that registers after it looked sees the flag here
		// (both sides write, then read: one of them sees the other) and aborts itself,
		// so no handler starts once stop() has returned
		if (runloop.isStopped()) {
			abortStopped(BusRunloop.stopReason(this.bus.label()));
		}
		try {
			if (mode == HandlerConcurrency.PARALLEL && this.rows.size() > 1) {
				runParallel();
			}
			else {
				// a single parallel handler runs inline, but without the event's
				// handler lock
				runSerial(mode == HandlerConcurrency.SERIAL);
			}
		}
		finally {
			this.timersOff = true;
			cancel(this.timeoutTask);
			cancel(this.slowTask);
			cascadeInterrupted();
			this.ended = true;
			this.bus.runloop().visitEnded(this);
		}
	}

	/**
	 * Arms the deadlines that have come within the timer's precise horizon (called a few
	 * times a second on the timer thread). A timer armed as the visit or the handler ends
	 * finds it over and does nothing.
	 */
	void sweep(long now) {
		if (this.timersOff) {
			return;
		}
		long at = this.timeoutAt;
		if (at != NOT_DUE && Timer.isNear(at - now)) {
			this.timeoutAt = NOT_DUE;
			this.timeoutTask = Timer.schedule(Math.max(0, at - now), this::eventTimedOut);
		}
		at = this.slowAt;
		if (at != NOT_DUE && Timer.isNear(at - now)) {
			this.slowAt = NOT_DUE;
			this.slowTask = Timer.schedule(Math.max(0, at - now), this::warnSlowEvent);
		}
		if (this.timersOff) {
			cancel(this.timeoutTask);
			cancel(this.slowTask);
			return;
		}
		for (EventResult<?> row : this.rows) {
			if (row.status() != ResultStatus.STARTED) {
				continue;
			}
			at = row.timeoutAt;
			Duration timeout = row.timeout;
			if (at != NOT_DUE && timeout != null && Timer.isNear(at - now)) {
				row.timeoutAt = NOT_DUE;
				Timer.schedule(Math.max(0, at - now), () -> handlerTimedOut(row, timeout));
			}
			at = row.slowAt;
			if (at != NOT_DUE && Timer.isNear(at - now)) {
				row.slowAt = NOT_DUE;
				long started = row.slowSince;
				Timer.schedule(Math.max(0, at - now), () -> warnSlowHandler(row, started));
			}
		}
	}

	/**
	 * {@code first()} was called while this bus runs the event: a handler that already
	 * won must stop the others now, not only when another handler finishes.
	 */
	void firstRequested() {
		EventResult<?> winner = (!this.ended && firstMode()) ? earlierWinner() : null;
		if (winner != null) {
			resolveFirst(winner);
		}
	}

	/**
	 * {@code first()} may be called after the bus started the event, so the completion
	 * mode is read each time it matters.
	 */
	private boolean firstMode() {
		return orDefault(this.event.eventHandlerCompletion(),
				this.bus.eventHandlerCompletion()) == HandlerCompletion.FIRST;
	}

	/**
	 * Cancels what aborted or timed-out handlers emitted, before this bus takes its next
	 * event: the thread that ended such a row cascades too, but only after waking the
	 * handler, which may let this visit end and the runloop start a queued child first.
	 */
	private void cascadeInterrupted() {
		for (EventResult<?> row : this.rows) {
			Throwable error = row.error();
			if (error instanceof EventHandlerAbortedException || error instanceof EventHandlerTimeoutException) {
				Throwable cause = (error.getCause() instanceof EventHandlerTimeoutException timeout) ? timeout : error;
				Cascade.cancelChildren(row, cause);
			}
		}
	}

	private void runSerial(boolean locked) {
		ReentrantLock lock = locked ? this.event.state.handlerLock() : null;
		for (EventResult<?> row : this.rows) {
			if (this.stopped) {
				return;
			}
			if (row.isTerminal()) {
				continue;
			}
			EventResult<?> winner = firstMode() ? earlierWinner() : null;
			if (winner != null) {
				resolveFirst(winner);
				return;
			}
			if (lock != null && !lock.tryLock()) {
				// the handler starts after waiting: it takes its own timestamp
				this.firstHandlerStart = Timestamps.NONE;
				try {
					lock.lockInterruptibly();
				}
				catch (InterruptedException ex) {
					abort("interrupted while waiting for the handler lock", null);
					return;
				}
			}
			try {
				if (!this.stopped) {
					invoke(row);
				}
			}
			finally {
				if (lock != null) {
					lock.unlock();
				}
			}
		}
	}

	private void runParallel() {
		this.firstHandlerStart = Timestamps.NONE;
		synchronized (this) {
			for (EventResult<?> row : this.rows) {
				if (!row.isTerminal()) {
					this.running++;
				}
			}
		}
		for (EventResult<?> row : this.rows) {
			if (!row.isTerminal()) {
				HANDLER_THREADS.newThread(() -> invoke(row)).start();
			}
		}
		synchronized (this) {
			while (this.running > 0) {
				try {
					wait();
				}
				catch (InterruptedException ex) {
					abort("interrupted while waiting for parallel handlers", null);
				}
			}
		}
	}

	/** Called by a row when it becomes terminal while this visit owns it. */
	void rowTerminal(EventResult<?> row) {
		synchronized (this) {
			if (this.running > 0) {
				this.running--;
				if (this.running == 0) {
					notifyAll();
				}
			}
		}
	}

	private void invoke(EventResult<?> row) {
		Thread thread = Thread.currentThread();
		long startedAt = this.firstHandlerStart;
		if (startedAt != Timestamps.NONE) {
			this.firstHandlerStart = Timestamps.NONE;
		}
		else {
			startedAt = Timestamps.now();
		}
		if (this.stopped || outerCancels() || !row.start(thread, startedAt)) {
			return;
		}
		HandlerScope scope = new HandlerScope(this.bus, this.event, row, this.heldLock, this.outer);
		Timer.Task timeoutTask = armHandlerTimeout(row);
		Timer.Task slowTask = armSlowHandler(row);
		HandlerScope previous = HandlerScope.enter(scope);
		Object value = null;
		Throwable failure = null;
		// kept for the failure log: the event drops its context once it completes
		ContextSnapshot snapshot = this.event.state.context();
		try (ContextSnapshot.Scope context = ContextCapture.restore(snapshot)) {
			value = row.handler().function.handle(this.event);
			if (value instanceof CompletionStage<?> stage) {
				value = stage.toCompletableFuture().get();
			}
		}
		catch (ExecutionException | CompletionException ex) {
			failure = (ex.getCause() != null) ? ex.getCause() : ex;
		}
		catch (Throwable ex) {
			failure = ex;
		}
		finally {
			HandlerScope.exit(previous);
			scope.close();
			row.timeoutAt = NOT_DUE;
			row.slowAt = NOT_DUE;
			cancel(timeoutTask);
			cancel(slowTask);
			row.clearRunner();
			Thread.interrupted();
			if (scope.outerEnded()) {
				// the handler awaiting this one inline was aborted: let it see
				// the interrupt
				thread.interrupt();
			}
		}
		if (failure instanceof InterruptedException && !row.isTerminal()) {
			// interrupted by no cancellation of this row (those mark it first): still
			// an abort, never a raw InterruptedException on a row
			failure = new EventHandlerAbortedException(
					"Aborted running handler " + row.handler().label() + ": its thread was interrupted", failure);
		}
		boolean stored = (failure != null) ? row.fail(failure) : row.complete(value);
		Throwable error = stored ? row.error() : null;
		if (error != null && !(error instanceof CancellationException)) {
			// once, here, where the row got its error (aborts and timeouts log where
			// they happen); with the event's context, so MDC keys of the emitter are on
			// the line
			try (ContextSnapshot.Scope context = ContextCapture.restore(snapshot)) {
				Throwable logged = this.bus.loggedError(error);
				log.warn("{} handler {} failed for {}: {}", this.bus.label(), row.handler().label(), this.event.label(),
						logged.toString(), logged);
			}
		}
		if (firstMode() && isWinner(row)) {
			resolveFirst(row);
		}
	}

	/**
	 * Whether a handler awaiting this event inline (queue-jump) was ended while this
	 * visit ran on its thread: then an event it emitted must not start another handler.
	 * The ending cascade cancels the rows it finds; this catches rows it could not find
	 * yet (created after it ran) and cancels the event with the outer handler's error.
	 */
	private boolean outerCancels() {
		for (HandlerScope scope = this.outer; scope != null; scope = scope.outer) {
			if (scope.result.status() == ResultStatus.ERROR && Lineage.descendsFrom(this.event, scope.event)) {
				Throwable reason = scope.result.error();
				this.stopped = true;
				Cascade.cancelEvent(this.event,
						(reason != null) ? reason : new EventHandlerAbortedException("Aborted: parent ended", null));
				return true;
			}
		}
		return false;
	}

	/**
	 * A winner among the event's rows on every bus (a forwarded event whose first bus
	 * already has one starts nothing here).
	 */
	private @Nullable EventResult<?> earlierWinner() {
		for (EventResult<?> row : this.event.resultRows()) {
			if (isWinner(row)) {
				return row;
			}
		}
		return null;
	}

	static boolean isWinner(EventResult<?> row) {
		if (row.status() != ResultStatus.COMPLETED || row.error() != null) {
			return false;
		}
		Object value = row.rawResult();
		return value != null && !(value instanceof BaseEvent<?>);
	}

	private void resolveFirst(EventResult<?> winner) {
		this.stopped = true;
		Cascade.Wake wake = new Cascade.Wake();
		for (EventResult<?> row : this.rows) {
			if (row != winner) {
				Cascade.end(row,
						(started) -> started ? new EventHandlerAbortedException("Aborted: first() resolved", null)
								: new EventHandlerCancelledException("Cancelled: first() resolved", null),
						wake);
			}
		}
		wake.run();
	}

	// ---- timeouts ----

	private void eventTimedOut() {
		Duration timeout = this.eventTimeout;
		if (this.timersOff || timeout == null) {
			return;
		}
		this.stopped = true;
		EventHandlerTimeoutException cause = new EventHandlerTimeoutException("Event " + this.event.label()
				+ " timed out after " + Durations.describe(timeout) + " on " + this.bus.label());
		// every row and every descendant is marked before any handler thread is woken
		Cascade.Wake wake = new Cascade.Wake();
		for (EventResult<?> row : this.rows) {
			if (row.interrupt((started) -> started
					? new EventHandlerAbortedException("Aborted running handler " + row.handler().label()
							+ " due to event timeout: " + cause.getMessage(), cause)
					: new EventHandlerCancelledException("Cancelled pending handler " + row.handler().label()
							+ " due to event timeout: " + cause.getMessage(), cause),
					wake)) {
				Cascade.cancelChildren(row, cause, wake);
			}
		}
		wake.run();
		warnWithContext("⏱️ {} timed out after {} on {}", this.event.label(), Durations.describe(timeout),
				this.bus.label());
		// every row is final now: the event need not wait for a handler that ignores its
		// interrupt (its late result is discarded)
		if (takeRelease()) {
			this.bus.runloop().finish(this.event);
		}
	}

	private Timer.@Nullable Task armHandlerTimeout(EventResult<?> row) {
		EventHandler handler = row.handler();
		Duration eventTimeout = orDefault(this.event.eventTimeout(), this.bus.eventTimeout());
		Duration handlerTimeout;
		if (handler.handlerTimeoutSet()) {
			handlerTimeout = handler.handlerTimeout();
		}
		else if (this.event.eventHandlerTimeout() != null) {
			handlerTimeout = this.event.eventHandlerTimeout();
		}
		else if (this.bus.eventHandlerTimeout() != null) {
			handlerTimeout = this.bus.eventHandlerTimeout();
		}
		else {
			handlerTimeout = eventTimeout;
		}
		Duration effective = effective(handlerTimeout, eventTimeout);
		row.timeout = effective;
		// When the event timeout is the binding one, the event timer fires first and
		// labels the handler Aborted; a handler timer is only needed when it is shorter.
		if (handlerTimeout == null || (eventTimeout != null && handlerTimeout.compareTo(eventTimeout) >= 0)) {
			return null;
		}
		long delay = handlerTimeout.toNanos();
		if (!Timer.isNear(delay)) {
			row.timeoutAt = System.nanoTime() + delay;
			return null;
		}
		return Timer.schedule(delay, () -> handlerTimedOut(row, handlerTimeout));
	}

	static @Nullable Duration effective(@Nullable Duration handlerTimeout, @Nullable Duration eventTimeout) {
		if (handlerTimeout == null) {
			return eventTimeout;
		}
		if (eventTimeout == null) {
			return handlerTimeout;
		}
		return (handlerTimeout.compareTo(eventTimeout) <= 0) ? handlerTimeout : eventTimeout;
	}

	private void handlerTimedOut(EventResult<?> row, Duration timeout) {
		EventHandlerTimeoutException error = new EventHandlerTimeoutException(
				this.bus.label() + ".on(" + this.event.label() + ", " + row.handler().label() + ") timed out after "
						+ Durations.describe(timeout));
		Cascade.Wake wake = new Cascade.Wake();
		if (row.interrupt((started) -> error, wake)) {
			Cascade.cancelChildren(row, error, wake);
			wake.run();
			warnWithContext("⏱️ {}", error.getMessage());
		}
	}

	private Timer.@Nullable Task armSlowHandler(EventResult<?> row) {
		EventHandler handler = row.handler();
		Duration threshold;
		if (handler.handlerSlowTimeoutSet()) {
			threshold = handler.handlerSlowTimeout();
		}
		else {
			threshold = this.event.eventHandlerSlowTimeout();
			if (threshold == null) {
				threshold = this.event.eventSlowTimeout();
			}
			if (threshold == null) {
				threshold = this.bus.eventHandlerSlowTimeout();
			}
		}
		Duration timeout = row.timeout;
		if (threshold == null || (timeout != null && timeout.compareTo(threshold) <= 0)) {
			return null;
		}
		long delay = threshold.toNanos();
		long started = System.nanoTime();
		if (!Timer.isNear(delay)) {
			row.slowSince = started;
			row.slowAt = started + delay;
			return null;
		}
		return Timer.schedule(delay, () -> warnSlowHandler(row, started));
	}

	private void warnSlowHandler(EventResult<?> row, long started) {
		if (row.status() == ResultStatus.STARTED) {
			warnWithContext("⚠️ Slow event handler: {}.on({}, {}) still running after {}s", this.bus.label(),
					this.event.label(), row.handler().label(),
					String.format("%.1f", (System.nanoTime() - started) / 1e9));
			this.bus.slowHandler(row);
		}
	}

	private void warnSlowEvent() {
		if (this.timersOff) {
			return;
		}
		long startedRows = this.rows.stream().filter((row) -> row.status() != ResultStatus.PENDING).count();
		if (this.event.eventStatus() != EventStatus.COMPLETED) {
			warnWithContext("⚠️ Slow event processing: {}.on({}, {} handlers) still running", this.bus.label(),
					this.event.label(), startedRows);
		}
	}

	/**
	 * Logs a timeout or slow warning, which the timer thread reports, with the event's
	 * context restored around the line (the emitter's MDC keys, as on the handler's own
	 * lines).
	 */
	private void warnWithContext(String format, Object... arguments) {
		try (ContextSnapshot.Scope context = ContextCapture.restore(this.event.state.context())) {
			log.warn(format, arguments);
		}
	}

	/** Aborts running rows and cancels pending ones (bus stop, interrupted runloop). */
	/**
	 * Aborts this visit because its bus stopped (from {@code stop()}, or the visit's own
	 * check).
	 */
	void abortStopped(EventHandlerCancelledException reason) {
		abort(this.bus.label() + " was stopped", reason);
	}

	void abort(String reason, @Nullable Throwable cause) {
		this.stopped = true;
		Cascade.Wake wake = new Cascade.Wake();
		for (EventResult<?> row : this.rows) {
			Cascade.end(row,
					(started) -> started ? new EventHandlerAbortedException("Aborted running handler: " + reason, cause)
							: new EventHandlerCancelledException("Cancelled pending handler: " + reason, cause),
					wake);
		}
		wake.run();
	}

	private static void cancel(Timer.@Nullable Task task) {
		if (task != null) {
			task.cancel();
		}
	}

	private static <T> T orDefault(@Nullable T value, T fallback) {
		return (value != null) ? value : fallback;
	}

	/** Visits sit in a set per bus: a cheap hash instead of the identity hash. */
	@Override
	public int hashCode() {
		return this.event.eventId().hashCode();
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return this == other;
	}

	@Override
	public String toString() {
		return this.bus.label() + "▶ " + this.event.label() + " (" + Ids.id4(this.event.eventId()) + ")";
	}

}
