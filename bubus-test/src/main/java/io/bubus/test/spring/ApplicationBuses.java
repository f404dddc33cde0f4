package io.bubus.test.spring;

import java.util.ArrayList;
import java.util.List;

import io.bubus.EventBus;

import org.springframework.beans.factory.ListableBeanFactory;

/** The {@link EventBus} beans of a context, the primary (default-candidate) one first. */
final class ApplicationBuses {

	private ApplicationBuses() {
	}

	static List<EventBus> of(ListableBeanFactory beanFactory) {
		List<EventBus> buses = new ArrayList<>(beanFactory.getBeansOfType(EventBus.class, false, false).values());
		EventBus primary = beanFactory.getBeanProvider(EventBus.class).getIfUnique();
		if (primary != null && buses.remove(primary)) {
			buses.add(0, primary);
		}
		return buses;
	}

}
