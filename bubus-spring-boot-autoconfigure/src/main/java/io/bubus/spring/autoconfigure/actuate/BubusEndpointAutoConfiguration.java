package io.bubus.spring.autoconfigure.actuate;

import io.bubus.spring.autoconfigure.BubusAutoConfiguration;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration for the {@link BubusEndpoint}: created only when the endpoint is
 * available (access allowed and exposed, e.g.
 * {@code management.endpoints.web.exposure.include=bubus}); a user bean of the same type
 * replaces it.
 *
 * @author bubus-java
 * @since 0.1.0
 */
@AutoConfiguration(after = BubusAutoConfiguration.class)
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBooleanProperty(name = "bubus.enabled", matchIfMissing = true)
@EnableConfigurationProperties(BubusEndpointProperties.class)
public final class BubusEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnAvailableEndpoint(BubusEndpoint.class)
	BubusEndpoint bubusEndpoint(ListableBeanFactory beanFactory, BubusEndpointProperties properties,
			ObjectProvider<SanitizingFunction> sanitizingFunctions) {
		return new BubusEndpoint(beanFactory, sanitizingFunctions.orderedStream().toList(), properties.getShowValues(),
				properties.getRoles(), properties.getHistoryLimit());
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(BubusEndpoint.class)
	@ConditionalOnAvailableEndpoint(exposure = EndpointExposure.WEB)
	BubusEndpointWebExtension bubusEndpointWebExtension(BubusEndpoint endpoint) {
		return new BubusEndpointWebExtension(endpoint);
	}

}
