package io.bubus.spring.autoconfigure;

import java.time.Duration;

import io.bubus.EventBus;
import io.bubus.EventBusMiddleware;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration for bubus: the primary {@link EventBus} (named by
 * {@code bubus.name}), one more bus per {@code bubus.buses.<name>} entry, registration of
 * {@link io.bubus.BubusHandler @BubusHandler} bean methods, and a graceful stop of every
 * bus when the context closes. A user-defined {@code EventBus} bean replaces the primary
 * bus; {@code bubus.enabled=false} turns all of it off.
 *
 * @author bubus-java
 * @since 0.1.0
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "bubus.enabled", matchIfMissing = true)
@EnableConfigurationProperties(BubusProperties.class)
public final class BubusAutoConfiguration {

	private static final Duration DEFAULT_SHUTDOWN_PHASE_TIMEOUT = Duration.ofSeconds(30);

	@Bean
	@ConditionalOnMissingBean
	EventBusFactory bubusEventBusFactory(BubusProperties properties, ObjectProvider<EventBusMiddleware> middlewares,
			ObjectProvider<EventBusBuilderCustomizer> customizers, ObjectProvider<BubusPayloadMapper> payloadMapper) {
		// the application's payload mapper is installed before any bus exists
		payloadMapper.ifAvailable((mapper) -> {
		});
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

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static BubusHandlerMethodProcessor bubusHandlerMethodProcessor() {
		return new BubusHandlerMethodProcessor();
	}

	@Bean
	EventBusLifecycle bubusEventBusLifecycle(ListableBeanFactory beanFactory, Environment environment) {
		Duration timeout = Binder.get(environment)
			.bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class)
			.orElse(DEFAULT_SHUTDOWN_PHASE_TIMEOUT);
		return new EventBusLifecycle(beanFactory, timeout);
	}

	/**
	 * Handler error messages in the buses' log lines follow
	 * {@code management.endpoint.bubus.show-values}, without the actuator (with it, the
	 * endpoint's auto-configuration has the customizer).
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingClass("org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint")
	static class PlainErrorLoggingConfiguration {

		@Bean
		EventBusBuilderCustomizer bubusErrorMessageLogging(Environment environment) {
			return ErrorMessageLogging.customizer(environment);
		}

	}

}
