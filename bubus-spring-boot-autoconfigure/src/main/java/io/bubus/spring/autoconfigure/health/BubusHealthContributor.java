package io.bubus.spring.autoconfigure.health;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Stream;

import io.bubus.EventBus;
import io.bubus.bridge.EventBridge;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;

/**
 * The {@code bubus} health contributor: a {@code buses} component with one indicator per
 * {@link EventBus} bean (by bus name) and, when there are bridges, a {@code bridges}
 * component with one per {@link EventBridge} bean (by bridge name). The beans are looked
 * up at each check, so buses and bridges created later are included. Details follow
 * Boot's {@code management.endpoint.health.show-details} / {@code show-components} rules.
 *
 * @author bubus-java
 * @since 0.1.0
 */
public class BubusHealthContributor implements CompositeHealthContributor {

	private final ListableBeanFactory beanFactory;

	private final BubusHealthProperties properties;

	// one indicator per bridge object, so its failed-sends sample lasts between checks
	private final Map<EventBridge, EventBridgeHealthIndicator> bridgeIndicators = new ConcurrentHashMap<>();

	/**
	 * Creates the contributor.
	 * @param beanFactory the factory holding the bus and bridge beans
	 * @param properties the thresholds
	 */
	public BubusHealthContributor(ListableBeanFactory beanFactory, BubusHealthProperties properties) {
		this.beanFactory = beanFactory;
		this.properties = properties;
	}

	@Override
	public @Nullable HealthContributor getContributor(String name) {
		return switch (name) {
			case "buses" -> buses();
			case "bridges" -> bridges();
			default -> null;
		};
	}

	@Override
	public Stream<Entry> stream() {
		CompositeHealthContributor bridges = bridges();
		Stream<Entry> busEntry = Stream.of(new Entry("buses", buses()));
		return (bridges != null) ? Stream.concat(busEntry, Stream.of(new Entry("bridges", bridges))) : busEntry;
	}

	private CompositeHealthContributor buses() {
		Map<String, HealthContributor> buses = new LinkedHashMap<>();
		for (EventBus bus : this.beanFactory.getBeansOfType(EventBus.class, false, false).values()) {
			buses.put(bus.name(), new EventBusHealthIndicator(bus, this.properties.getHistoryThreshold()));
		}
		return CompositeHealthContributor.fromMap(buses);
	}

	private @Nullable CompositeHealthContributor bridges() {
		Map<String, EventBridge> beans = this.beanFactory.getBeansOfType(EventBridge.class, false, false);
		if (beans.isEmpty()) {
			return null;
		}
		this.bridgeIndicators.keySet().retainAll(beans.values());
		Map<String, HealthContributor> bridges = new LinkedHashMap<>();
		Function<EventBridge, EventBridgeHealthIndicator> create = (bridge) -> new EventBridgeHealthIndicator(bridge,
				this.properties.getFailedSendsWindow());
		for (EventBridge bridge : beans.values()) {
			bridges.put(bridge.name(), this.bridgeIndicators.computeIfAbsent(bridge, create));
		}
		return CompositeHealthContributor.fromMap(bridges);
	}

}
