package io.bubus;

import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

/**
 * Events that completed while the current thread was finishing a bus's visit, held
 * unsettled until that bus let go of the event: its lock released and its pending count
 * down. An event's status and timestamps are set at once; only its settlement (what wakes
 * {@code done()}, {@code eventResult()} and {@code completion()}) waits. A caller that
 * learns of the completion then finds the bus idle (an exact
 * {@code waitUntilIdle(Duration.ZERO)}), and the future's dependent actions (user
 * callbacks) never run while the bus lock is held. Scopes nest (a queue-jumped child
 * opens its own), each releasing only what completed inside it. Thread confined: a scope
 * belongs to the thread that opened it.
 */
final class Completions {

	private static final ThreadLocal<@Nullable Completions> CURRENT = new ThreadLocal<>();

	private final @Nullable Completions outer;

	private @Nullable ArrayList<Held> held;

	private record Held(BaseEvent<?> event, @Nullable CompletableFuture<?> future) {
	}

	private Completions(@Nullable Completions outer) {
		this.outer = outer;
	}

	/** Starts holding settlements on this thread; pass the result to {@link #release}. */
	static Completions hold() {
		Completions scope = new Completions(CURRENT.get());
		CURRENT.set(scope);
		return scope;
	}

	/** Ends the scope and settles what it held, in completion order. */
	static void release(Completions scope) {
		CURRENT.set(scope.outer);
		ArrayList<Held> events = scope.held;
		if (events != null) {
			scope.held = null;
			for (Held entry : events) {
				entry.event().state.settle(entry.future());
			}
		}
	}

	/**
	 * Settles the completed event now, or when the current scope ends; {@code future} is
	 * its completion future when it completed, if any.
	 */
	static void settle(BaseEvent<?> event, @Nullable CompletableFuture<?> future) {
		Completions scope = CURRENT.get();
		if (scope == null) {
			event.state.settle(future);
			return;
		}
		if (scope.held == null) {
			scope.held = new ArrayList<>(2);
		}
		scope.held.add(new Held(event, future));
	}

	/**
	 * Whether a scope of the current thread holds the event: code this thread runs before
	 * the release (a completion hook awaiting the event) must not wait for it.
	 */
	static boolean holds(BaseEvent<?> event) {
		for (Completions scope = CURRENT.get(); scope != null; scope = scope.outer) {
			ArrayList<Held> events = scope.held;
			if (events != null) {
				for (Held entry : events) {
					if (entry.event() == event) {
						return true;
					}
				}
			}
		}
		return false;
	}

}
