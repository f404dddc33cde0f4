package io.bubus.spring.autoconfigure;

import java.util.Map;
import java.util.regex.Pattern;

import io.bubus.EventBus;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Registers one {@link EventBus} bean per {@code bubus.buses.<name>} entry, named
 * {@code <name>}. They are not default candidates, so a plain {@code EventBus} injection
 * point still gets the primary bus and {@code @Qualifier("<name>")} selects one of these.
 * A bean already registered under that name (a user's own bus) wins.
 */
final class AdditionalBusesRegistrar implements BeanDefinitionRegistryPostProcessor, BeanFactoryAware {

	private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

	private final Environment environment;

	private @Nullable BeanFactory beanFactory;

	AdditionalBusesRegistrar(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
		String primary = Binder.get(this.environment).bind("bubus.name", String.class).orElse("ApplicationBus");
		Map<String, BubusProperties.Bus> buses = Binder.get(this.environment)
			.bind("bubus.buses", Bindable.mapOf(String.class, BubusProperties.Bus.class))
			.orElse(Map.of());
		for (String name : buses.keySet()) {
			if (name.equals(primary) || registry.containsBeanDefinition(name)) {
				continue;
			}
			if (!IDENTIFIER.matcher(name).matches()) {
				throw new IllegalStateException("bubus.buses." + name + ": a bus name must be a Java identifier "
						+ "(letters, digits and _), because it is also the bus name in event_path; rename the key");
			}
			registry.registerBeanDefinition(name, busDefinition(name));
		}
	}

	private RootBeanDefinition busDefinition(String name) {
		RootBeanDefinition definition = new RootBeanDefinition(EventBus.class, () -> createBus(name));
		definition.setDefaultCandidate(false);
		definition.setDestroyMethodName(AbstractBeanDefinition.INFER_METHOD);
		return definition;
	}

	private EventBus createBus(String name) {
		if (this.beanFactory == null) {
			throw new IllegalStateException("BeanFactory not set");
		}
		return this.beanFactory.getBean(EventBusFactory.class).create(name);
	}

}
