package io.bubus;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;

/**
 * What the current thread is doing for the bus: which handler of which event on which
 * bus, and which event locks the chain of awaiting handlers already holds. A queue-jump
 * re-enters a lock held anywhere in that chain instead of waiting for it.
 */
final class HandlerScope {

	private static final ThreadLocal<@Nullable HandlerScope> CURRENT = new ThreadLocal<>();

	final EventBus bus;

	final BaseEvent<?> event;

	final EventResult<?> result;

	final @Nullable Semaphore heldLock;

	final @Nullable HandlerScope outer;

	private boolean pausedBus;

	/** Buses whose runloop start waits for this handler to return (or a tick). */
	private @Nullable List<EventBus> startOnReturn;

	HandlerScope(EventBus bus, BaseEvent<?> event, EventResult<?> result, @Nullable Semaphore heldLock,
			@Nullable HandlerScope outer) {
		this.bus = bus;
		this.event = event;
		this.result = result;
		this.heldLock = heldLock;
		this.outer = outer;
	}

	static @Nullable HandlerScope current() {
		return CURRENT.get();
	}

	static @Nullable HandlerScope enter(HandlerScope scope) {
		HandlerScope previous = CURRENT.get();
		CURRENT.set(scope);
		return previous;
	}

	static void exit(@Nullable HandlerScope previous) {
		CURRENT.set(previous);
	}

	boolean holds(Semaphore lock) {
		for (HandlerScope scope = this; scope != null; scope = scope.outer) {
			if (scope.heldLock == lock) {
				return true;
			}
		}
		return false;
	}

	/** Whether this scope or an awaiting outer scope is handling the event. */
	boolean handles(BaseEvent<?> candidate) {
		for (HandlerScope scope = this; scope != null; scope = scope.outer) {
			if (scope.event == candidate) {
				return true;
			}
		}
		return false;
	}

	/** Whether an awaiting outer handler was ended while this one ran on its thread. */
	boolean outerEnded() {
		for (HandlerScope scope = this.outer; scope != null; scope = scope.outer) {
			if (scope.result.status() == ResultStatus.ERROR) {
				return true;
			}
		}
		return false;
	}

	/** A handler lock this thread let go of while awaiting, with how often it held it. */
	record HeldLock(ReentrantLock lock, int holds) {
	}

	/**
	 * Lets go of the handler locks this thread holds for the events of this scope chain,
	 * outermost first in the returned list.
	 */
	List<HeldLock> yieldHandlerLocks() {
		List<HeldLock> yielded = List.of();
		for (HandlerScope scope = this; scope != null; scope = scope.outer) {
			ReentrantLock lock = scope.event.state.existingHandlerLock();
			if (lock != null && lock.isHeldByCurrentThread()) {
				if (yielded.isEmpty()) {
					yielded = new ArrayList<>(2);
				}
				int holds = lock.getHoldCount();
				for (int i = 0; i < holds; i++) {
					lock.unlock();
				}
				yielded.add(0, new HeldLock(lock, holds));
			}
		}
		return yielded;
	}

	/** Takes back yielded handler locks, in the order they were first taken. */
	static void reclaim(List<HeldLock> yielded) {
		for (HeldLock held : yielded) {
			for (int i = 0; i < held.holds(); i++) {
				held.lock().lock();
			}
		}
	}

	/**
	 * Stops the handler's own bus from starting other events until this handler returns.
	 */
	void pauseBus() {
		if (!this.pausedBus) {
			this.pausedBus = true;
			this.bus.runloop().pause();
		}
	}

	/**
	 * Starts the bus's runloop when this handler returns, unless the handler ran what it
	 * emitted there itself by awaiting it; the loop starter starts it within a tick if
	 * the handler runs longer.
	 */
	void startLoopOnReturn(EventBus target) {
		if (this.startOnReturn == null) {
			this.startOnReturn = new ArrayList<>(2);
		}
		if (!this.startOnReturn.contains(target)) {
			this.startOnReturn.add(target);
		}
	}

	void close() {
		if (this.pausedBus) {
			this.pausedBus = false;
			this.bus.runloop().resume();
		}
		List<EventBus> buses = this.startOnReturn;
		if (buses != null) {
			this.startOnReturn = null;
			buses.forEach((target) -> target.runloop().startLoopIfQueued());
		}
	}

}
