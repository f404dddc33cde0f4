package io.bubus;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * An event without a Java class: a type name and a payload map. Used for string-typed
 * events and for events received over a bridge whose type has no registered class.
 *
 * {@snippet :
 * DynamicEvent event = bus.emit(new DynamicEvent("UserSignedUp", Map.of("user", "ada")));
 * Object user = event.get("user");
 * }
 */
public final class DynamicEvent extends BaseEvent<Object> {

	private final LinkedHashMap<String, @Nullable Object> payload = new LinkedHashMap<>();

	/** An event of this type with no payload. */
	public DynamicEvent(String eventType) {
		this(eventType, Map.of());
	}

	/**
	 * An event of this type with a payload.
	 * @throws IllegalArgumentException for reserved names ({@code bus}, {@code first}
	 * ...), unknown {@code event_*} names and {@code model_*} names
	 */
	public DynamicEvent(String eventType, Map<String, ?> payload) {
		Objects.requireNonNull(eventType, "eventType");
		if (eventType.isBlank()) {
			throw new IllegalArgumentException("event_type must not be blank");
		}
		setEventTypeInternal(eventType);
		payload.forEach((key, value) -> {
			EventTypes.checkPayloadKey(key);
			if (EventTypes.EVENT_FIELDS.contains(key)) {
				throw new IllegalArgumentException("BaseEvent field \"" + key
						+ "\" is event metadata; set it with the event's setters, not in the payload");
			}
			this.payload.put(key, value);
		});
	}

	/** A payload value, or {@code null}. */
	public @Nullable Object get(String field) {
		return this.payload.get(field);
	}

	/** The payload, in insertion order (read-only). */
	public Map<String, @Nullable Object> payload() {
		return Collections.unmodifiableMap(this.payload);
	}

	void putPayload(String key, @Nullable Object value) {
		this.payload.put(key, value);
	}

}
