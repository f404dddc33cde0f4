package io.bubus.spring.autoconfigure.actuate;

import io.bubus.spring.autoconfigure.BubusAutoConfiguration;
import io.bubus.spring.autoconfigure.EventBusBuilderCustomizer;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.web.WebEndpointsSupplier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webmvc.actuate.endpoint.web.AbstractWebMvcEndpointHandlerMapping;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

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

	/**
	 * Handler error messages in the buses' log lines follow
	 * {@code management.endpoint.bubus.show-values}, through the
	 * {@link SanitizingFunction} beans; also when the endpoint is not exposed.
	 */
	@Bean
	EventBusBuilderCustomizer bubusErrorMessageLogging(Environment environment,
			ObjectProvider<SanitizingFunction> sanitizingFunctions) {
		return SanitizedErrorMessageLogging.customizer(environment, sanitizingFunctions.orderedStream().toList());
	}

	/** The endpoint's links on the Spring MVC discovery page, with literal path words. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	@ConditionalOnClass({ AbstractWebMvcEndpointHandlerMapping.class, ResponseBodyAdvice.class })
	static class WebMvcLinksConfiguration {

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnAvailableEndpoint(endpoint = BubusEndpoint.class, exposure = EndpointExposure.WEB)
		BubusEndpointLinks bubusEndpointLinks(ObjectProvider<WebEndpointsSupplier> endpoints) {
			return new BubusEndpointLinks(endpoints);
		}

	}

}
