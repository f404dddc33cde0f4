package io.bubus;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;

/**
 * The cross-bus await rule. A handler that awaits an event (queue-jump) runs it on its
 * own thread and needs the lock of the event's bus (bus-serial) or class (global-serial).
 * When that lock is held by another handler's chain, the thread waits for it here,
 * registered as waiting. A handler whose awaited event is partly run by other threads
 * registers too, as waiting for that event. If the holder's chain is itself waiting,
 * directly or through other waiting chains, for a lock this thread's chain holds, or for
 * an event this thread is running part of, the two wait for each other: a cycle. Then
 * this thread borrows the lock instead of waiting: the holder is blocked awaiting work
 * only this thread can finish, so running the awaited event inline is exactly a
 * queue-jump into the holder's paused handler, and each bus still runs one handler at a
 * time. Without the rule the cycle lasts until an event timeout.
 * <p>
 * A waiter keeps its place in the lock's fair queue (a virtual thread queues for it) and
 * looks for a cycle again every {@link #RECHECK_MILLIS} ms, since the other member of a
 * cycle may register after it. Only threads inside handlers register; the registry is a
 * map of thread to what it waits for (a nested wait saves and restores the outer one),
 * read by the waiters alone (no lock of its own).
 */
final class LockWaits {

	static final long RECHECK_MILLIS = 10;

	private static final Map<Thread, Waiting> WAITING = new ConcurrentHashMap<>();

	/**
	 * What a thread waits for: a lock ({@code wanted}, to run {@code running}) or an
	 * event other threads run ({@code awaited}).
	 */
	private record Waiting(@Nullable Semaphore wanted, @Nullable BaseEvent<?> running, @Nullable BaseEvent<?> awaited,
			HandlerScope scope) {
	}

	private LockWaits() {
	}

	/**
	 * Takes the lock for the handler of {@code scope}, fairly, to run {@code running};
	 * returns false without it when waiting would close a cycle (the caller then runs the
	 * event under the borrowed lock and must not release it).
	 * @throws InterruptedException when the awaiting handler is stopped
	 */
	static boolean acquireOrBorrow(Semaphore lock, HandlerScope scope, BaseEvent<?> running)
			throws InterruptedException {
		if (lock.tryAcquire(0, TimeUnit.NANOSECONDS)) {
			return true;
		}
		Thread self = Thread.currentThread();
		Waiting me = new Waiting(lock, running, null, scope);
		Waiting outer = WAITING.put(self, me);
		CompletableFuture<Boolean> acquired = new CompletableFuture<>();
		Thread taker = Thread.ofVirtual().name("bubus-lock-wait").start(() -> {
			try {
				lock.acquire();
				if (!acquired.complete(true)) {
					// the waiter borrowed or gave up meanwhile
					lock.release();
				}
			}
			catch (InterruptedException ex) {
				acquired.complete(false);
			}
		});
		boolean holding = false;
		try {
			while (true) {
				if (closesCycle(self, me)) {
					if (acquired.complete(false)) {
						return false;
					}
					holding = acquired.getNow(false);
					return holding;
				}
				try {
					holding = acquired.get(RECHECK_MILLIS, TimeUnit.MILLISECONDS);
					return holding;
				}
				catch (TimeoutException ex) {
					// look for a cycle again
				}
				catch (ExecutionException ex) {
					throw new IllegalStateException(ex.getCause());
				}
			}
		}
		finally {
			if (!holding && !acquired.complete(false) && acquired.getNow(false)) {
				// interrupted right as the lock came: hand it back
				lock.release();
			}
			taker.interrupt();
			restore(self, outer);
		}
	}

	/**
	 * Registers the current handler thread as waiting for an event that other threads
	 * run; pass the result to {@link #endAwait}.
	 */
	static @Nullable Object awaitEvent(BaseEvent<?> awaited, HandlerScope scope) {
		return WAITING.put(Thread.currentThread(), new Waiting(null, null, awaited, scope));
	}

	static void endAwait(@Nullable Object outer) {
		restore(Thread.currentThread(), (Waiting) outer);
	}

	private static void restore(Thread self, @Nullable Waiting outer) {
		if (outer != null) {
			WAITING.put(self, outer);
		}
		else {
			WAITING.remove(self);
		}
	}

	/**
	 * Whether a waiting chain that holds the lock I want (or holds what another such
	 * chain waits for, and so on) waits for a lock my chain holds or for an event I run
	 * part of.
	 */
	private static boolean closesCycle(Thread self, Waiting me) {
		Set<Semaphore> seen = Collections.newSetFromMap(new IdentityHashMap<>());
		ArrayDeque<Semaphore> todo = new ArrayDeque<>();
		seen.add(me.wanted());
		todo.add(me.wanted());
		while (!todo.isEmpty()) {
			Semaphore lock = todo.poll();
			for (Map.Entry<Thread, Waiting> entry : WAITING.entrySet()) {
				Waiting other = entry.getValue();
				if (entry.getKey() == self || !other.scope().holds(lock)) {
					continue;
				}
				Semaphore wanted = other.wanted();
				if (wanted == null) {
					if (runsPartOf(me, other.awaited())) {
						return true;
					}
					continue;
				}
				if (me.scope().holds(wanted)) {
					return true;
				}
				if (seen.add(wanted)) {
					todo.add(wanted);
				}
			}
		}
		return false;
	}

	/**
	 * Whether what the waiter runs (the event it wants the lock for, or an event a
	 * handler of its chain handles) is the awaited event or one of its descendants: the
	 * awaited event cannot complete before the waiter's work is done.
	 */
	private static boolean runsPartOf(Waiting me, @Nullable BaseEvent<?> awaited) {
		if (awaited == null) {
			return false;
		}
		if (descendsFrom(me.running(), awaited)) {
			return true;
		}
		for (HandlerScope scope = me.scope(); scope != null; scope = scope.outer) {
			if (descendsFrom(scope.event, awaited)) {
				return true;
			}
		}
		return false;
	}

	private static boolean descendsFrom(@Nullable BaseEvent<?> event, BaseEvent<?> ancestor) {
		for (BaseEvent<?> current = event; current != null; current = current.parent()) {
			if (current == ancestor) {
				return true;
			}
		}
		return false;
	}

}
