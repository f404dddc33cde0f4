package io.bubus.spring.autoconfigure.context;

import io.bubus.spring.autoconfigure.BubusAutoConfiguration;
import io.bubus.spring.autoconfigure.BubusProperties;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ThreadLocalAccessor;
import io.micrometer.context.integration.Slf4jThreadLocalAccessor;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.i18n.LocaleContextThreadLocalAccessor;
import org.springframework.web.context.request.RequestAttributesThreadLocalAccessor;

/**
 * Auto-configuration that makes the caller's thread-local context visible inside
 * handlers. bubus captures every {@link ThreadLocalAccessor} in the global
 * {@link ContextRegistry} when an event is first emitted and restores the snapshot around
 * each of its handlers, on every bus and thread. This registers, as beans:
 * <ul>
 * <li>{@link Slf4jThreadLocalAccessor}: the SLF4J MDC (all of it, or only
 * {@code bubus.context-propagation.mdc-keys});</li>
 * <li>{@link RequestAttributesThreadLocalAccessor}: Spring's
 * {@code RequestContextHolder}, as a snapshot that outlives the request (Spring Web and
 * the Servlet API on the class path), so request-scoped beans work in handlers; once the
 * request has ended, only those the request already created (a new one cannot be created
 * for an ended request);</li>
 * <li>{@link LocaleContextThreadLocalAccessor}: Spring's
 * {@code LocaleContextHolder}.</li>
 * </ul>
 * Micrometer registers {@code ObservationThreadLocalAccessor} itself, so the current
 * observation (and with it the trace) also reaches handlers.
 * <p>
 * To carry your own thread-local, declare a {@link ThreadLocalAccessor} bean; every such
 * bean is registered (outside Spring, use
 * {@code ContextRegistry.getInstance().registerThreadLocalAccessor(...)} or a
 * {@code META-INF/services/io.micrometer.context.ThreadLocalAccessor} entry). Declaring
 * your own bean of one of the types above replaces the default one;
 * {@code bubus.context-propagation.enabled=false} registers none of them.
 *
 * @author bubus-java
 * @since 0.1.0
 */
@AutoConfiguration(before = BubusAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "bubus.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "bubus.context-propagation.enabled", matchIfMissing = true)
@ConditionalOnClass(ContextRegistry.class)
@EnableConfigurationProperties(BubusProperties.class)
public final class BubusContextPropagationAutoConfiguration {

	@Bean
	static ThreadLocalAccessorRegistrar bubusThreadLocalAccessorRegistrar(
			ObjectProvider<ThreadLocalAccessor<?>> accessors) {
		return new ThreadLocalAccessorRegistrar(ContextRegistry.getInstance(), accessors.orderedStream().toList());
	}

	@Bean
	@ConditionalOnMissingBean
	LocaleContextThreadLocalAccessor bubusLocaleContextAccessor() {
		return new LocaleContextThreadLocalAccessor();
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.slf4j.MDC")
	static class MdcConfiguration {

		@Bean
		@ConditionalOnMissingBean
		Slf4jThreadLocalAccessor bubusMdcAccessor(BubusProperties properties) {
			return new Slf4jThreadLocalAccessor(properties.getContextPropagation().getMdcKeys().toArray(String[]::new));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "org.springframework.web.context.request.RequestAttributesThreadLocalAccessor",
			"jakarta.servlet.http.HttpServletRequest" })
	static class RequestAttributesConfiguration {

		@Bean
		@ConditionalOnMissingBean
		RequestAttributesThreadLocalAccessor bubusRequestAttributesAccessor() {
			return new RequestAttributesThreadLocalAccessor();
		}

	}

}
