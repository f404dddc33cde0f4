package io.bubus.spring.autoconfigure.bridge;

import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

import io.bubus.bridge.EventBridge;
import io.bubus.spring.autoconfigure.BubusProperties;
import org.jspecify.annotations.Nullable;

/**
 * A built-in bridge type: its name, the artifact it needs, and how a bridge is created
 * from its settings.
 */
final class BuiltInBridgeFactory implements EventBridgeFactory {

	/**
	 * The artifact each built-in type needs beyond the core (it brings the client
	 * library), by type.
	 */
	static final Map<String, String> LIBRARIES = Map.of("sqlite", "io.bubus:bubus-bridge-sqlite", "postgres",
			"io.bubus:bubus-bridge-postgres", "redis", "io.bubus:bubus-bridge-redis", "nats",
			"io.bubus:bubus-bridge-nats", "nats-jetstream", "io.bubus:bubus-bridge-nats", "rabbitmq",
			"io.bubus:bubus-bridge-rabbitmq", "kafka", "io.bubus:bubus-bridge-kafka");

	/** Every built-in type. */
	static final List<String> TYPES = List.of("jsonl", "http", "socket", "sqlite", "postgres", "redis", "nats",
			"nats-jetstream", "rabbitmq", "kafka");

	private final String type;

	private final BiFunction<String, BubusProperties.Bridge, EventBridge> creator;

	BuiltInBridgeFactory(String type, BiFunction<String, BubusProperties.Bridge, EventBridge> creator) {
		this.type = type;
		this.creator = creator;
	}

	@Override
	public String type() {
		return this.type;
	}

	@Override
	public EventBridge create(String name, BubusProperties.Bridge settings) {
		return this.creator.apply(name, settings);
	}

	/** The value of a setting the type needs, or a clear error naming it. */
	static <T> T required(String name, String key, String type, @Nullable T value) {
		return required(name, key, type, value, "");
	}

	/** The value of a setting needed for {@code purpose} ("to send", say). */
	static <T> T required(String name, String key, String type, @Nullable T value, String purpose) {
		if (value == null || (value instanceof String text && text.isBlank())) {
			throw new IllegalArgumentException("bubus.bridges." + name + "." + key + " is required for a " + type
					+ " bridge" + (purpose.isEmpty() ? "" : " " + purpose));
		}
		return value;
	}

	/** Whether the entry sends anything ({@code send} has a pattern). */
	static boolean sends(BubusProperties.Bridge settings) {
		return !EventBridgeBindings.sendPatterns(settings).isEmpty();
	}

	@Override
	public String toString() {
		return "BuiltInBridgeFactory(" + this.type + ")";
	}

}
