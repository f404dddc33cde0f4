package io.bubus;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * Event type names, the class registry used by {@code fromJson}, and payload-name
 * validation.
 */
final class EventTypes {

	/**
	 * The {@code event_*} keys bubus knows; any other {@code event_*} key is an error.
	 */
	static final Set<String> EVENT_FIELDS = Set.of("event_id", "event_type", "event_version", "event_result_type",
			"event_timeout", "event_slow_timeout", "event_handler_timeout", "event_handler_slow_timeout",
			"event_concurrency", "event_handler_concurrency", "event_handler_completion", "event_parent_id",
			"event_emitted_by_handler_id", "event_path", "event_pending_bus_count", "event_status", "event_created_at",
			"event_started_at", "event_completed_at", "event_results");

	static final Set<String> RESERVED = Set.of("bus", "first", "tostring", "tojson", "fromjson");

	private static final ClassValue<String> TYPES = new ClassValue<>() {
		@Override
		protected String computeValue(Class<?> type) {
			EventType annotation = type.getAnnotation(EventType.class);
			return (annotation != null) ? annotation.value() : type.getSimpleName();
		}
	};

	private static final ClassValue<Boolean> VALIDATED = new ClassValue<>() {
		@Override
		protected Boolean computeValue(Class<?> type) {
			for (Class<?> current = type; current != null && current != BaseEvent.class
					&& current != Object.class; current = current.getSuperclass()) {
				for (Field field : current.getDeclaredFields()) {
					if (Modifier.isPublic(field.getModifiers()) && !Modifier.isStatic(field.getModifiers())) {
						String name = EventJson.payloadName(field.getName());
						checkPayloadKey(name);
						if (EVENT_FIELDS.contains(name)) {
							// a payload field would shadow the metadata in JSON and be
							// ignored by the bus
							throw new IllegalArgumentException("BaseEvent field \"" + name + "\" of "
									+ type.getSimpleName() + " is event metadata; set it with the event's setter "
									+ "(for example in the constructor), not as a public field");
						}
					}
				}
			}
			return Boolean.TRUE;
		}
	};

	private static final Map<String, Class<? extends BaseEvent<?>>> REGISTRY = new ConcurrentHashMap<>();

	private EventTypes() {
	}

	static String typeOf(Class<?> type) {
		return TYPES.get(type);
	}

	static void register(Class<? extends BaseEvent<?>> type) {
		if ((Class<?>) type == BaseEvent.class || (Class<?>) type == DynamicEvent.class) {
			return;
		}
		validate(type);
		REGISTRY.put(typeOf(type), type);
	}

	static @Nullable Class<? extends BaseEvent<?>> lookup(String eventType) {
		return REGISTRY.get(eventType);
	}

	/** Checks the payload field names of an event class once. */
	static void validate(Class<?> type) {
		VALIDATED.get(type);
	}

	/**
	 * Rejects reserved payload names, unknown {@code event_*} names and {@code model_*}
	 * names with the bubus messages.
	 */
	static void checkPayloadKey(String key) {
		if (RESERVED.contains(key.toLowerCase(Locale.ROOT))) {
			throw new IllegalArgumentException("BaseEvent field \"" + key
					+ "\" is reserved for EventBus runtime context and cannot be set in event payload");
		}
		if (key.startsWith("event_") && !EVENT_FIELDS.contains(key)) {
			throw new IllegalArgumentException(
					"BaseEvent field \"" + key + "\" starts with \"event_\" but is not a recognized BaseEvent field");
		}
		if (key.startsWith("model_")) {
			throw new IllegalArgumentException("BaseEvent field \"" + key
					+ "\" starts with \"model_\" and is reserved for model internals; rename it");
		}
	}

}
