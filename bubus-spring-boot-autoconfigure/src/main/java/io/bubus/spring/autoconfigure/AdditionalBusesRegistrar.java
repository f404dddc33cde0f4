package io.bubus.spring.autoconfigure;

import io.bubus.EventBus;

import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Registers one {@link EventBus} bean per {@code bubus.buses.<name>} entry, named
 * {@code <name>}. They are not default candidates, so a plain {@code EventBus} injection
 * point still gets the primary bus and {@code @Qualifier("<name>")} selects one of these.
 * A bean already registered under that name (a user's own bus) wins.
 */
final class AdditionalBusesRegistrar extends NamedEntriesRegistrar<BubusProperties.Bus> {

	AdditionalBusesRegistrar(Environment environment) {
		super(environment, "bubus.buses", BubusProperties.Bus.class, "bus", "it is also the bus name in event_path");
	}

	@Override
	protected boolean isProvidedElsewhere(String name) {
		return name.equals(Binder.get(getEnvironment()).bind("bubus.name", String.class).orElse("ApplicationBus"));
	}

	@Override
	protected String entryBeanName(String name) {
		return name;
	}

	@Override
	protected RootBeanDefinition entryBeanDefinition(String name) {
		RootBeanDefinition definition = new RootBeanDefinition(EventBus.class,
				() -> getBeanFactory().getBean(EventBusFactory.class).create(name));
		definition.setDefaultCandidate(false);
		definition.setDestroyMethodName(AbstractBeanDefinition.INFER_METHOD);
		return definition;
	}

}
