package io.bubus.middleware;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.bubus.EventStatus;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a WAL file must still hold: every event tree whose root has not completed, with
 * the accepted line, the finished handlers and the completed line (if any) of each of its
 * events, and the keys of the handlers that emitted them. A tree is dropped when its root
 * completes: a parent completes only after all its descendants, so nothing of it can be
 * replayed any more. The file and this state receive the same records in the same order
 * (the file's appends and compaction both run under its lock, which guards this state);
 * reading a file back through {@link #apply} gives the state the writer had.
 */
final class WalState {

	/** Marks a line that is not an event: {@code "handler"} or {@code "result"}. */
	static final String RECORD = "wal_record";

	/** One event of an open tree. */
	static final class Entry {

		final String id;

		final String type;

		final @Nullable String parentId;

		/** Id of the handler whose run emitted the event, when one did. */
		final @Nullable String emittedBy;

		final ObjectNode accepted;

		final String acceptedLine;

		/** Finished handlers by handler key: the result row and its record line. */
		final Map<String, ObjectNode> results = new LinkedHashMap<>();

		final Map<String, String> resultLines = new LinkedHashMap<>();

		@Nullable String completedLine;

		final List<String> children = new ArrayList<>();

		Entry(String id, String type, @Nullable String parentId, @Nullable String emittedBy, ObjectNode accepted,
				String acceptedLine) {
			this.id = id;
			this.type = type;
			this.parentId = parentId;
			this.emittedBy = emittedBy;
			this.accepted = accepted;
			this.acceptedLine = acceptedLine;
		}

		boolean completed() {
			return this.completedLine != null;
		}

	}

	private final Map<String, Entry> entries = new LinkedHashMap<>();

	/** Handler id to handler key, and the record line that said so. */
	private final Map<String, String> handlerKeys = new HashMap<>();

	private final Map<String, String> handlerLines = new HashMap<>();

	@Nullable Entry entry(String id) {
		return this.entries.get(id);
	}

	List<Entry> entries() {
		return List.copyOf(this.entries.values());
	}

	boolean knowsHandler(String handlerId) {
		return this.handlerKeys.containsKey(handlerId);
	}

	@Nullable String handlerKey(@Nullable String handlerId) {
		return (handlerId != null) ? this.handlerKeys.get(handlerId) : null;
	}

	void handler(String handlerId, String key, String line) {
		this.handlerKeys.put(handlerId, key);
		this.handlerLines.put(handlerId, line);
	}

	/** The first accepted line of an event counts; a repeated one (a replay) does not. */
	void accepted(ObjectNode event, String line) {
		String id = event.path("event_id").asString();
		if (this.entries.containsKey(id)) {
			return;
		}
		String parentId = text(event, "event_parent_id");
		Entry entry = new Entry(id, event.path("event_type").asString(), parentId,
				text(event, "event_emitted_by_handler_id"), event, line);
		this.entries.put(id, entry);
		Entry parent = (parentId != null) ? this.entries.get(parentId) : null;
		if (parent != null) {
			parent.children.add(id);
		}
	}

	void result(String eventId, String handlerKey, ObjectNode row, String line) {
		Entry entry = this.entries.get(eventId);
		if (entry != null && !entry.results.containsKey(handlerKey)) {
			entry.results.put(handlerKey, row);
			entry.resultLines.put(handlerKey, line);
		}
	}

	/** Marks the event completed; a completed root takes its finished tree with it. */
	void completed(String id, String line) {
		Entry entry = this.entries.get(id);
		if (entry == null || entry.completed()) {
			return;
		}
		entry.completedLine = line;
		Entry parent = (entry.parentId != null) ? this.entries.get(entry.parentId) : null;
		if (parent == null || parent.completed()) {
			dropTree(entry);
		}
	}

	private void dropTree(Entry root) {
		Deque<Entry> todo = new ArrayDeque<>();
		todo.push(root);
		while (!todo.isEmpty()) {
			Entry entry = todo.pop();
			if (!entry.completed()) {
				// not finished (a child the parent did not wait for): now a root of
				// its own
				continue;
			}
			this.entries.remove(entry.id);
			for (String child : entry.children) {
				Entry next = this.entries.get(child);
				if (next != null) {
					todo.push(next);
				}
			}
		}
	}

	/** Applies one line read back from the file. */
	void apply(ObjectNode line, String text) {
		String record = text(line, RECORD);
		if ("handler".equals(record)) {
			handler(line.path("handler_id").asString(), line.path("handler_key").asString(), text);
		}
		else if ("result".equals(record)) {
			JsonNode row = line.get("row");
			if (row instanceof ObjectNode object) {
				result(line.path("event_id").asString(), line.path("handler_key").asString(), object, text);
			}
		}
		else if (record == null && line.hasNonNull("event_id")) {
			if (EventStatus.COMPLETED.wireValue().equals(line.path("event_status").asString())) {
				completed(line.path("event_id").asString(), text);
			}
			else {
				accepted(line, text);
			}
		}
	}

	/**
	 * The lines a compacted file holds, in their original order: the handler records the
	 * open trees refer to, then each open event's lines.
	 */
	List<String> lines() {
		List<String> lines = new ArrayList<>();
		Set<String> referenced = new HashSet<>();
		for (Entry entry : this.entries.values()) {
			if (entry.emittedBy != null && referenced.add(entry.emittedBy)) {
				String line = this.handlerLines.get(entry.emittedBy);
				if (line != null) {
					lines.add(line);
				}
			}
		}
		for (Entry entry : this.entries.values()) {
			lines.add(entry.acceptedLine);
			lines.addAll(entry.resultLines.values());
			if (entry.completedLine != null) {
				lines.add(entry.completedLine);
			}
		}
		this.handlerKeys.keySet().retainAll(referenced);
		this.handlerLines.keySet().retainAll(referenced);
		return lines;
	}

	private static @Nullable String text(JsonNode node, String field) {
		JsonNode value = node.get(field);
		return (value == null || value.isNull()) ? null : value.asString();
	}

}
