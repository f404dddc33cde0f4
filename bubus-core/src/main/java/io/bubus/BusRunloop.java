package io.bubus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import io.bubus.internal.Timestamps;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One bus's queue and runloop: what waits, who may take it, and the one method that
 * starts an event on the bus, {@link #start}, whoever calls it (the runloop, a caller of
 * {@code done()}, or a handler that awaits the event).
 * <p>
 * Threads and rights (see docs/architecture.md for the whole model):
 * <ul>
 * <li>The queue is a lock-free FIFO. Only the holder of the drain right
 * ({@link #draining}: the runloop, or a {@code done()} caller in {@link #runIfHead})
 * takes events off its head, so events start in emit order. A handler that awaits an
 * event claims it wherever it sits (queue-jump); a claimed event is skipped by whoever
 * reaches it later.</li>
 * <li>Processing slots are taken before the claim, never after: the bus lock
 * ({@link #busLock}) for bus-serial events, one lock per bus class for global-serial
 * ones, none for parallel events. A claimed event never waits for a slot, so a handler
 * that holds a slot and awaits the event can always run it itself.</li>
 * <li>{@link #pending} counts events accepted and not yet let go of (queued or running):
 * the bus is idle at zero, and {@link #left} wakes idle waiters only after the slot is
 * released, so an idle bus holds no lock.</li>
 * <li>Monitors here are leaves: {@link #pauseLock} (a queue-jumping handler pauses its
 * own bus's drain) and {@link #idleLock} (idle waiters). Neither is held while a handler,
 * a hook or another lock is taken.</li>
 * </ul>
 */
final class BusRunloop {

	private static final Logger log = LoggerFactory.getLogger(EventBus.class);

	private static final ClassValue<Semaphore> GLOBAL_LOCKS = new ClassValue<>() {
		@Override
		protected Semaphore computeValue(Class<?> type) {
			return new Semaphore(1, true);
		}
	};

	/**
	 * Handlers waiting for an event another thread runs: what that run emits may be
	 * theirs to run (see {@code BaseEvent.awaitInHandler}), so each emit wakes them.
	 */
	private static final Map<Thread, Integer> IN_HANDLER_WAITERS = new ConcurrentHashMap<>();

	private static final AtomicInteger IN_HANDLER_WAITER_COUNT = new AtomicInteger();

	private final EventBus bus;

	private final ConcurrentLinkedQueue<BaseEvent<?>> queue = new ConcurrentLinkedQueue<>();

	/** Events queued and not yet claimed here (the public queue size). */
	private final AtomicInteger queued = new AtomicInteger();

	/** Events accepted and not yet let go of: zero is idle. */
	private final AtomicInteger pending = new AtomicInteger();

	private final Semaphore busLock = new Semaphore(1, true);

	private final AtomicBoolean loopRunning = new AtomicBoolean();

	/** Whether the bus waits on the {@link LoopStarter}'s list. */
	private final AtomicBoolean loopDeferred = new AtomicBoolean();

	/** Events run by callers of {@code done()} (changes are what counts). */
	private volatile int callerDrains;

	/** {@link #callerDrains} when the loop starter last looked (its thread only). */
	private int callerDrainsSeen;

	/**
	 * The right to take events from the queue: held by the runloop or by
	 * {@link #runIfHead}.
	 */
	private final AtomicBoolean draining = new AtomicBoolean();

	private final Object pauseLock = new Object();

	private volatile int pauseDepth;

	private final Object idleLock = new Object();

	private volatile int idleWaiters;

	private volatile boolean stopped;

	private final Set<Visit> activeVisits = ConcurrentHashMap.newKeySet();

	private final ThreadFactory loopThreads;

	private final ThreadFactory eventThreads;

	private final Runnable loopTask = this::runLoop;

	BusRunloop(EventBus bus) {
		this.bus = bus;
		this.loopThreads = Thread.ofVirtual().name("bubus-" + bus.name()).factory();
		this.eventThreads = Thread.ofVirtual().name("bubus-" + bus.name() + "-event").factory();
	}

	EventBus bus() {
		return this.bus;
	}

	boolean isStopped() {
		return this.stopped;
	}

	/** Events queued and not yet started on this bus. */
	int queueSize() {
		return Math.max(0, this.queued.get());
	}

	/** Counts an event the bus just accepted (under its history lock) as pending. */
	void accepted() {
		this.pending.incrementAndGet();
	}

	/**
	 * Queues an accepted event and makes sure someone runs it: a handler that awaits it
	 * (queue-jump), a caller of {@code done()}, or the runloop.
	 */
	void enqueue(BaseEvent<?> event) {
		HandlerScope scope = HandlerScope.current();
		this.queue.add(event);
		this.queued.incrementAndGet();
		if (this.stopped && event.state.claim(this.bus)) {
			// stop() drained the queue between the check above and the add: nobody will
			// run it
			this.queue.remove(event);
			cancelQueued(event, stopReason(this.bus.label()));
			return;
		}
		this.bus.resolveWaiters(event);
		// while the bus drains, the drainer looks at the queue again before letting go
		if (!this.draining.get()) {
			if (scope != null) {
				// a handler that awaits the event runs it itself (queue-jump); otherwise
				// the runloop starts when the handler returns, or a moment later if it
				// runs on
				scope.startLoopOnReturn(this.bus);
			}
			// a caller may run it itself with done(); waiting for it starts the runloop,
			// and the loop starter does a moment later in any case
			deferLoop();
		}
		if (IN_HANDLER_WAITER_COUNT.get() > 0) {
			wakeInHandlerWaiters();
		}
	}

	/** Puts a restored event back in the queue (the caller holds the history lock). */
	void restoreQueued(BaseEvent<?> event) {
		this.pending.incrementAndGet();
		this.queue.add(event);
		this.queued.incrementAndGet();
	}

	/** Queued events this bus has not taken yet, in queue order. */
	List<BaseEvent<?>> queuedEvents() {
		List<BaseEvent<?>> events = new ArrayList<>();
		for (BaseEvent<?> event : this.queue) {
			if (!event.state.claimedBy(this.bus)) {
				events.add(event);
			}
		}
		return events;
	}

	// ---- starting the runloop ----

	private void ensureLoop() {
		if (!this.loopRunning.get() && this.loopRunning.compareAndSet(false, true)) {
			this.loopThreads.newThread(this.loopTask).start();
		}
	}

	private void deferLoop() {
		if (!this.loopRunning.get() && !this.loopDeferred.get() && this.loopDeferred.compareAndSet(false, true)) {
			LoopStarter.defer(this);
		}
	}

	/**
	 * Called by the {@link LoopStarter} a moment after {@link #deferLoop()}: starts the
	 * runloop, unless callers of {@code done()} ran events here since the last look (they
	 * will likely go on; the starter looks again a tick later). Returns whether the bus
	 * still waits to be started.
	 */
	boolean startDeferredLoop() {
		int drains = this.callerDrains;
		if (drains != this.callerDrainsSeen && !this.queue.isEmpty()) {
			this.callerDrainsSeen = drains;
			return true;
		}
		this.loopDeferred.set(false);
		startLoopIfQueued();
		return false;
	}

	/** Starts the runloop now when events wait in the queue (someone waits for one). */
	void startLoopIfQueued() {
		if (!this.stopped && !this.queue.isEmpty()) {
			ensureLoop();
		}
	}

	private void runLoop() {
		while (true) {
			if (this.draining.compareAndSet(false, true)) {
				try {
					drain();
				}
				finally {
					this.draining.set(false);
				}
			}
			// else a caller of done() is running the head event; it looks at the queue
			// again after letting go, so this thread may end
			this.loopRunning.set(false);
			if (this.stopped || this.queue.isEmpty() || this.draining.get()
					|| !this.loopRunning.compareAndSet(false, true)) {
				return;
			}
		}
	}

	private void drain() {
		while (true) {
			awaitResumed();
			BaseEvent<?> event = this.stopped ? null : this.queue.poll();
			if (event == null) {
				return;
			}
			start(event, null);
		}
	}

	// ---- the ways to an event's start ----

	/**
	 * Runs the event on the calling thread, with the events queued ahead of it, on every
	 * bus that is not processing anything, as the runloop would have: the caller of
	 * {@code done()} outside any handler would only wait for them otherwise. Only the
	 * holder of the drain right takes events from the queue, so FIFO order holds; while
	 * callers keep running a bus's queue, its runloop does not start.
	 */
	static void runIfNext(BaseEvent<?> event) {
		if (Thread.currentThread().isInterrupted()) {
			return;
		}
		boolean progressed = true;
		while (progressed && event.eventStatus() != EventStatus.COMPLETED) {
			progressed = false;
			for (BaseEvent.BusEntry entry : event.state.busEntries()) {
				progressed |= entry.bus.runloop().runIfHead(event);
			}
		}
	}

	private boolean runIfHead(BaseEvent<?> event) {
		if (this.stopped || this.pauseDepth > 0 || !this.draining.compareAndSet(false, true)) {
			return false;
		}
		boolean ran = false;
		try {
			dropClaimedHeads();
			BaseEvent<?> next = this.queue.peek();
			// the event itself, or one queued ahead of it (FIFO: it runs first anyway)
			if (!this.stopped && this.pauseDepth == 0 && next != null
					&& (next == event || !event.state.claimedBy(this.bus))) {
				BaseEvent<?> head = this.queue.poll();
				if (head != null) {
					start(head, null);
					ran = true;
					this.callerDrains++;
				}
			}
		}
		finally {
			this.draining.set(false);
		}
		if (!this.queue.isEmpty()) {
			// the caller may wait for the next one too: the runloop starts a moment later
			// unless callers keep running the queue (or at once when one has to wait)
			deferLoop();
		}
		return ran;
	}

	/** Processes an event inline for a handler that awaits it (queue-jump). */
	static void runNow(BaseEvent<?> event, HandlerScope scope) {
		scope.pauseBus();
		// Processing on one bus may forward the event to another (a.on("*", b::emit)):
		// go round until no bus the event reached is left unclaimed.
		boolean progressed = true;
		while (progressed) {
			progressed = false;
			for (EventBus target : event.state.busesInPathOrder()) {
				if (target.runloop().start(event, scope)) {
					progressed = true;
				}
			}
		}
		for (BaseEvent<?> child : event.eventChildren()) {
			if (child.eventStatus() != EventStatus.COMPLETED) {
				runNow(child, scope);
			}
		}
	}

	/**
	 * Takes events that were already run inline (queue-jump) off the head of the queue.
	 * Safe without the drain right: such an event is never run from the queue again.
	 */
	private void dropClaimedHeads() {
		for (BaseEvent<?> head = this.queue.peek(); head != null
				&& head.state.claimedBy(this.bus); head = this.queue.peek()) {
			this.queue.remove(head);
		}
	}

	/**
	 * Starts the event on this bus: the one place an event begins here. The runloop and a
	 * {@code done()} caller pass the event they took off the queue's head
	 * ({@code awaiting == null}); a handler that awaits the event passes its scope
	 * (queue-jump) and runs it wherever it sits in the queue.
	 * <p>
	 * The event is claimed only once its processing slot is held: a handler that holds
	 * the slot and awaits the event may claim it meanwhile and run it inline, which it
	 * could not if this call had claimed it and then waited for the slot. A queue-jump
	 * re-enters a slot its scope chain already holds and borrows one whose holder waits
	 * for it (a cross-bus cycle, see {@link LockWaits}). A parallel event taken from the
	 * queue runs on a thread of its own; everything else runs on the calling thread.
	 * @return whether this call ran (or, for a parallel event, started) the event
	 */
	boolean start(BaseEvent<?> event, @Nullable HandlerScope awaiting) {
		if (awaiting != null && event.state.claimedBy(this.bus)) {
			return false;
		}
		Semaphore lock = lockFor(event);
		boolean acquired = false;
		if (lock != null) {
			if (awaiting == null) {
				lock.acquireUninterruptibly();
				acquired = true;
			}
			else if (!awaiting.holds(lock)) {
				try {
					// false: the holder waits for this thread (a cross-bus cycle), so the
					// event runs under the borrowed lock
					acquired = LockWaits.acquireOrBorrow(lock, awaiting, event);
				}
				catch (InterruptedException ex) {
					// the awaiting handler was stopped; the event stays queued for the
					// runloop
					Thread.currentThread().interrupt();
					return false;
				}
			}
		}
		boolean processed = false;
		Completions held = null;
		try {
			if (!event.state.claim(this.bus)) {
				return false;
			}
			this.queued.decrementAndGet();
			if (lock == null && awaiting == null) {
				// parallel events start in queue order even though they run on their own
				// threads
				if (this.bus.handlersOf(event.eventType()).length > 0) {
					event.state.noteStarted(Timestamps.now());
				}
				this.eventThreads.newThread(() -> {
					Completions completed = process(event, null, null);
					left();
					Completions.release(completed);
				}).start();
				return true;
			}
			if (awaiting != null) {
				// an awaited event is usually next in the queue: take it off, so that no
				// runloop needs to start only to skip it
				dropClaimedHeads();
			}
			processed = true;
			held = process(event, lock, awaiting);
			return true;
		}
		finally {
			if (acquired) {
				lock.release();
			}
			if (processed) {
				left();
			}
			if (held != null) {
				Completions.release(held);
			}
		}
	}

	/** Whether no event holds this bus's lock or its class's global lock (for tests). */
	boolean locksAtBaseline() {
		return this.busLock.availablePermits() == 1 && GLOBAL_LOCKS.get(this.bus.getClass()).availablePermits() == 1;
	}

	private @Nullable Semaphore lockFor(BaseEvent<?> event) {
		EventConcurrency mode = event.eventConcurrency();
		if (mode == null) {
			mode = this.bus.eventConcurrency();
		}
		return switch (mode) {
			case PARALLEL -> null;
			case GLOBAL_SERIAL -> GLOBAL_LOCKS.get(this.bus.getClass());
			case BUS_SERIAL -> this.busLock;
		};
	}

	/**
	 * Runs the visit and finishes it. Returns the completions held from the finish on:
	 * the caller releases them once it let go of the lock and the pending count (see
	 * {@link Completions}), so a woken waiter finds the bus idle.
	 */
	private Completions process(BaseEvent<?> event, @Nullable Semaphore lock, @Nullable HandlerScope outer) {
		Visit visit = new Visit(this.bus, event, lock, outer);
		try {
			visit.run();
		}
		catch (RuntimeException | Error ex) {
			log.error("{} failed while processing {}", this.bus.label(), event.label(), ex);
		}
		Completions held = Completions.hold();
		if (visit.takeRelease()) {
			finish(event);
		}
		return held;
	}

	/**
	 * This bus is done with the event: it may complete. Normally when the visit returns;
	 * at an event timeout already, while a handler that ignores interruption may still
	 * hold the visit's thread (and the bus lock) until it returns.
	 */
	void finish(BaseEvent<?> event) {
		event.state.busFinished();
		if (event.eventStatus() == EventStatus.COMPLETED) {
			// an event that had completed before this bus took it completes here too
			this.bus.hooks().completed(event);
		}
	}

	/**
	 * An event this bus held is done here and its lock released: when it was the last,
	 * the bus is idle (after the release, so an idle bus holds no lock).
	 */
	private void left() {
		if (this.pending.decrementAndGet() == 0 && this.idleWaiters > 0) {
			synchronized (this.idleLock) {
				this.idleLock.notifyAll();
			}
		}
	}

	/** Finishes a claimed, never-started event with cancelled rows. */
	void cancelQueued(BaseEvent<?> event, Throwable cause) {
		this.queued.decrementAndGet();
		Completions held = null;
		try {
			for (EventResult<?> row : Visit.createRows(this.bus, event, null)) {
				row.interrupt((started) -> new EventHandlerCancelledException("Cancelled pending handler "
						+ row.handler().label() + " due to parent error: " + cause.getMessage(), cause));
			}
		}
		finally {
			held = Completions.hold();
			finish(event);
			left();
			Completions.release(held);
		}
	}

	// ---- handlers awaiting events other threads run ----

	static void addInHandlerWaiter(Thread thread) {
		// a thread can wait in nested handlers (a queue-jumped handler that awaits again)
		IN_HANDLER_WAITERS.merge(thread, 1, Integer::sum);
		IN_HANDLER_WAITER_COUNT.incrementAndGet();
	}

	static void removeInHandlerWaiter(Thread thread) {
		IN_HANDLER_WAITER_COUNT.decrementAndGet();
		IN_HANDLER_WAITERS.computeIfPresent(thread, (key, depth) -> (depth == 1) ? null : depth - 1);
	}

	private static void wakeInHandlerWaiters() {
		for (Thread thread : IN_HANDLER_WAITERS.keySet()) {
			LockSupport.unpark(thread);
		}
	}

	// ---- pause, visits, idle, stop ----

	void pause() {
		synchronized (this.pauseLock) {
			this.pauseDepth++;
		}
	}

	void resume() {
		synchronized (this.pauseLock) {
			this.pauseDepth--;
			if (this.pauseDepth == 0) {
				this.pauseLock.notifyAll();
			}
		}
	}

	private void awaitResumed() {
		if (this.pauseDepth == 0) {
			return;
		}
		synchronized (this.pauseLock) {
			while (this.pauseDepth > 0 && !this.stopped) {
				try {
					this.pauseLock.wait();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
			}
		}
	}

	/** A visit's handlers start: the stop and sweep see it, hooks see the event start. */
	void visitStarted(Visit visit) {
		this.activeVisits.add(visit);
		this.bus.hooks().eventChange(visit.event, EventStatus.STARTED);
	}

	void visitEnded(Visit visit) {
		this.activeVisits.remove(visit);
	}

	int activeVisits() {
		return this.activeVisits.size();
	}

	/** Lets the running visits arm deadlines that came near (the timer's sweep). */
	void sweepVisits(long now) {
		for (Visit visit : this.activeVisits) {
			visit.sweep(now);
		}
	}

	/** Waits until nothing is queued or processing; true when idle, false on timeout. */
	boolean waitUntilIdle(Duration timeout) {
		// a restored bus holds queued events but no runloop yet; an emit from outside a
		// handler starts it a moment later
		startLoopIfQueued();
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (this.idleLock) {
			this.idleWaiters++;
			try {
				while (this.pending.get() > 0) {
					long remaining = deadline - System.nanoTime();
					if (remaining <= 0) {
						return false;
					}
					this.idleLock.wait(remaining / 1_000_000, (int) (remaining % 1_000_000));
				}
				return true;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return this.pending.get() == 0;
			}
			finally {
				this.idleWaiters--;
			}
		}
	}

	/**
	 * Stops taking events: queued ones are cancelled, running visits aborted. Returns
	 * false when the bus had already stopped.
	 */
	boolean stop(String label) {
		if (this.stopped) {
			return false;
		}
		this.stopped = true;
		// created only when something is cancelled: most buses stop idle
		EventHandlerCancelledException reason = null;
		for (BaseEvent<?> event; (event = this.queue.poll()) != null;) {
			if (event.state.claim(this.bus)) {
				reason = (reason != null) ? reason : stopReason(label);
				cancelQueued(event, reason);
			}
		}
		for (Visit visit : this.activeVisits) {
			reason = (reason != null) ? reason : stopReason(label);
			visit.abortStopped(reason);
		}
		synchronized (this.pauseLock) {
			this.pauseLock.notifyAll();
		}
		return true;
	}

	static EventHandlerCancelledException stopReason(String label) {
		return new EventHandlerCancelledException(label + " was stopped", null);
	}

}
