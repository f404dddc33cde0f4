package io.bubus.spring.autoconfigure.observation;

import io.bubus.middleware.ObservationEventBusMiddleware;
import io.bubus.middleware.observation.EventObservationConvention;
import io.bubus.middleware.observation.HandlerObservationConvention;
import io.bubus.spring.autoconfigure.BubusAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration for Micrometer: bubus-core's {@link ObservationEventBusMiddleware}
 * on every bus when an {@link ObservationRegistry} bean exists (Spring Boot's actuator or
 * {@code spring-boot-micrometer-observation} provides one), and {@link EventBusMetrics}
 * gauges when Micrometer's metrics API is present. Declare an
 * {@link EventObservationConvention} or {@link HandlerObservationConvention} bean to
 * change names or keys; {@code management.observations.enable.bubus=false} turns the
 * observations off.
 *
 * @author bubus-java
 * @since 0.1.0
 */
@AutoConfiguration(before = BubusAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration" })
@ConditionalOnBooleanProperty(name = "bubus.enabled", matchIfMissing = true)
@ConditionalOnClass(ObservationRegistry.class)
public final class BubusObservationAutoConfiguration {

	@Bean
	@ConditionalOnBean(ObservationRegistry.class)
	@ConditionalOnMissingBean
	ObservationEventBusMiddleware bubusObservationMiddleware(ObservationRegistry registry,
			ObjectProvider<EventObservationConvention> eventConvention,
			ObjectProvider<HandlerObservationConvention> handlerConvention) {
		return new ObservationEventBusMiddleware(registry, eventConvention.getIfUnique(),
				handlerConvention.getIfUnique());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	static class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		EventBusMetrics bubusEventBusMetrics(ListableBeanFactory beanFactory) {
			return new EventBusMetrics(beanFactory);
		}

	}

}
