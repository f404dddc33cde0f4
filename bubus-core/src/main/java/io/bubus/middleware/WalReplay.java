package io.bubus.middleware;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.bubus.BaseEvent;
import io.bubus.EventBus;
import io.bubus.EventHandler;
import io.bubus.EventResult;
import io.bubus.EventStatus;
import io.bubus.json.BubusJson;
import io.bubus.middleware.WalState.Entry;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One replay of a WAL onto a bus: which unfinished events are emitted again on their own
 * (the roots) and which are re-linked when the re-run handler that emitted them emits
 * them again.
 * <p>
 * An event is re-linked, not replayed on its own, when its parent is replayed too and the
 * handler that emitted it has no finished row for the parent: that handler runs again and
 * emits it again. The n-th event of a type that a re-run handler emits on the bus is the
 * n-th it emitted before; it takes the recorded id and finished rows, so its own finished
 * handlers do not run again and its children are matched the same way. Everything else
 * that is unfinished is a root. Events a re-run handler does not emit again are not run:
 * the run that emitted them never finished.
 * <p>
 * Immutable after construction except for the per-run counters and the taken set (both
 * concurrent: parallel handlers emit at the same time).
 */
final class WalReplay {

	/** Children recorded per (parent id, emitting handler key), in emit order. */
	private final Map<String, List<Entry>> children = new HashMap<>();

	private final List<Entry> roots = new ArrayList<>();

	/** Finished rows per event id, by handler key. */
	private final Map<String, Map<String, ObjectNode>> results = new HashMap<>();

	private final Map<String, AtomicInteger> emittedPerRun = new ConcurrentHashMap<>();

	private final Set<String> taken = ConcurrentHashMap.newKeySet();

	private final Map<String, EventHandler> live;

	private final WalHandlerKeys keys;

	WalReplay(WalState state, Map<String, EventHandler> live, WalHandlerKeys keys) {
		this.live = live;
		this.keys = keys;
		for (Entry entry : state.entries()) {
			this.results.put(entry.id, Map.copyOf(entry.results));
			Entry parent = (entry.parentId != null) ? state.entry(entry.parentId) : null;
			String emitter = state.handlerKey(entry.emittedBy);
			boolean rerun = parent != null && !parent.completed() && emitter != null && live.containsKey(emitter)
					&& !parent.results.containsKey(emitter);
			if (rerun) {
				this.children.computeIfAbsent(runKey(parent.id, emitter), (key) -> new ArrayList<>()).add(entry);
			}
			else if (!entry.completed()) {
				this.roots.add(entry);
			}
		}
	}

	List<Entry> roots() {
		return this.roots;
	}

	boolean relinks() {
		return !this.children.isEmpty();
	}

	/**
	 * The recorded event a re-run handler's emission stands for, or null when it is a new
	 * one.
	 */
	@Nullable BaseEvent<?> recorded(EventBus bus, BaseEvent<?> parent, EventResult<?> emittedBy, BaseEvent<?> event) {
		String emitter = this.keys.keyOf(bus, emittedBy.handler());
		List<Entry> recorded = this.children.get(runKey(parent.eventId(), emitter));
		if (recorded == null) {
			return null;
		}
		int index = this.emittedPerRun.computeIfAbsent(emittedBy.id() + " " + bus.label(), (key) -> new AtomicInteger())
			.getAndIncrement();
		if (index >= recorded.size()) {
			return null;
		}
		Entry entry = recorded.get(index);
		if (!entry.type.equals(event.eventType()) || !this.taken.add(entry.id)) {
			return null;
		}
		return restore(entry, bus);
	}

	/** The event of an accepted line, pending again, with its finished rows restored. */
	BaseEvent<?> restore(Entry entry, EventBus bus) {
		ObjectNode json = asAccepted(entry.accepted);
		ArrayNode rows = json.putArray("event_results");
		for (Map.Entry<String, ObjectNode> finished : this.results.getOrDefault(entry.id, Map.of()).entrySet()) {
			EventHandler handler = this.live.get(finished.getKey());
			if (handler == null) {
				// the handler is gone: nothing will run for it, its old row is not shown
				continue;
			}
			ObjectNode row = finished.getValue().deepCopy();
			row.put("handler_id", handler.id());
			row.put("eventbus_name", bus.name());
			row.put("eventbus_id", bus.id());
			rows.add(row);
		}
		return BaseEvent.fromJson(BubusJson.MAPPER.writeValueAsString(json));
	}

	/**
	 * The line as an event this bus has not taken yet: pending, no timestamps, and
	 * without the last path entry, which is the bus that wrote it (a bus ignores events
	 * whose path already names it).
	 */
	private static ObjectNode asAccepted(ObjectNode line) {
		ObjectNode copy = line.deepCopy();
		copy.put("event_status", EventStatus.PENDING.wireValue());
		copy.putNull("event_started_at");
		copy.putNull("event_completed_at");
		copy.put("event_pending_bus_count", 0);
		copy.remove("event_results");
		JsonNode path = copy.get("event_path");
		if (path instanceof ArrayNode labels && !labels.isEmpty()) {
			labels.remove(labels.size() - 1);
		}
		return copy;
	}

	private static String runKey(String parentId, String handlerKey) {
		return parentId + " " + handlerKey;
	}

}
