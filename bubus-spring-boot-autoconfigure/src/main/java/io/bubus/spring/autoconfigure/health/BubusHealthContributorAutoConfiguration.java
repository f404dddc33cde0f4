package io.bubus.spring.autoconfigure.health;

import io.bubus.EventBus;
import io.bubus.spring.autoconfigure.BubusAutoConfiguration;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code bubus} health contributor
 * ({@link BubusHealthContributor}): with Spring Boot's health support on the class path,
 * at least one {@link EventBus} bean, and {@code management.health.bubus.enabled} not
 * false. A user bean named {@code bubusHealthContributor} replaces it.
 *
 * @author bubus-java
 * @since 0.1.0
 */
@AutoConfiguration(after = BubusAutoConfiguration.class,
		afterName = "io.bubus.spring.autoconfigure.bridge.BubusBridgesAutoConfiguration")
@ConditionalOnClass({ HealthContributor.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBooleanProperty(name = "bubus.enabled", matchIfMissing = true)
@ConditionalOnBean(EventBus.class)
@ConditionalOnEnabledHealthIndicator("bubus")
@EnableConfigurationProperties(BubusHealthProperties.class)
public final class BubusHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "bubusHealthContributor")
	BubusHealthContributor bubusHealthContributor(ListableBeanFactory beanFactory, BubusHealthProperties properties) {
		return new BubusHealthContributor(beanFactory, properties);
	}

}
