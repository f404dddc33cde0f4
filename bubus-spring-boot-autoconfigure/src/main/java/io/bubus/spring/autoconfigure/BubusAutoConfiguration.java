package io.bubus.spring.autoconfigure;

import io.bubus.EventBus;
import io.bubus.EventBusMiddleware;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration for bubus: the primary {@link EventBus} (named by
 * {@code bubus.name}) and one more bus per {@code bubus.buses.<name>} entry. A
 * user-defined {@code EventBus} bean replaces the primary bus;
 * {@code bubus.enabled=false} turns all of it off.
 *
 * @author bubus-java
 * @since 0.1.0
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "bubus.enabled", matchIfMissing = true)
@EnableConfigurationProperties(BubusProperties.class)
public final class BubusAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	EventBusFactory bubusEventBusFactory(BubusProperties properties, ObjectProvider<EventBusMiddleware> middlewares,
			ObjectProvider<EventBusBuilderCustomizer> customizers) {
		return new EventBusFactory(properties, middlewares.orderedStream().toList(),
				customizers.orderedStream().toList());
	}

	@Bean
	@ConditionalOnMissingBean(EventBus.class)
	EventBus eventBus(EventBusFactory factory, BubusProperties properties) {
		return factory.create(properties.getName());
	}

	@Bean
	static AdditionalBusesRegistrar bubusAdditionalBusesRegistrar(Environment environment) {
		return new AdditionalBusesRegistrar(environment);
	}

}
