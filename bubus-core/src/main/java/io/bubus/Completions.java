package io.bubus;

import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

/**
 * Completion futures of events that completed while the current thread was finishing a
 * bus's visit, held until that bus let go of the event: its lock released and its pending
 * count down. A caller woken by {@code done()} then finds the bus idle (an exact
 * {@code waitUntilIdle(Duration.ZERO)}), and the future's dependent actions (user
 * callbacks) never run while the bus lock is held. The event's status and timestamps are
 * set at once; only the wake-up waits. Scopes nest (a queue-jumped child opens its own),
 * each releasing only what completed inside it.
 */
final class Completions {

	private static final ThreadLocal<@Nullable Completions> CURRENT = new ThreadLocal<>();

	private final @Nullable Completions outer;

	private @Nullable ArrayList<Held> held;

	private Completions(@Nullable Completions outer) {
		this.outer = outer;
	}

	private record Held(CompletableFuture<Object> future, Object event) {
	}

	/** Starts holding completions on this thread; pass the result to {@link #release}. */
	static Completions hold() {
		Completions scope = new Completions(CURRENT.get());
		CURRENT.set(scope);
		return scope;
	}

	/** Ends the scope and completes what it held, in completion order. */
	static void release(Completions scope) {
		CURRENT.set(scope.outer);
		ArrayList<Held> futures = scope.held;
		if (futures != null) {
			scope.held = null;
			for (Held entry : futures) {
				entry.future().complete(entry.event());
			}
		}
	}

	/** Completes the future now, or when the current scope ends. */
	@SuppressWarnings("unchecked")
	static <T> void complete(CompletableFuture<T> future, T value) {
		Completions scope = CURRENT.get();
		if (scope == null) {
			future.complete(value);
			return;
		}
		if (scope.held == null) {
			scope.held = new ArrayList<>(2);
		}
		scope.held.add(new Held((CompletableFuture<Object>) future, value));
	}

}
