package io.bubus;

import java.util.ArrayList;
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

	static final HandlerIndex EMPTY = new HandlerIndex(List.of());

	private static final EventHandler[] NONE = new EventHandler[0];

	private final List<EventHandler> all;

	private final Map<String, EventHandler[]> byType = new ConcurrentHashMap<>();

	private HandlerIndex(List<EventHandler> all) {
		this.all = all;
	}

	HandlerIndex with(EventHandler handler) {
		List<EventHandler> next = new ArrayList<>(this.all);
		next.add(handler);
		return new HandlerIndex(List.copyOf(next));
	}

	HandlerIndex without(Predicate<EventHandler> filter) {
		List<EventHandler> next = new ArrayList<>(this.all);
		next.removeIf(filter);
		return new HandlerIndex(List.copyOf(next));
	}

	List<EventHandler> matching(Predicate<EventHandler> filter) {
		return this.all.stream().filter(filter).toList();
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

}
