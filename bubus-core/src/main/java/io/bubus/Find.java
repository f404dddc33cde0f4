package io.bubus;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.stream.Stream;

import io.bubus.internal.Timestamps;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A query over a bus's past and future events, built by {@link EventBus#find(Class)}. By
 * default it looks only at history ({@code past(true)}, {@code future(false)}) and
 * returns the most recent match; on a bus with an {@link EventHistoryStore} the stored
 * history is searched when the in-memory history has no match. With a future window it
 * waits for a matching event to be emitted; the match is returned at emit time, before
 * its handlers run.
 *
 * {@snippet :
 * Optional<OrderPlaced> recent = bus.find(OrderPlaced.class)
 * 	.where((event) -> event.orderId.equals("o-1"))
 * 	.past(Duration.ofMinutes(5))
 * 	.future(Duration.ofSeconds(2))
 * 	.get();
 * }
 *
 * @param <E> the event type
 */
public final class Find<E extends BaseEvent<?>> {

	private static final Logger log = LoggerFactory.getLogger(Find.class);

	private final EventBus bus;

	private final String pattern;

	private final @Nullable Class<E> type;

	private final List<Predicate<? super E>> filters = new ArrayList<>();

	private @Nullable BaseEvent<?> ancestor;

	private boolean past = true;

	private @Nullable Duration pastWindow;

	private boolean future;

	private @Nullable Duration futureWindow;

	Find(EventBus bus, String pattern, @Nullable Class<E> type) {
		this.bus = bus;
		this.pattern = pattern;
		this.type = type;
	}

	/** Only events the predicate accepts (evaluated for each candidate, in order). */
	public Find<E> where(Predicate<? super E> predicate) {
		this.filters.add(Objects.requireNonNull(predicate, "predicate"));
		return this;
	}

	/**
	 * Only events whose bubus field (metadata such as {@code event_status} or a payload
	 * field in its JSON name) equals the value.
	 */
	public Find<E> whereField(String field, @Nullable Object value) {
		this.filters.add((event) -> Objects.equals(EventJson.fieldValue(event, field), value));
		return this;
	}

	/** Only descendants (any depth) of this event, also across buses. */
	public Find<E> childOf(BaseEvent<?> ancestor) {
		this.ancestor = ancestor;
		return this;
	}

	/** Search the whole history ({@code true}, the default) or not at all. */
	public Find<E> past(boolean past) {
		this.past = past;
		this.pastWindow = null;
		return this;
	}

	/** Search only history events created within this window. */
	public Find<E> past(Duration window) {
		this.past = true;
		this.pastWindow = window;
		return this;
	}

	/**
	 * Wait for a future event forever ({@code true}) or not at all ({@code false}, the
	 * default).
	 */
	public Find<E> future(boolean future) {
		this.future = future;
		this.futureWindow = null;
		return this;
	}

	/** Wait at most this long for a future event. */
	public Find<E> future(Duration window) {
		this.future = true;
		this.futureWindow = window;
		return this;
	}

	/** The match, blocking at most the future window. */
	public Optional<E> get() {
		CompletableFuture<Optional<E>> result = async();
		try {
			Duration window = this.futureWindow;
			return (this.future && window == null) ? result.get()
					: result.get((window != null) ? window.toNanos() + 1_000_000_000L : 1, TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return Optional.empty();
		}
		catch (ExecutionException | TimeoutException ex) {
			return Optional.empty();
		}
	}

	/** The match as a future; completes empty when the window passes or the bus stops. */
	@SuppressWarnings("unchecked")
	public CompletableFuture<Optional<E>> async() {
		Waiter waiter = null;
		if (this.future) {
			waiter = new Waiter(this::matches);
			this.bus.addWaiter(waiter);
		}
		if (this.past) {
			long cutoff = (this.pastWindow != null) ? Timestamps.now() - this.pastWindow.toNanos() : Long.MIN_VALUE;
			boolean onlyType = this.ancestor == null && this.filters.isEmpty();
			BaseEvent<?> found = this.bus.searchHistory(
					(event) -> event.createdAtNanos() >= cutoff && matchesType(event),
					onlyType ? null : this::matchesFilters);
			if (found == null && this.bus.historyStore() != null) {
				found = searchStore(Objects.requireNonNull(this.bus.historyStore()));
			}
			if (found != null) {
				if (waiter != null) {
					this.bus.removeWaiter(waiter);
				}
				return CompletableFuture.completedFuture(Optional.of((E) found));
			}
		}
		if (waiter == null) {
			return CompletableFuture.completedFuture(Optional.empty());
		}
		Duration window = this.futureWindow;
		if (window != null) {
			Waiter scheduled = waiter;
			io.bubus.internal.Timer.schedule(window.toNanos(), () -> {
				this.bus.removeWaiter(scheduled);
				scheduled.resolve(null);
			});
		}
		return waiter.future.thenApply((event) -> Optional.ofNullable((E) event));
	}

	/**
	 * Newest-first search of the bus's durable history, for events no longer (or never)
	 * in memory.
	 */
	private @Nullable BaseEvent<?> searchStore(EventHistoryStore store) {
		Instant since = (this.pastWindow != null) ? Instant.now().minus(this.pastWindow) : null;
		String eventType = this.pattern.equals("*") ? null : this.pattern;
		try (Stream<String> stored = store.newestFirst(this.bus.name(), eventType, since)) {
			for (String json : (Iterable<String>) stored::iterator) {
				BaseEvent<?> event = decode(json);
				if (event != null && this.bus.historyEvent(event.eventId()) == null && matches(event)) {
					return event;
				}
			}
		}
		return null;
	}

	private @Nullable BaseEvent<?> decode(String json) {
		try {
			return (this.type != null) ? BaseEvent.fromJson(json, this.type) : BaseEvent.fromJson(json);
		}
		catch (RuntimeException ex) {
			log.warn("{} skipped a stored event that cannot be read: {}", this.bus.label(), ex.getMessage());
			return null;
		}
	}

	private boolean matches(BaseEvent<?> event) {
		return matchesType(event) && matchesFilters(event);
	}

	private boolean matchesType(BaseEvent<?> event) {
		if (!this.pattern.equals("*") && !this.pattern.equals(event.eventType())) {
			return false;
		}
		return this.type == null || this.type.isInstance(event);
	}

	@SuppressWarnings("unchecked")
	private boolean matchesFilters(BaseEvent<?> event) {
		BaseEvent<?> root = this.ancestor;
		if (root != null && !this.bus.eventIsChildOf(event, root)) {
			return false;
		}
		for (Predicate<? super E> filter : this.filters) {
			if (!filter.test((E) event)) {
				return false;
			}
		}
		return true;
	}

	/** A pending future lookup; resolved at emit time of the first matching event. */
	static final class Waiter {

		private final Predicate<BaseEvent<?>> filter;

		final CompletableFuture<@Nullable BaseEvent<?>> future = new CompletableFuture<>();

		Waiter(Predicate<BaseEvent<?>> filter) {
			this.filter = filter;
		}

		boolean offer(BaseEvent<?> event) {
			if (this.future.isDone()) {
				return true;
			}
			boolean match;
			try {
				match = this.filter.test(event);
			}
			catch (RuntimeException ex) {
				this.future.completeExceptionally(ex);
				return true;
			}
			return match && this.future.complete(event);
		}

		void resolve(@Nullable BaseEvent<?> event) {
			this.future.complete(event);
		}

	}

}
