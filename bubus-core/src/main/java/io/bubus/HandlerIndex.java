package io.bubus;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

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

	private final List<EventHandler> all;

	private final Map<String, EventHandler[]> byType = new ConcurrentHashMap<>();

	private HandlerIndex(Backing backing, int size) {
		this.backing = backing;
		this.size = size;
		this.all = Collections.unmodifiableList(Arrays.asList(backing.array).subList(0, size));
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
		return this.all;
	}

	EventHandler[] forType(String eventType) {
		if (this.all.isEmpty()) {
			return NONE;
		}
		EventHandler[] cached = this.byType.get(eventType);
		if (cached == null) {
			List<EventHandler> list = new ArrayList<>();
			for (EventHandler handler : this.all) {
				if (handler.eventPattern().equals(eventType)) {
					list.add(handler);
				}
			}
			for (EventHandler handler : this.all) {
				if (handler.eventPattern().equals("*") && !eventType.equals("*")) {
					list.add(handler);
				}
			}
			cached = list.toArray(NONE);
			if (this.byType.size() < 10_000) {
				this.byType.put(eventType, cached);
			}
		}
		return cached;
	}

	Map<String, List<String>> idsByPattern() {
		Map<String, List<String>> ids = new LinkedHashMap<>();
		for (EventHandler handler : this.all) {
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
