package io.bubus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.bubus.internal.Durations;
import io.bubus.internal.Ids;
import io.bubus.internal.Timestamps;
import io.bubus.json.BubusJson;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The whole-bus snapshot of the bubus wire format: configuration, {@code handlers} (id to
 * registration), {@code handlers_by_key} (pattern to ids), {@code event_history} (id to
 * event JSON with its results) and {@code pending_event_queue} (ids in queue order).
 * <p>
 * Restoring gives a bus whose handlers are stubs returning {@code null} (code is never
 * serialized), whose history holds the events with their result rows linked to those
 * handlers, and whose queue holds the queued events again. The queue is processed on the
 * next emit; rows already completed are not run again.
 */
final class BusJson {

	private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

	private static final EventHandlerFunction<BaseEvent<?>> STUB = (event) -> null;

	private BusJson() {
	}

	// ---- writing ----

	static String write(EventBus bus) {
		ObjectNode node = NODES.objectNode();
		node.put("id", bus.id());
		node.put("name", bus.name());
		Integer max = bus.maxHistorySize();
		if (max != null) {
			node.put("max_history_size", max.intValue());
		}
		else {
			node.putNull("max_history_size");
		}
		node.put("max_history_drop", bus.maxHistoryDrop());
		node.put("event_concurrency", bus.eventConcurrency().wireValue());
		EventJson.putSeconds(node, "event_timeout", bus.eventTimeout());
		EventJson.putSeconds(node, "event_slow_timeout", bus.eventSlowTimeout());
		node.put("event_handler_concurrency", bus.eventHandlerConcurrency().wireValue());
		node.put("event_handler_completion", bus.eventHandlerCompletion().wireValue());
		EventJson.putSeconds(node, "event_handler_slow_timeout", bus.eventHandlerSlowTimeout());
		node.put("event_handler_detect_file_paths", bus.eventHandlerDetectFilePaths());
		if (bus.eventHandlerTimeout() != null) {
			// Java only: the Python and TypeScript buses have no default handler timeout
			EventJson.putSeconds(node, "event_handler_timeout", bus.eventHandlerTimeout());
		}
		ObjectNode handlers = node.putObject("handlers");
		for (EventHandler handler : bus.handlers()) {
			handlers.set(handler.id(), handlerNode(handler));
		}
		ObjectNode byKey = node.putObject("handlers_by_key");
		bus.handlersByKey().forEach((pattern, ids) -> {
			ArrayNode list = byKey.putArray(pattern);
			ids.forEach(list::add);
		});
		List<BaseEvent<?>> queued = bus.queuedEvents();
		ObjectNode history = node.putObject("event_history");
		for (BaseEvent<?> event : bus.eventHistory()) {
			history.set(event.eventId(), EventJson.toNode(event, true));
		}
		for (BaseEvent<?> event : queued) {
			if (!history.has(event.eventId())) {
				history.set(event.eventId(), EventJson.toNode(event, true));
			}
		}
		ArrayNode queue = node.putArray("pending_event_queue");
		queued.forEach((event) -> queue.add(event.eventId()));
		return BubusJson.MAPPER.writeValueAsString(node);
	}

	private static ObjectNode handlerNode(EventHandler handler) {
		ObjectNode node = NODES.objectNode();
		node.put("id", handler.id());
		node.put("eventbus_name", handler.eventbusName());
		node.put("eventbus_id", handler.eventbusId());
		node.put("event_pattern", handler.eventPattern());
		node.put("handler_name", handler.handlerName());
		node.put("handler_file_path", handler.handlerFilePath());
		node.put("handler_registered_at", Timestamps.format(handler.registeredAtNanos()));
		// only explicit overrides: a null disables the timeout, a missing key does not
		if (handler.handlerTimeoutSet()) {
			EventJson.putSeconds(node, "handler_timeout", handler.handlerTimeout());
		}
		if (handler.handlerSlowTimeoutSet()) {
			EventJson.putSeconds(node, "handler_slow_timeout", handler.handlerSlowTimeout());
		}
		return node;
	}

	// ---- reading ----

	static EventBus read(String json) {
		JsonNode parsed;
		try {
			parsed = BubusJson.MAPPER.readTree(json);
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException("Invalid bus JSON: " + ex.getOriginalMessage(), ex);
		}
		if (!(parsed instanceof ObjectNode root)) {
			throw invalid("(root)", "expected an object, got " + parsed.getNodeType());
		}
		ObjectNode handlersNode = object(root, "handlers");
		ObjectNode byKeyNode = object(root, "handlers_by_key");
		ObjectNode historyNode = object(root, "event_history");
		JsonNode queueNode = root.get("pending_event_queue");
		if (queueNode != null && !queueNode.isNull() && !queueNode.isArray()) {
			throw invalid("pending_event_queue", "expected an array of event ids, got " + queueNode.getNodeType());
		}
		EventBus bus = configure(root).build();
		Map<String, EventHandler> handlers = readHandlers(bus, handlersNode, byKeyNode);
		Map<String, BaseEvent<?>> events = readHistory(bus, historyNode, handlers);
		List<String> queued = new ArrayList<>();
		if (queueNode != null && queueNode.isArray()) {
			for (JsonNode id : queueNode) {
				if (!id.isString() || !events.containsKey(id.asString())) {
					throw invalid("pending_event_queue", "id " + id + " is not in event_history");
				}
				queued.add(id.asString());
			}
		}
		for (BaseEvent<?> event : events.values()) {
			if (!queued.contains(event.eventId())) {
				bus.restoreEvent(event, false);
			}
		}
		for (String id : queued) {
			bus.restoreEvent(events.get(id), true);
		}
		return bus;
	}

	private static EventBus.Builder configure(ObjectNode root) {
		String id = text(root, "id");
		if (id == null) {
			throw invalid("id", "required, missing or null");
		}
		EventBus.Builder builder = EventBus.builder(text(root, "name")).id(id);
		if (root.has("max_history_size")) {
			JsonNode max = root.get("max_history_size");
			if (!max.isNull() && !max.isIntegralNumber()) {
				throw invalid("max_history_size", "expected an integer or null, got " + max);
			}
			builder.maxHistorySize(max.isNull() ? null : max.asInt());
		}
		if (root.has("max_history_drop")) {
			builder.maxHistoryDrop(bool(root, "max_history_drop"));
		}
		if (root.has("event_handler_detect_file_paths")) {
			builder.eventHandlerDetectFilePaths(bool(root, "event_handler_detect_file_paths"));
		}
		String concurrency = text(root, "event_concurrency");
		if (concurrency != null) {
			builder.eventConcurrency(parse("event_concurrency", concurrency, EventConcurrency::fromWire));
		}
		String handlerConcurrency = text(root, "event_handler_concurrency");
		if (handlerConcurrency != null) {
			builder.eventHandlerConcurrency(
					parse("event_handler_concurrency", handlerConcurrency, HandlerConcurrency::fromWire));
		}
		String completion = text(root, "event_handler_completion");
		if (completion != null) {
			builder.eventHandlerCompletion(parse("event_handler_completion", completion, HandlerCompletion::fromWire));
		}
		if (root.has("event_timeout")) {
			builder.eventTimeout(seconds(root, "event_timeout"));
		}
		if (root.has("event_slow_timeout")) {
			builder.eventSlowTimeout(seconds(root, "event_slow_timeout"));
		}
		if (root.has("event_handler_timeout")) {
			builder.eventHandlerTimeout(seconds(root, "event_handler_timeout"));
		}
		if (root.has("event_handler_slow_timeout")) {
			builder.eventHandlerSlowTimeout(seconds(root, "event_handler_slow_timeout"));
		}
		return builder;
	}

	/**
	 * Handlers as stubs, registered in {@code handlers_by_key} order so that each
	 * pattern's list comes back as it was; handlers missing from it follow.
	 */
	private static Map<String, EventHandler> readHandlers(EventBus bus, ObjectNode handlersNode, ObjectNode byKeyNode) {
		Map<String, EventHandler> parsed = new LinkedHashMap<>();
		for (Map.Entry<String, JsonNode> entry : handlersNode.properties()) {
			if (!(entry.getValue() instanceof ObjectNode handler)) {
				throw invalid("handlers." + entry.getKey(), "expected a handler object");
			}
			EventHandler restored = handlerFrom(handler, entry.getKey());
			parsed.put(restored.id(), restored);
		}
		Map<String, EventHandler> adopted = new LinkedHashMap<>();
		for (Map.Entry<String, JsonNode> entry : byKeyNode.properties()) {
			if (!entry.getValue().isArray()) {
				throw invalid("handlers_by_key." + entry.getKey(), "expected an array of handler ids");
			}
			for (JsonNode id : entry.getValue()) {
				EventHandler handler = parsed.get(id.asString());
				if (handler != null && !adopted.containsKey(handler.id())) {
					bus.adoptHandler(handler);
					adopted.put(handler.id(), handler);
				}
			}
		}
		for (EventHandler handler : parsed.values()) {
			if (!adopted.containsKey(handler.id())) {
				bus.adoptHandler(handler);
				adopted.put(handler.id(), handler);
			}
		}
		return adopted;
	}

	private static EventHandler handlerFrom(ObjectNode node, String key) {
		String id = text(node, "id");
		String registered = text(node, "handler_registered_at");
		long registeredAt;
		try {
			registeredAt = (registered != null) ? Timestamps.parse(registered) : Timestamps.now();
		}
		catch (IllegalArgumentException ex) {
			throw invalid("handlers." + key + ".handler_registered_at", ex.getMessage());
		}
		EventHandler handler = new EventHandler((id != null) ? id : key, textOr(node, "handler_name", "anonymous"),
				text(node, "handler_file_path"), registeredAt, textOr(node, "event_pattern", "*"),
				textOr(node, "eventbus_name", "EventBus"), textOr(node, "eventbus_id", Ids.ROOT_ID), STUB);
		EventJson.applyHandlerTimeouts(handler, node);
		return handler;
	}

	/**
	 * Events with their rows linked to the restored handlers; a row whose handler is
	 * missing recreates it from the row's {@code handler_*} fields (and registers it when
	 * the row belongs to this bus). Child ids are linked back to history events.
	 */
	private static Map<String, BaseEvent<?>> readHistory(EventBus bus, ObjectNode historyNode,
			Map<String, EventHandler> handlers) {
		Map<String, BaseEvent<?>> events = new LinkedHashMap<>();
		for (Map.Entry<String, JsonNode> entry : historyNode.properties()) {
			if (!(entry.getValue() instanceof ObjectNode eventNode)) {
				throw invalid("event_history." + entry.getKey(), "expected an event object");
			}
			ObjectNode withoutResults = eventNode.deepCopy();
			JsonNode results = withoutResults.remove("event_results");
			BaseEvent<?> event = EventJson.fromNode(withoutResults, null);
			for (ObjectNode row : rows(results, entry.getKey())) {
				event.state.putResult(EventJson.resultFromNode(event, row, handlers::get));
				EventResult<?> restored = event.state.resultFor(row.get("handler_id").asString());
				if (restored != null && !handlers.containsKey(restored.handlerId())
						&& restored.eventbusId().equals(bus.id())) {
					bus.adoptHandler(restored.handler());
					handlers.put(restored.handlerId(), restored.handler());
				}
			}
			events.put(event.eventId(), event);
		}
		for (BaseEvent<?> event : events.values()) {
			for (EventResult<?> row : event.resultRows()) {
				for (String childId : row.restoredChildIds()) {
					BaseEvent<?> child = events.get(childId);
					if (child != null) {
						child.linkParent(event, row);
					}
				}
			}
		}
		return events;
	}

	private static List<ObjectNode> rows(@Nullable JsonNode results, String eventKey) {
		List<ObjectNode> rows = new ArrayList<>();
		if (results == null || results.isNull()) {
			return rows;
		}
		if (!results.isArray() && !results.isObject()) {
			throw invalid("event_history." + eventKey + ".event_results", "expected an array of results");
		}
		for (Iterator<JsonNode> it = results.isArray() ? results.iterator() : results.values().iterator(); it
			.hasNext();) {
			JsonNode row = it.next();
			if (!(row instanceof ObjectNode object)) {
				throw invalid("event_history." + eventKey + ".event_results", "expected result objects");
			}
			rows.add(object);
		}
		return rows;
	}

	// ---- small readers ----

	private static ObjectNode object(ObjectNode root, String key) {
		JsonNode value = root.get(key);
		if (value == null || value.isNull()) {
			return NODES.objectNode();
		}
		if (!(value instanceof ObjectNode object)) {
			throw invalid(key, "expected an object, got " + value.getNodeType());
		}
		return object;
	}

	private static @Nullable String text(JsonNode node, String key) {
		JsonNode value = node.get(key);
		if (value == null || value.isNull()) {
			return null;
		}
		if (!value.isString()) {
			throw invalid(key, "expected a string, got " + value.getNodeType());
		}
		return value.asString();
	}

	private static String textOr(JsonNode node, String key, String fallback) {
		String value = text(node, key);
		return (value != null) ? value : fallback;
	}

	private static boolean bool(JsonNode node, String key) {
		JsonNode value = node.get(key);
		if (!value.isBoolean()) {
			throw invalid(key, "expected true or false, got " + value);
		}
		return value.asBoolean();
	}

	private static @Nullable Duration seconds(JsonNode node, String key) {
		JsonNode value = node.get(key);
		if (value.isNull()) {
			return null;
		}
		if (!value.isNumber() || value.asDouble() <= 0) {
			throw invalid(key, "expected a number of seconds > 0 or null, got " + value);
		}
		return Durations.fromSeconds(value.asDouble());
	}

	private static <T> T parse(String key, String value, Function<String, T> parser) {
		try {
			return parser.apply(value);
		}
		catch (IllegalArgumentException ex) {
			throw invalid(key, ex.getMessage());
		}
	}

	private static IllegalArgumentException invalid(String field, @Nullable String problem) {
		return new IllegalArgumentException("Invalid bus JSON: field \"" + field + "\": " + problem);
	}

}
