package io.bubus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import io.bubus.internal.Durations;
import io.bubus.internal.Ids;
import io.bubus.internal.Timestamps;
import io.bubus.json.BubusJson;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The bubus event JSON: flat {@code event_*} metadata next to the payload, canonical
 * timestamps, timeouts in seconds, {@code event_result_type} as JSON Schema, results as
 * an array ({@code event_results}, omitted when empty; see {@link JsonResults} for the
 * other forms), errors as {@code {type, message}}. Reading validates every known field
 * and names the offending one in its error, and takes results as an array or as an object
 * of rows.
 */
final class EventJson {

	private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

	private static final PropertyNamingStrategies.SnakeCaseStrategy SNAKE = new PropertyNamingStrategies.SnakeCaseStrategy();

	private static final Set<String> WIRE_NAMED = Set.of("EventHandlerTimeoutException", "EventHandlerAbortedException",
			"EventHandlerCancelledException", "EventHandlerResultSchemaException");

	private EventJson() {
	}

	static String payloadName(String javaName) {
		return SNAKE.nameForField(null, null, javaName);
	}

	// ---- writing ----

	static String write(BaseEvent<?> event, JsonResults results) {
		return BubusJson.MAPPER.writeValueAsString(toNode(event, results));
	}

	static ObjectNode toNode(BaseEvent<?> event, boolean withResults) {
		return toNode(event, withResults ? JsonResults.ARRAY : JsonResults.NONE);
	}

	static ObjectNode toNode(BaseEvent<?> event, JsonResults results) {
		ObjectNode node = NODES.objectNode();
		node.put("event_type", event.eventType());
		node.put("event_version", event.eventVersion());
		putSeconds(node, "event_timeout", event.eventTimeout());
		putSeconds(node, "event_slow_timeout", event.eventSlowTimeout());
		putEnum(node, "event_concurrency", event.eventConcurrency(), EventConcurrency::wireValue);
		putSeconds(node, "event_handler_timeout", event.eventHandlerTimeout());
		putSeconds(node, "event_handler_slow_timeout", event.eventHandlerSlowTimeout());
		putEnum(node, "event_handler_concurrency", event.eventHandlerConcurrency(), HandlerConcurrency::wireValue);
		putEnum(node, "event_handler_completion", event.eventHandlerCompletion(), HandlerCompletion::wireValue);
		JsonNode schema = event.resultType().schema();
		node.set("event_result_type", (schema != null) ? schema : NODES.nullNode());
		node.put("event_id", event.eventId());
		ArrayNode path = node.putArray("event_path");
		event.eventPath().forEach(path::add);
		node.put("event_parent_id", event.eventParentId());
		node.put("event_emitted_by_handler_id", event.eventEmittedByHandlerId());
		node.put("event_pending_bus_count", event.eventPendingBusCount());
		node.put("event_created_at", Timestamps.format(event.createdAtNanos()));
		node.put("event_status", event.eventStatus().wireValue());
		putTimestamp(node, "event_started_at", event.startedAtNanos());
		putTimestamp(node, "event_completed_at", event.completedAtNanos());
		payload(event).properties().forEach((entry) -> node.set(entry.getKey(), entry.getValue()));
		List<EventResult<?>> rows = (results != JsonResults.NONE) ? event.resultRows() : List.of();
		if (rows.isEmpty()) {
			return node;
		}
		if (results == JsonResults.OBJECT) {
			// Python's BaseEvent keys its rows by a number string (PythonIdStr)
			ObjectNode keyed = node.putObject("event_results");
			for (int i = 0; i < rows.size(); i++) {
				keyed.set(Integer.toString(i), resultNode(rows.get(i)));
			}
		}
		else {
			ArrayNode array = node.putArray("event_results");
			rows.forEach((row) -> array.add(resultNode(row)));
		}
		return node;
	}

	static ObjectNode payload(BaseEvent<?> event) {
		if (event instanceof DynamicEvent dynamic) {
			ObjectNode node = NODES.objectNode();
			dynamic.payload().forEach((key, value) -> node.set(key, BubusJson.payloadMapper().valueToTree(value)));
			return node;
		}
		JsonNode tree = BubusJson.payloadMapper().valueToTree(event);
		ObjectNode node = (tree instanceof ObjectNode object) ? object : NODES.objectNode();
		ObjectNode extras = event.unknownFields();
		if (extras != null) {
			extras.properties().forEach((entry) -> {
				if (!node.has(entry.getKey())) {
					node.set(entry.getKey(), entry.getValue());
				}
			});
		}
		return node;
	}

	/**
	 * Payload fields the event class does not declare are kept and written back, so
	 * nothing received is lost.
	 */
	private static void keepUnknownFields(BaseEvent<?> event, ObjectNode payload) {
		JsonNode known = BubusJson.payloadMapper().valueToTree(event);
		ObjectNode extras = null;
		for (Map.Entry<String, JsonNode> entry : payload.properties()) {
			if (known == null || !known.has(entry.getKey())) {
				if (extras == null) {
					extras = NODES.objectNode();
				}
				extras.set(entry.getKey(), entry.getValue());
			}
		}
		event.setUnknownFields(extras);
	}

	static ObjectNode resultNode(EventResult<?> row) {
		EventHandler handler = row.handler();
		ObjectNode node = NODES.objectNode();
		node.put("id", row.id());
		node.put("status", row.status().wireValue());
		node.put("event_id", row.event().eventId());
		node.put("handler_id", handler.id());
		node.put("handler_name", handler.handlerName());
		node.put("handler_file_path", handler.handlerFilePath());
		putSeconds(node, "handler_timeout", handler.handlerTimeout());
		putSeconds(node, "handler_slow_timeout", handler.handlerSlowTimeout());
		node.put("handler_registered_at", Timestamps.format(handler.registeredAtNanos()));
		node.put("handler_event_pattern", handler.eventPattern());
		node.put("eventbus_id", row.eventbusId());
		node.put("eventbus_name", row.eventbusName());
		putTimestamp(node, "started_at", row.startedAtNanos());
		putTimestamp(node, "completed_at", row.completedAtNanos());
		Object value = row.rawResult();
		if (value instanceof BaseEvent<?> forwarded) {
			node.set("result", toNode(forwarded, false));
		}
		else {
			node.set("result", BubusJson.payloadMapper().valueToTree(value));
		}
		Throwable error = row.error();
		if (error != null) {
			ObjectNode errorNode = node.putObject("error");
			errorNode.put("type", errorType(error));
			errorNode.put("message", String.valueOf(error.getMessage()));
		}
		else {
			node.putNull("error");
		}
		// ids read from JSON first (their events may not be loaded), then live children
		ArrayNode children = node.putArray("event_children");
		List<String> ids = new ArrayList<>(row.restoredChildIds());
		for (BaseEvent<?> child : row.eventChildren()) {
			if (!ids.contains(child.eventId())) {
				ids.add(child.eventId());
			}
		}
		ids.forEach(children::add);
		return node;
	}

	/**
	 * The wire name of an error: bubus names for the handler-control errors, else the
	 * simple class name.
	 */
	static String errorType(Throwable error) {
		if (error instanceof WireError wire) {
			return wire.type();
		}
		String simple = error.getClass().getSimpleName();
		boolean control = error.getClass().getPackageName().equals("io.bubus") && WIRE_NAMED.contains(simple);
		return control ? simple.substring(0, simple.length() - "Exception".length()) + "Error" : simple;
	}

	static void putSeconds(ObjectNode node, String key, @Nullable Duration duration) {
		if (duration == null) {
			node.putNull(key);
			return;
		}
		if (duration.toNanos() % 1_000_000_000L == 0) {
			node.put(key, duration.toSeconds());
		}
		else {
			node.put(key, Durations.toSeconds(duration));
		}
	}

	private static <T> void putEnum(ObjectNode node, String key, @Nullable T value, Function<T, String> wire) {
		if (value == null) {
			node.putNull(key);
		}
		else {
			node.put(key, wire.apply(value));
		}
	}

	private static void putTimestamp(ObjectNode node, String key, long nanos) {
		if (nanos == Timestamps.NONE) {
			node.putNull(key);
		}
		else {
			node.put(key, Timestamps.format(nanos));
		}
	}

	// ---- reading ----

	static BaseEvent<?> read(String json, @Nullable Class<? extends BaseEvent<?>> type) {
		JsonNode root;
		try {
			root = BubusJson.MAPPER.readTree(json);
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException("Invalid event JSON: " + ex.getOriginalMessage(), ex);
		}
		if (!(root instanceof ObjectNode object)) {
			throw new IllegalArgumentException("Invalid event JSON: expected an object, got " + root.getNodeType());
		}
		return fromNode(object, type);
	}

	static BaseEvent<?> fromNode(ObjectNode node, @Nullable Class<? extends BaseEvent<?>> requested) {
		ObjectNode payload = NODES.objectNode();
		for (Map.Entry<String, JsonNode> entry : node.properties()) {
			String key = entry.getKey();
			EventTypes.checkPayloadKey(key);
			if (!EventTypes.EVENT_FIELDS.contains(key)) {
				payload.set(key, entry.getValue());
			}
		}
		String eventType = requiredText(node, "event_type");
		Class<? extends BaseEvent<?>> type = (requested != null) ? requested : EventTypes.lookup(eventType);
		BaseEvent<?> event;
		if (type == null || type == DynamicEvent.class) {
			DynamicEvent dynamic = new DynamicEvent(eventType);
			payload.properties()
				.forEach((entry) -> dynamic.putPayload(entry.getKey(),
						BubusJson.payloadMapper().convertValue(entry.getValue(), Object.class)));
			event = dynamic;
		}
		else {
			try {
				event = BubusJson.payloadMapper().treeToValue(payload, type);
			}
			catch (JacksonException ex) {
				throw new IllegalArgumentException(
						"Invalid event JSON for " + type.getSimpleName() + ": " + fieldOf(ex) + ex.getOriginalMessage(),
						ex);
			}
			if (!eventType.equals(event.eventType())) {
				event.setEventTypeInternal(eventType);
			}
			keepUnknownFields(event, payload);
		}
		applyMetadata(event, node);
		return event;
	}

	/** {@code field "a.b[0]": } for the payload field a Jackson error is about, or "". */
	private static String fieldOf(JacksonException ex) {
		StringBuilder path = new StringBuilder();
		for (JacksonException.Reference reference : ex.getPath()) {
			if (reference.getPropertyName() != null) {
				path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
			}
			else if (reference.getIndex() >= 0) {
				path.append('[').append(reference.getIndex()).append(']');
			}
		}
		return path.isEmpty() ? "" : "field \"" + path + "\": ";
	}

	private static void applyMetadata(BaseEvent<?> event, ObjectNode node) {
		String id = optionalText(node, "event_id");
		if (id != null && !Ids.isUuid(id)) {
			throw invalid("event_id", "Invalid UUID: " + id);
		}
		String created = optionalText(node, "event_created_at");
		event.setIdentity((id != null) ? id.toLowerCase(java.util.Locale.ROOT) : event.eventId(),
				(created != null) ? timestamp("event_created_at", created) : event.createdAtNanos());
		String version = optionalText(node, "event_version");
		if (version != null) {
			event.setEventVersion(version);
		}
		event.setEventTimeout(seconds(node, "event_timeout"));
		event.setEventSlowTimeout(seconds(node, "event_slow_timeout"));
		event.setEventHandlerTimeout(seconds(node, "event_handler_timeout"));
		event.setEventHandlerSlowTimeout(seconds(node, "event_handler_slow_timeout"));
		event.setEventConcurrency(enumValue(node, "event_concurrency", EventConcurrency::fromWire));
		event.setEventHandlerConcurrency(enumValue(node, "event_handler_concurrency", HandlerConcurrency::fromWire));
		event.setEventHandlerCompletion(enumValue(node, "event_handler_completion", HandlerCompletion::fromWire));
		String parentId = optionalText(node, "event_parent_id");
		if (parentId != null && !Ids.isUuid(parentId)) {
			throw invalid("event_parent_id", "Invalid UUID: " + parentId);
		}
		event.setEventParentId(parentId);
		event.setEventEmittedByHandlerId(optionalText(node, "event_emitted_by_handler_id"));
		JsonNode schema = node.get("event_result_type");
		if (schema != null && !schema.isNull()) {
			if (!schema.isObject()) {
				throw invalid("event_result_type", "expected a JSON Schema object, got " + schema.getNodeType());
			}
			if (event.resultType().javaType() == null) {
				event.setResultType(ResultType.fromSchema(schema));
			}
		}
		List<String> path = new ArrayList<>();
		JsonNode pathNode = node.get("event_path");
		if (pathNode != null && !pathNode.isNull()) {
			if (!pathNode.isArray()) {
				throw invalid("event_path", "expected an array of bus labels, got " + pathNode.getNodeType());
			}
			for (JsonNode label : pathNode) {
				if (!label.isString()) {
					throw invalid("event_path", "expected bus label strings, got " + label.getNodeType());
				}
				path.add(label.asString());
			}
		}
		int pendingBuses = 0;
		JsonNode pendingNode = node.get("event_pending_bus_count");
		if (pendingNode != null && !pendingNode.isNull()) {
			if (!pendingNode.isIntegralNumber() || pendingNode.asInt() < 0) {
				throw invalid("event_pending_bus_count", "expected a non-negative integer, got " + pendingNode);
			}
			pendingBuses = pendingNode.asInt();
		}
		EventStatus status = enumValue(node, "event_status", EventStatus::fromWire);
		String started = optionalText(node, "event_started_at");
		String completed = optionalText(node, "event_completed_at");
		event.restoreState((status != null) ? status : EventStatus.PENDING,
				(started != null) ? timestamp("event_started_at", started) : Timestamps.NONE,
				(completed != null) ? timestamp("event_completed_at", completed) : Timestamps.NONE, pendingBuses, path);
		readResults(event, node.get("event_results"));
	}

	private static void readResults(BaseEvent<?> event, @Nullable JsonNode results) {
		if (results == null || results.isNull()) {
			return;
		}
		Iterator<JsonNode> rows;
		if (results.isArray()) {
			rows = results.iterator();
		}
		else if (results.isObject()) {
			rows = results.values().iterator();
		}
		else {
			throw invalid("event_results", "expected an array of results, got " + results.getNodeType());
		}
		while (rows.hasNext()) {
			JsonNode row = rows.next();
			if (!(row instanceof ObjectNode object)) {
				throw invalid("event_results", "expected result objects, got " + row.getNodeType());
			}
			event.state.putResult(resultFromNode(event, object, null));
		}
	}

	/**
	 * Rebuilds a result row; the handler is looked up by id, else recreated from the
	 * row's flat fields.
	 */
	static EventResult<?> resultFromNode(BaseEvent<?> event, ObjectNode node,
			@Nullable Function<String, @Nullable EventHandler> handlers) {
		String handlerId = requiredText(node, "handler_id", "event_results[].handler_id");
		EventHandler handler = (handlers != null) ? handlers.apply(handlerId) : null;
		if (handler == null) {
			handler = handlerFromResult(node, handlerId);
		}
		String busName = textOr(node, "eventbus_name", handler.eventbusName());
		String busId = textOr(node, "eventbus_id", handler.eventbusId());
		EventResult<Object> row = new EventResult<>(event, handler, busName, busId, busName + "#" + Ids.id4(busId));
		String id = optionalText(node, "id");
		if (id != null) {
			row.setId(id);
		}
		ResultStatus status = enumValue(node, "status", ResultStatus::fromWire);
		JsonNode resultNode = node.get("result");
		Object value = (resultNode == null || resultNode.isNull()) ? null : resultValue(event, resultNode);
		Throwable error = errorFrom(node.get("error"));
		String started = optionalText(node, "started_at");
		String completed = optionalText(node, "completed_at");
		row.restore((status != null) ? status : ResultStatus.PENDING, value, error,
				(started != null) ? timestamp("started_at", started) : Timestamps.NONE,
				(completed != null) ? timestamp("completed_at", completed) : Timestamps.NONE);
		JsonNode children = node.get("event_children");
		if (children != null && children.isArray()) {
			List<String> ids = new ArrayList<>();
			children.forEach((child) -> ids.add(child.asString()));
			row.setRestoredChildIds(ids);
		}
		return row;
	}

	static EventHandler handlerFromResult(ObjectNode node, String handlerId) {
		String registered = optionalText(node, "handler_registered_at");
		EventHandler handler = new EventHandler(handlerId, textOr(node, "handler_name", "anonymous"),
				optionalText(node, "handler_file_path"),
				(registered != null) ? timestamp("handler_registered_at", registered) : Timestamps.now(),
				textOr(node, "handler_event_pattern", "*"), textOr(node, "eventbus_name", "EventBus"),
				textOr(node, "eventbus_id", Ids.ROOT_ID), (event) -> null);
		applyHandlerTimeouts(handler, node);
		return handler;
	}

	static void applyHandlerTimeouts(EventHandler handler, ObjectNode node) {
		if (node.has("handler_timeout")) {
			handler.setHandlerTimeout(seconds(node, "handler_timeout"));
		}
		if (node.has("handler_slow_timeout")) {
			handler.setHandlerSlowTimeout(seconds(node, "handler_slow_timeout"));
		}
	}

	private static @Nullable Object resultValue(BaseEvent<?> event, JsonNode value) {
		if (value.isObject() && value.has("event_type") && value.has("event_id")) {
			return null;
		}
		java.lang.reflect.Type type = event.resultType().javaType();
		JsonMapper mapper = BubusJson.payloadMapper();
		if (type != null) {
			try {
				return mapper.convertValue(value, mapper.constructType(type));
			}
			catch (RuntimeException ex) {
				return mapper.convertValue(value, Object.class);
			}
		}
		return mapper.convertValue(value, Object.class);
	}

	static @Nullable Throwable errorFrom(@Nullable JsonNode error) {
		if (error == null || error.isNull()) {
			return null;
		}
		if (error.isString()) {
			return new WireError("Error", error.asString());
		}
		String type = error.has("type") ? error.get("type").asString() : "Error";
		String message = error.has("message") ? error.get("message").asString() : "";
		return switch (type) {
			case "EventHandlerTimeoutError" -> new EventHandlerTimeoutException(message);
			case "EventHandlerAbortedError" -> new EventHandlerAbortedException(message, null);
			case "EventHandlerCancelledError" -> new EventHandlerCancelledException(message, null);
			case "EventHandlerResultSchemaError" -> new EventHandlerResultSchemaException(message, null, null);
			default -> new WireError(type, message);
		};
	}

	private static String requiredText(ObjectNode node, String key) {
		return requiredText(node, key, key);
	}

	private static String requiredText(ObjectNode node, String key, String shown) {
		String value = optionalText(node, key, shown);
		if (value == null) {
			throw invalid(shown, "required, missing or null");
		}
		return value;
	}

	private static @Nullable String optionalText(JsonNode node, String key) {
		return optionalText(node, key, key);
	}

	private static @Nullable String optionalText(JsonNode node, String key, String shown) {
		JsonNode value = node.get(key);
		if (value == null || value.isNull()) {
			return null;
		}
		if (!value.isString()) {
			throw invalid(shown, "expected string, received " + value.getNodeType().name().toLowerCase());
		}
		return value.asString();
	}

	private static String textOr(JsonNode node, String key, String fallback) {
		String value = optionalText(node, key);
		return (value != null) ? value : fallback;
	}

	private static @Nullable Duration seconds(JsonNode node, String key) {
		JsonNode value = node.get(key);
		if (value == null || value.isNull()) {
			return null;
		}
		if (!value.isNumber()) {
			throw invalid(key, "Invalid input: expected number, received " + value.getNodeType().name().toLowerCase());
		}
		if (value.asDouble() <= 0) {
			throw invalid(key, "must be > 0 or null, got " + value);
		}
		return Durations.fromSeconds(value.asDouble());
	}

	private static <T> @Nullable T enumValue(JsonNode node, String key, Function<String, T> parser) {
		String text = optionalText(node, key);
		if (text == null) {
			return null;
		}
		try {
			return parser.apply(text);
		}
		catch (IllegalArgumentException ex) {
			throw invalid(key, ex.getMessage());
		}
	}

	private static long timestamp(String key, String text) {
		try {
			return Timestamps.parse(text);
		}
		catch (IllegalArgumentException ex) {
			throw invalid(key, ex.getMessage());
		}
	}

	static IllegalArgumentException invalid(String field, @Nullable String problem) {
		return new IllegalArgumentException("Invalid event JSON: field \"" + field + "\": " + problem);
	}

	// ---- conversions ----

	static BaseEvent<?> copyOf(BaseEvent<?> event) {
		ObjectNode node = toNode(event, false);
		return fromNode(node, typeOf(event));
	}

	@SuppressWarnings("unchecked")
	private static @Nullable Class<? extends BaseEvent<?>> typeOf(BaseEvent<?> event) {
		return (event instanceof DynamicEvent) ? null : (Class<? extends BaseEvent<?>>) event.getClass();
	}

	/** Reads a received event into a handler's event class (payload and metadata). */
	static <E extends BaseEvent<?>> E convert(BaseEvent<?> event, Class<E> type) {
		return type.cast(fromNode(toNode(event, false), type));
	}

	/**
	 * A field value by its bubus JSON name, as a plain Java value; {@code null} when
	 * absent.
	 */
	static @Nullable Object fieldValue(BaseEvent<?> event, String field) {
		JsonNode value = toNode(event, false).get(field);
		if (value == null || value.isNull()) {
			return null;
		}
		if (field.endsWith("_timeout") && value.isNumber()) {
			return Durations.fromSeconds(value.asDouble());
		}
		return BubusJson.payloadMapper().convertValue(value, Object.class);
	}

	/** An error received over the wire, keeping its original type name. */
	static final class WireError extends RuntimeException {

		private static final long serialVersionUID = 1L;

		private final String type;

		WireError(String type, String message) {
			super(message);
			this.type = type;
		}

		String type() {
			return this.type;
		}

		@Override
		public String toString() {
			return this.type + ": " + getMessage();
		}

	}

}
