package io.bubus;

import java.util.HashSet;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Walks {@code event_parent_id} links upward, through the in-memory parent first, then
 * the history of this bus and of every live bus, then the bus's durable history store.
 * Cycle-safe.
 */
final class Lineage {

	private Lineage() {
	}

	static boolean isChildOf(EventBus bus, BaseEvent<?> child, BaseEvent<?> ancestor) {
		if (child == ancestor || child.eventId().equals(ancestor.eventId())) {
			return false;
		}
		Set<String> seen = new HashSet<>();
		BaseEvent<?> current = child;
		while (current != null && seen.add(current.eventId())) {
			String parentId = current.eventParentId();
			if (parentId == null) {
				return false;
			}
			if (parentId.equals(ancestor.eventId())) {
				return true;
			}
			BaseEvent<?> parent = current.parent();
			current = (parent != null) ? parent : lookup(bus, parentId);
		}
		return false;
	}

	/**
	 * Whether {@code ancestor} is {@code event}'s in-memory parent, grandparent ... (no
	 * history lookups: for the runtime, which only cares about events it links itself).
	 */
	static boolean descendsFrom(BaseEvent<?> event, BaseEvent<?> ancestor) {
		int depth = 0;
		for (BaseEvent<?> current = event.parent(); current != null && depth < 1_000; current = current.parent()) {
			if (current == ancestor) {
				return true;
			}
			depth++;
		}
		return false;
	}

	static @Nullable BaseEvent<?> lookup(EventBus bus, String eventId) {
		BaseEvent<?> found = bus.historyEvent(eventId);
		if (found != null) {
			return found;
		}
		for (EventBus other : EventBus.liveBuses()) {
			found = other.historyEvent(eventId);
			if (found != null) {
				return found;
			}
		}
		EventHistoryStore store = bus.historyStore();
		if (store == null) {
			return null;
		}
		try {
			return store.get(bus.name(), eventId).map(BaseEvent::fromJson).orElse(null);
		}
		catch (RuntimeException ex) {
			// an unreadable stored parent ends the walk like a missing one
			return null;
		}
	}

}
