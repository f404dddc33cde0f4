package io.bubus;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

/**
 * An immutable snapshot of a bus's handlers; replaced on every {@code on}/{@code off}, so
 * the hot path reads it without locking. Handlers for a type are exact-type handlers then
 * wildcard handlers, each in registration order; the combined array is cached per type.
 */
final class HandlerIndex {

	static final HandlerIndex EMPTY = new HandlerIndex(new Backing(new EventHandler[0]), 0);

	private static final EventHandler[] NONE = new EventHandler[0];

	/**
	 * Handlers in registration order; this index sees the first {@code size}. Snapshots
	 * share one array while handlers are only added: the newest appends in place (the
	 * slots older snapshots see never change), so registering n handlers is O(n).
	 */
	private final Backing backing;

	private final int size;

	private @Nullable List<EventHandler> all;

	/**
	 * The handlers of the event type looked up last: most buses see one or a few types,
	 * and an index lives only until the next on()/off().
	 */
	private volatile @Nullable Matches last;

	/** Further types, once a second one is looked up. */
	private volatile @Nullable Map<String, EventHandler[]> byType;

	private HandlerIndex(Backing backing, int size) {
		this.backing = backing;
		this.size = size;
	}

	/** Called under the bus's handler lock. */
	HandlerIndex with(EventHandler handler) {
		Backing target = this.backing;
		if (target.used != this.size || this.size == target.array.length) {
			target = new Backing(Arrays.copyOf(target.array, Math.max(8, this.size * 2)));
			target.used = this.size;
		}
		target.array[this.size] = handler;
		target.used = this.size + 1;
		return new HandlerIndex(target, this.size + 1);
	}

	/** Called under the bus's handler lock. */
	HandlerIndex without(Predicate<EventHandler> filter) {
		EventHandler[] kept = new EventHandler[Math.max(8, this.size)];
		int count = 0;
		for (int i = 0; i < this.size; i++) {
			EventHandler handler = this.backing.array[i];
			if (!filter.test(handler)) {
				kept[count++] = handler;
			}
		}
		if (count == this.size) {
			return this;
		}
		Backing next = new Backing(kept);
		next.used = count;
		return new HandlerIndex(next, count);
	}

	List<EventHandler> matching(Predicate<EventHandler> filter) {
		List<EventHandler> matches = new ArrayList<>(2);
		for (int i = 0; i < this.size; i++) {
			EventHandler handler = this.backing.array[i];
			if (filter.test(handler)) {
				matches.add(handler);
			}
		}
		return matches;
	}

	List<EventHandler> all() {
		List<EventHandler> list = this.all;
		if (list == null) {
			list = Collections.unmodifiableList(Arrays.asList(this.backing.array).subList(0, this.size));
			this.all = list;
		}
		return list;
	}

	EventHandler[] forType(String eventType) {
		if (this.size == 0) {
			return NONE;
		}
		Matches recent = this.last;
		if (recent != null && recent.eventType.equals(eventType)) {
			return recent.handlers;
		}
		Map<String, EventHandler[]> more = this.byType;
		EventHandler[] cached = (more != null) ? more.get(eventType) : null;
		if (cached == null) {
			cached = match(eventType);
			if (recent == null) {
				this.last = new Matches(eventType, cached);
				return cached;
			}
			if (more == null) {
				synchronized (this) {
					more = this.byType;
					if (more == null) {
						more = new ConcurrentHashMap<>();
						this.byType = more;
					}
				}
			}
			if (more.size() < 10_000) {
				more.put(eventType, cached);
			}
		}
		return cached;
	}

	/** Handlers of exactly this type in registration order, then the {@code "*"} ones. */
	private EventHandler[] match(String eventType) {
		EventHandler[] handlers = this.backing.array;
		int count = 0;
		for (int i = 0; i < this.size; i++) {
			String pattern = handlers[i].eventPattern();
			if (pattern.equals(eventType) || (pattern.equals("*") && !eventType.equals("*"))) {
				count++;
			}
		}
		if (count == 0) {
			return NONE;
		}
		EventHandler[] matches = new EventHandler[count];
		int at = 0;
		for (int i = 0; i < this.size; i++) {
			if (handlers[i].eventPattern().equals(eventType)) {
				matches[at++] = handlers[i];
			}
		}
		if (!eventType.equals("*")) {
			for (int i = 0; i < this.size; i++) {
				if (handlers[i].eventPattern().equals("*")) {
					matches[at++] = handlers[i];
				}
			}
		}
		return matches;
	}

	private record Matches(String eventType, EventHandler[] handlers) {
	}

	Map<String, List<String>> idsByPattern() {
		Map<String, List<String>> ids = new LinkedHashMap<>();
		for (EventHandler handler : all()) {
			ids.computeIfAbsent(handler.eventPattern(), (key) -> new ArrayList<>()).add(handler.id());
		}
		ids.replaceAll((key, value) -> List.copyOf(value));
		return ids;
	}

	private static final class Backing {

		final EventHandler[] array;

		/** Slots filled so far; only the newest snapshot appends. */
		int used;

		Backing(EventHandler[] array) {
			this.array = array;
		}

	}

}
