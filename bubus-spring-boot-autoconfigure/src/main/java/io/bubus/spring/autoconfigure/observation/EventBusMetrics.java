package io.bubus.spring.autoconfigure.observation;

import java.util.function.ToDoubleFunction;

import io.bubus.EventBus;
import io.bubus.bridge.EventBridge;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.ListableBeanFactory;

/**
 * Gauges for every {@link EventBus} bean: {@code bubus.queue.size} (events queued and not
 * yet started) and {@code bubus.history.size} (events in the bus's history), each tagged
 * {@code bubus.bus}; and for every {@link EventBridge} bean the counters
 * {@code bubus.bridge.received} and {@code bubus.bridge.dropped}, tagged
 * {@code bubus.bridge}, and, for a bridge that sends in batches, the counter
 * {@code bubus.bridge.send.failed} and the gauge {@code bubus.bridge.send.pending}.
 *
 * @author bubus-java
 * @since 0.1.0
 */
public class EventBusMetrics implements MeterBinder {

	/** Name of the queue-size gauge. */
	public static final String QUEUE_SIZE = "bubus.queue.size";

	/** Name of the history-size gauge. */
	public static final String HISTORY_SIZE = "bubus.history.size";

	/** Name of the counter of events received over a bridge. */
	public static final String BRIDGE_RECEIVED = "bubus.bridge.received";

	/** Name of the counter of received messages a bridge dropped as bad input. */
	public static final String BRIDGE_DROPPED = "bubus.bridge.dropped";

	/** Name of the counter of events a batching bridge accepted but could not send. */
	public static final String BRIDGE_SEND_FAILED = "bubus.bridge.send.failed";

	/** Name of the gauge of events a batching bridge accepted and has not sent yet. */
	public static final String BRIDGE_SEND_PENDING = "bubus.bridge.send.pending";

	private final ListableBeanFactory beanFactory;

	/**
	 * Creates the binder; buses are looked up when it is bound, after the context has
	 * created them.
	 * @param beanFactory the factory holding the buses
	 */
	public EventBusMetrics(ListableBeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	private static void bridgeCounter(MeterRegistry registry, EventBridge bridge, String name,
			ToDoubleFunction<EventBridge> count, String description, String unit) {
		FunctionCounter.builder(name, bridge, count)
			.tag("bubus.bridge", bridge.name())
			.description(description)
			.baseUnit(unit)
			.register(registry);
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (EventBridge bridge : this.beanFactory.getBeansOfType(EventBridge.class, false, false).values()) {
			bridgeCounter(registry, bridge, BRIDGE_RECEIVED, EventBridge::receivedMessages,
					"Events received over the bridge and emitted on its bus", "events");
			bridgeCounter(registry, bridge, BRIDGE_DROPPED, EventBridge::droppedMessages,
					"Received messages dropped as bad input (malformed, invalid or too large)", "messages");
			if (bridge.sendBatching() != null) {
				bridgeCounter(registry, bridge, BRIDGE_SEND_FAILED, EventBridge::failedSends,
						"Events accepted for sending in batches that could not be sent", "events");
				Gauge.builder(BRIDGE_SEND_PENDING, bridge, EventBridge::pendingSends)
					.tag("bubus.bridge", bridge.name())
					.description("Events accepted for sending in batches and not yet sent")
					.baseUnit("events")
					.register(registry);
			}
		}
		for (EventBus bus : this.beanFactory.getBeansOfType(EventBus.class, false, false).values()) {
			Gauge.builder(QUEUE_SIZE, bus, EventBus::queueSize)
				.tag("bubus.bus", bus.name())
				.description("Events queued on the bus and not yet started")
				.baseUnit("events")
				.register(registry);
			Gauge.builder(HISTORY_SIZE, bus, (target) -> target.eventHistory().size())
				.tag("bubus.bus", bus.name())
				.description("Events in the bus's history (queued, running and completed)")
				.baseUnit("events")
				.register(registry);
		}
	}

}
