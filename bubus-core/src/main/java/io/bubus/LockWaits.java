package io.bubus;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The cross-bus await rule. A handler that awaits an event (queue-jump) runs it on its
 * own thread and needs the lock of the event's bus (bus-serial) or class (global-serial).
 * When that lock is held by another handler's chain, the thread waits for it here,
 * registered as waiting. If the holder's chain is itself waiting, directly or through
 * other waiting chains, for a lock this thread's chain holds, the two wait for each
 * other: a cycle. Then this thread borrows the lock instead of waiting: the holder is
 * blocked awaiting work only this thread can finish, so running the awaited event inline
 * is exactly a queue-jump into the holder's paused handler, and each bus still runs one
 * handler at a time. Without the rule the cycle lasts until an event timeout.
 * <p>
 * Only threads inside handlers register; the registry is a map of thread to what it waits
 * for, read by the waiters alone (no lock of its own).
 */
final class LockWaits {

	private static final Map<Thread, Waiting> WAITING = new ConcurrentHashMap<>();

	private record Waiting(Semaphore wanted, HandlerScope scope) {
	}

	private LockWaits() {
	}

	/**
	 * Takes the lock for the handler of {@code scope}, fairly; returns false without it
	 * when waiting would close a cycle (the caller then runs the event under the borrowed
	 * lock and must not release it).
	 * @throws InterruptedException when the awaiting handler is stopped
	 */
	static boolean acquireOrBorrow(Semaphore lock, HandlerScope scope) throws InterruptedException {
		if (lock.tryAcquire(0, TimeUnit.NANOSECONDS)) {
			return true;
		}
		Thread self = Thread.currentThread();
		WAITING.put(self, new Waiting(lock, scope));
		try {
			// the thread that registers last closes a cycle and sees every other member
			// registered (the map is linearizable), so one look is enough
			if (closesCycle(self, lock, scope)) {
				return false;
			}
			lock.acquire();
			return true;
		}
		finally {
			WAITING.remove(self);
		}
	}

	/**
	 * Whether a waiting chain that holds {@code wanted} (or holds what another such chain
	 * waits for, and so on) waits for a lock {@code mine} holds.
	 */
	private static boolean closesCycle(Thread self, Semaphore wanted, HandlerScope mine) {
		Set<Semaphore> seen = Collections.newSetFromMap(new IdentityHashMap<>());
		ArrayDeque<Semaphore> todo = new ArrayDeque<>();
		seen.add(wanted);
		todo.add(wanted);
		while (!todo.isEmpty()) {
			Semaphore lock = todo.poll();
			for (Map.Entry<Thread, Waiting> entry : WAITING.entrySet()) {
				Waiting other = entry.getValue();
				if (entry.getKey() == self || !other.scope().holds(lock)) {
					continue;
				}
				if (mine.holds(other.wanted())) {
					return true;
				}
				if (seen.add(other.wanted())) {
					todo.add(other.wanted());
				}
			}
		}
		return false;
	}

}
