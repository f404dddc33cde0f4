package io.bubus.spring.autoconfigure.observation;

import io.bubus.EventBus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.ListableBeanFactory;

/**
 * Gauges for every {@link EventBus} bean: {@code bubus.queue.size} (events queued and not
 * yet started) and {@code bubus.history.size} (events in the bus's history), each tagged
 * {@code bubus.bus}.
 *
 * @author bubus-java
 * @since 0.1.0
 */
public class EventBusMetrics implements MeterBinder {

	/** Name of the queue-size gauge. */
	public static final String QUEUE_SIZE = "bubus.queue.size";

	/** Name of the history-size gauge. */
	public static final String HISTORY_SIZE = "bubus.history.size";

	private final ListableBeanFactory beanFactory;

	/**
	 * Creates the binder; buses are looked up when it is bound, after the context has
	 * created them.
	 * @param beanFactory the factory holding the buses
	 */
	public EventBusMetrics(ListableBeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
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
