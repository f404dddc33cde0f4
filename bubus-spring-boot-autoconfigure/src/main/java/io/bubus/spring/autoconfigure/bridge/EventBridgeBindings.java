package io.bubus.spring.autoconfigure.bridge;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.bubus.EventBus;
import io.bubus.HandlerOptions;
import io.bubus.bridge.BridgeReadPosition;
import io.bubus.bridge.EventBridge;
import io.bubus.spring.autoconfigure.BubusProperties;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.context.SmartLifecycle;

/**
 * Connects every configured bridge to its bus when the context starts: the bus sends the
 * events matching the entry's {@code send} patterns over the bridge
 * ({@code bus.on(pattern, bridge::emit)}) and, with {@code receive}, the bridge emits
 * what it receives on the bus ({@code bridge.on("*", bus::emit)}). Events keep their
 * {@code event_path}, so an event that comes back over a bridge is not processed twice.
 * <p>
 * Starts after the beans (and their {@code @BubusHandler} methods) are ready, and stops
 * after the buses did (they stop at {@code DEFAULT_PHASE - 4096}): while the buses finish
 * their work at shutdown, their events are still sent and received events still taken. A
 * jsonl or sqlite entry with a {@code position-file} resumes from the stored position and
 * stores it as the bus handles received events and once its bridge is closed (see
 * {@link BridgeReadPosition}).
 */
final class EventBridgeBindings implements SmartLifecycle {

	/** After the buses have stopped. */
	static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 8192;

	private static final Log logger = LogFactory.getLog(EventBridgeBindings.class);

	private final ListableBeanFactory beanFactory;

	private final BubusProperties properties;

	private final List<EventBridge> connected = new ArrayList<>();

	private final List<BridgeReadPosition> positions = new ArrayList<>();

	private volatile boolean running;

	EventBridgeBindings(ListableBeanFactory beanFactory, BubusProperties properties) {
		this.beanFactory = beanFactory;
		this.properties = properties;
	}

	/** The entry's non-blank {@code send} patterns. */
	static List<String> sendPatterns(BubusProperties.Bridge settings) {
		return settings.getSend().stream().map(String::trim).filter((pattern) -> !pattern.isEmpty()).toList();
	}

	@Override
	public void start() {
		try {
			this.properties.getBridges().forEach(this::connect);
		}
		catch (RuntimeException ex) {
			// what is connected already is closed, and its read position stored
			stop();
			throw ex;
		}
		this.running = true;
	}

	private void connect(String name, BubusProperties.Bridge settings) {
		EventBridge bridge = this.beanFactory.getBean(EventBridgeRegistrar.beanName(name), EventBridge.class);
		EventBus bus = bus(name, settings.getBus());
		BridgeReadPosition position = ReadPositionSettings.configure(name, settings, bridge, bus);
		List<String> patterns = sendPatterns(settings);
		for (String pattern : patterns) {
			bus.on(pattern, bridge::emit, HandlerOptions.defaults().name(name + "_bridge.emit"));
		}
		this.connected.add(bridge);
		if (settings.isReceive()) {
			bridge.on("*", bus::emit);
		}
		if (position != null) {
			this.positions.add(position);
		}
		if (logger.isDebugEnabled()) {
			logger.debug("Bridge " + name + " connected to " + bus.label() + ": sends " + patterns
					+ (settings.isReceive() ? ", receives" : ""));
		}
	}

	@Override
	public void stop() {
		for (EventBridge bridge : this.connected) {
			try {
				bridge.close();
			}
			catch (RuntimeException ex) {
				logger.warn("Closing bridge " + bridge.name() + " failed", ex);
			}
		}
		this.connected.clear();
		this.positions.forEach(BridgeReadPosition::close);
		this.positions.clear();
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	private EventBus bus(String name, @Nullable String requested) {
		if (requested == null || requested.isBlank()) {
			try {
				return this.beanFactory.getBean(EventBus.class);
			}
			catch (NoSuchBeanDefinitionException ex) {
				throw new IllegalStateException("bubus.bridges." + name + ".bus is not set and there is no single "
						+ "primary EventBus; set it to one of "
						+ this.beanFactory.getBeansOfType(EventBus.class).keySet(), ex);
			}
		}
		Map<String, EventBus> buses = this.beanFactory.getBeansOfType(EventBus.class);
		EventBus bus = buses.get(requested.trim());
		if (bus != null) {
			return bus;
		}
		for (EventBus candidate : buses.values()) {
			if (candidate.name().equals(requested.trim())) {
				return candidate;
			}
		}
		throw new IllegalStateException("bubus.bridges." + name + ".bus names '" + requested
				+ "', but there is no EventBus bean or bus with that name; known buses: " + buses.keySet());
	}

}
