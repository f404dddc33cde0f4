package io.bubus.spring.autoconfigure;

import java.time.Duration;
import java.util.List;

import io.bubus.EventBus;
import io.bubus.EventBusMiddleware;
import org.jspecify.annotations.Nullable;

/**
 * Builds the buses of the auto-configuration: the {@code bubus.*} properties, then the
 * {@code bubus.buses.<name>.*} overrides, then every {@link EventBusMiddleware} bean and
 * every {@link EventBusBuilderCustomizer} bean. Inject it to create more buses that share
 * the application's settings and instrumentation.
 *
 * @author bubus-java
 * @since 0.1.0
 */
public class EventBusFactory {

	private final BubusProperties properties;

	private final List<EventBusMiddleware> middlewares;

	private final List<EventBusBuilderCustomizer> customizers;

	/**
	 * Creates a factory.
	 * @param properties the bound {@code bubus.*} properties
	 * @param middlewares middlewares added to every bus, in order
	 * @param customizers customizers applied to every builder, in order
	 */
	public EventBusFactory(BubusProperties properties, List<EventBusMiddleware> middlewares,
			List<EventBusBuilderCustomizer> customizers) {
		this.properties = properties;
		this.middlewares = List.copyOf(middlewares);
		this.customizers = List.copyOf(customizers);
	}

	/**
	 * Creates and returns a new bus called {@code name}.
	 * @param name the bus name; {@code bubus.buses.<name>.*} values apply when present
	 * @return the new bus
	 */
	public EventBus create(String name) {
		return builder(name).build();
	}

	/**
	 * Returns a builder for a bus called {@code name} with the properties, middlewares
	 * and customizers applied, for callers that want to change more before building.
	 * @param name the bus name; {@code bubus.buses.<name>.*} values apply when present
	 * @return a configured builder
	 */
	public EventBus.Builder builder(String name) {
		BubusProperties top = this.properties;
		BubusProperties.Bus bus = top.getBuses().getOrDefault(name, new BubusProperties.Bus());
		EventBus.Builder builder = EventBus.builder(name)
			.eventConcurrency(or(bus.getEventConcurrency(), top.getEventConcurrency()))
			.eventHandlerConcurrency(or(bus.getEventHandlerConcurrency(), top.getEventHandlerConcurrency()))
			.eventHandlerCompletion(or(bus.getEventHandlerCompletion(), top.getEventHandlerCompletion()))
			.eventTimeout(positive(or(bus.getEventTimeout(), top.getEventTimeout())))
			.eventSlowTimeout(positive(or(bus.getEventSlowTimeout(), top.getEventSlowTimeout())))
			.eventHandlerTimeout(positive(or(bus.getEventHandlerTimeout(), top.getEventHandlerTimeout())))
			.eventHandlerSlowTimeout(positive(or(bus.getEventHandlerSlowTimeout(), top.getEventHandlerSlowTimeout())))
			.maxHistorySize(historySize(or(bus.getMaxHistorySize(), top.getMaxHistorySize())))
			.maxHistoryDrop(or(bus.getMaxHistoryDrop(), top.isMaxHistoryDrop()));
		this.middlewares.forEach(builder::middleware);
		this.customizers.forEach((customizer) -> customizer.customize(name, builder));
		return builder;
	}

	private static <T extends @Nullable Object> T or(@Nullable T value, T fallback) {
		return (value != null) ? value : fallback;
	}

	// The core takes null for "off"; properties cannot express null, so 0 means off.
	private static @Nullable Duration positive(@Nullable Duration duration) {
		return (duration != null && !duration.isZero() && !duration.isNegative()) ? duration : null;
	}

	private static @Nullable Integer historySize(@Nullable Integer size) {
		return (size != null && size >= 0) ? size : null;
	}

}
