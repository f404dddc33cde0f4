package io.bubus.bridge.kafka;

import java.util.LinkedHashMap;
import java.util.Map;

import io.bubus.BaseEvent;

/**
 * The root event id of each event a bridge sent lately, so that a child is keyed like its
 * root: an event without a parent is its own root; a child whose parent was sent is keyed
 * by the parent's root; a child whose parent this bridge never saw is keyed by its parent
 * id (the root, for a child of a root). Bounded: the oldest ids are forgotten first.
 * Guarded by its own monitor.
 */
final class RootIds {

	private static final int MAX_SIZE = 10_000;

	private final Map<String, String> roots = new LinkedHashMap<>(256, 0.75f, false) {

		@Override
		protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
			return size() > MAX_SIZE;
		}

	};

	/** The root id of the event, remembered for its children. */
	synchronized String rootOf(BaseEvent<?> event) {
		String parent = event.eventParentId();
		String root = (parent == null) ? event.eventId() : this.roots.getOrDefault(parent, parent);
		this.roots.put(event.eventId(), root);
		return root;
	}

}
