package io.bubus.spring.autoconfigure.publication;

import java.time.Clock;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import io.bubus.EventBus;
import io.bubus.spring.autoconfigure.BubusAutoConfiguration;
import io.bubus.spring.autoconfigure.EventBusBuilderCustomizer;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.util.StringUtils;

/**
 * Auto-configuration of the publication log: with {@code bubus.publications.enabled=true}
 * and a single {@link DataSource}, every bus the starter creates holds events emitted
 * inside a Spring-managed transaction until it commits, writes them to the log in that
 * transaction and resubmits the handlers that did not complete them.
 *
 * @author bubus-java
 * @since 0.1.0
 */
@AutoConfiguration(before = BubusAutoConfiguration.class,
		afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnClass({ DataSourceUtils.class, TransactionSynchronizationManager.class })
@ConditionalOnBooleanProperty(name = "bubus.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty("bubus.publications.enabled")
@ConditionalOnSingleCandidate(DataSource.class)
@EnableConfigurationProperties(BubusPublicationProperties.class)
public final class BubusPublicationAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	EventPublications eventPublications(DataSource dataSource, BubusPublicationProperties properties,
			ObjectProvider<Clock> clock, ListableBeanFactory beanFactory) {
		PublicationStore store = new PublicationStore(dataSource, properties);
		if (properties.isInitializeSchema()) {
			store.initializeSchema();
		}
		store.warnIfCommitsAreDelayed();
		String instanceId = StringUtils.hasText(properties.getInstanceId()) ? properties.getInstanceId()
				: UUID.randomUUID().toString();
		PublicationDispatcher dispatcher = new PublicationDispatcher(store, instanceId,
				clock.getIfAvailable(Clock::systemUTC), (name) -> findBus(beanFactory, name));
		return new EventPublications(dispatcher, properties);
	}

	@Bean
	EventBusBuilderCustomizer bubusPublicationsCustomizer(EventPublications publications) {
		PublicationDispatcher dispatcher = publications.dispatcher();
		return (name, builder) -> builder.emitInterceptor(new TransactionalEmitInterceptor(name, dispatcher))
			.middleware(new PublicationMiddleware(name, dispatcher));
	}

	@Bean
	PublicationsEndpointSection bubusPublicationsEndpointSection(EventPublications publications) {
		return new PublicationsEndpointSection(publications);
	}

	@Bean
	PublicationScheduler bubusPublicationScheduler(EventPublications publications,
			BubusPublicationProperties properties) {
		return new PublicationScheduler(publications, properties);
	}

	private static @Nullable EventBus findBus(ListableBeanFactory beanFactory, String name) {
		Map<String, EventBus> buses = beanFactory.getBeansOfType(EventBus.class, false, false);
		EventBus bus = buses.get(name);
		if (bus != null) {
			return bus;
		}
		for (EventBus candidate : buses.values()) {
			if (candidate.name().equals(name)) {
				return candidate;
			}
		}
		return null;
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	static class PublicationMetricsConfiguration {

		@Bean
		PublicationMetrics bubusPublicationMetrics(EventPublications publications) {
			return new PublicationMetrics(publications);
		}

	}

}
