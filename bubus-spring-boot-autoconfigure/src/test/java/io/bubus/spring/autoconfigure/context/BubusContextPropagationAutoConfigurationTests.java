package io.bubus.spring.autoconfigure.context;

import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.bubus.BaseEvent;
import io.bubus.EventBus;
import io.bubus.HandlerConcurrency;
import io.bubus.spring.autoconfigure.BubusAutoConfiguration;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ThreadLocalAccessor;
import io.micrometer.context.integration.Slf4jThreadLocalAccessor;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.context.i18n.LocaleContextThreadLocalAccessor;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestAttributesThreadLocalAccessor;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.annotation.RequestScope;
import org.springframework.web.context.request.ServletRequestAttributes;

import static org.assertj.core.api.Assertions.assertThat;

class BubusContextPropagationAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(BubusContextPropagationAutoConfiguration.class, BubusAutoConfiguration.class));

	private final WebApplicationContextRunner webContextRunner = new WebApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(BubusContextPropagationAutoConfiguration.class, BubusAutoConfiguration.class))
		.withUserConfiguration(RequestScopeConfiguration.class);

	@AfterEach
	void clearThreadLocals() {
		MDC.clear();
		RequestContextHolder.resetRequestAttributes();
		LocaleContextHolder.resetLocaleContext();
	}

	@Test
	void registersMdcRequestAttributesAndLocaleAccessors() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(Slf4jThreadLocalAccessor.class)
				.hasSingleBean(RequestAttributesThreadLocalAccessor.class)
				.hasSingleBean(LocaleContextThreadLocalAccessor.class);
			assertThat(ContextRegistry.getInstance().getThreadLocalAccessors()).extracting(ThreadLocalAccessor::key)
				.contains(Slf4jThreadLocalAccessor.KEY, RequestAttributesThreadLocalAccessor.KEY,
						LocaleContextThreadLocalAccessor.KEY);
		});
	}

	@Test
	void mdcReachesAHandlerRunningOnAnotherThread() {
		this.contextRunner.run((context) -> {
			EventBus bus = context.getBean(EventBus.class);
			AtomicReference<@Nullable String> seen = new AtomicReference<>();
			AtomicReference<@Nullable Thread> handlerThread = new AtomicReference<>();
			bus.on(Ping.class, (event) -> {
				seen.set(MDC.get("requestId"));
				handlerThread.set(Thread.currentThread());
				return null;
			});
			MDC.put("requestId", "req-42");
			Ping ping = bus.emit(new Ping());
			MDC.remove("requestId");
			ping.done();
			assertThat(seen.get()).isEqualTo("req-42");
			assertThat(handlerThread.get()).isNotSameAs(Thread.currentThread());
		});
	}

	@Test
	void mdcReachesParallelHandlersAndDoesNotLeakBack() {
		this.contextRunner.withPropertyValues("bubus.event-handler-concurrency=parallel").run((context) -> {
			EventBus bus = context.getBean(EventBus.class);
			assertThat(bus.eventHandlerConcurrency()).isEqualTo(HandlerConcurrency.PARALLEL);
			bus.on(Ping.class, (event) -> {
				String value = MDC.get("requestId");
				MDC.put("requestId", "changed-by-handler");
				return value;
			});
			bus.on(Ping.class, (event) -> MDC.get("requestId"));
			MDC.put("requestId", "req-7");
			Ping ping = bus.emit(new Ping());
			assertThat(ping.eventResultsList()).containsOnly("req-7");
			assertThat(MDC.get("requestId")).isEqualTo("req-7");
		});
	}

	@Test
	void mdcKeysLimitWhatIsCarried() {
		this.contextRunner.withPropertyValues("bubus.context-propagation.mdc-keys=requestId").run((context) -> {
			EventBus bus = context.getBean(EventBus.class);
			bus.on(Ping.class, (event) -> MDC.get("requestId") + "/" + MDC.get("secret"));
			MDC.put("requestId", "req-1");
			MDC.put("secret", "s3cr3t");
			assertThat(bus.emit(new Ping()).eventResult()).isEqualTo("req-1/null");
		});
	}

	@Test
	void requestAttributesOutliveTheRequestAndReachTheHandler() {
		this.contextRunner.run((context) -> {
			EventBus bus = context.getBean(EventBus.class);
			bus.on(Ping.class, (event) -> {
				RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
				return (attributes != null) ? attributes.getAttribute("tenant", RequestAttributes.SCOPE_REQUEST)
						: "no request";
			});
			MockHttpServletRequest request = new MockHttpServletRequest();
			request.setAttribute("tenant", "acme");
			ServletRequestAttributes attributes = new ServletRequestAttributes(request);
			RequestContextHolder.setRequestAttributes(attributes);
			Ping ping = bus.emit(new Ping());
			attributes.requestCompleted();
			RequestContextHolder.resetRequestAttributes();
			assertThat(ping.eventResult()).isEqualTo("acme");
		});
	}

	@Test
	void requestScopedBeanAndMdcReachAHandlerOnAnotherThread() {
		this.webContextRunner.run((context) -> {
			EventBus bus = context.getBean(EventBus.class);
			Tenant tenant = context.getBean(Tenant.class);
			AtomicReference<@Nullable Thread> handlerThread = new AtomicReference<>();
			bus.on(Ping.class, (event) -> {
				handlerThread.set(Thread.currentThread());
				return tenant.name() + "/" + MDC.get("requestId");
			});
			ServletRequestAttributes attributes = startRequest("acme");
			MDC.put("requestId", "req-9");
			// as in a controller that waits for the event before it answers
			Ping ping = bus.emit(new Ping());
			assertThat(ping.done().eventResult()).isEqualTo("acme/req-9");
			attributes.requestCompleted();
			assertThat(handlerThread.get()).isNotNull().isNotSameAs(Thread.currentThread());
		});
	}

	@Test
	void requestScopedBeanTheRequestUsedReachesAHandlerThatRunsAfterTheRequestEnded() {
		this.webContextRunner.run((context) -> {
			EventBus bus = context.getBean(EventBus.class);
			Tenant tenant = context.getBean(Tenant.class);
			CountDownLatch requestEnded = new CountDownLatch(1);
			bus.on(Ping.class, (event) -> requestEnded.await(10, TimeUnit.SECONDS) ? tenant.name() : "timed out");
			ServletRequestAttributes attributes = startRequest("globex");
			assertThat(tenant.name()).isEqualTo("globex");
			Ping ping = bus.emit(new Ping());
			attributes.requestCompleted();
			RequestContextHolder.resetRequestAttributes();
			requestEnded.countDown();
			assertThat(ping.eventResult()).isEqualTo("globex");
		});
	}

	private static ServletRequestAttributes startRequest(String tenant) {
		MockHttpServletRequest request = new MockHttpServletRequest();
		request.addHeader("X-Tenant", tenant);
		ServletRequestAttributes attributes = new ServletRequestAttributes(request);
		RequestContextHolder.setRequestAttributes(attributes);
		return attributes;
	}

	@Test
	void localeReachesTheHandler() {
		this.contextRunner.run((context) -> {
			EventBus bus = context.getBean(EventBus.class);
			bus.on(Ping.class, (event) -> LocaleContextHolder.getLocale().toLanguageTag());
			LocaleContextHolder.setLocale(Locale.GERMANY);
			assertThat(bus.emit(new Ping()).eventResult()).isEqualTo("de-DE");
		});
	}

	@Test
	void userThreadLocalAccessorBeansAreRegistered() {
		this.contextRunner.withBean(TenantAccessor.class).run((context) -> {
			EventBus bus = context.getBean(EventBus.class);
			bus.on(Ping.class, (event) -> TenantAccessor.TENANT.get());
			TenantAccessor.TENANT.set("globex");
			try {
				assertThat(bus.emit(new Ping()).eventResult()).isEqualTo("globex");
			}
			finally {
				TenantAccessor.TENANT.remove();
			}
		});
		assertThat(ContextRegistry.getInstance().getThreadLocalAccessors()).extracting(ThreadLocalAccessor::key)
			.as("removed when the context closed")
			.doesNotContain(TenantAccessor.KEY);
	}

	@Test
	void requestAttributesAccessorBacksOffWithoutTheServletApi() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("jakarta.servlet"))
			.run((context) -> assertThat(context).doesNotHaveBean(RequestAttributesThreadLocalAccessor.class)
				.hasSingleBean(Slf4jThreadLocalAccessor.class));
	}

	@Test
	void mdcAccessorBacksOffWithoutSlf4j() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.slf4j"))
			.run((context) -> assertThat(context).doesNotHaveBean(Slf4jThreadLocalAccessor.class)
				.hasSingleBean(LocaleContextThreadLocalAccessor.class)
				.hasSingleBean(RequestAttributesThreadLocalAccessor.class));
	}

	@Test
	void userAccessorOfABuiltInTypeReplacesIt() {
		Slf4jThreadLocalAccessor own = new Slf4jThreadLocalAccessor("tenant");
		this.contextRunner.withBean(Slf4jThreadLocalAccessor.class, () -> own)
			.run((context) -> assertThat(context).getBean(Slf4jThreadLocalAccessor.class).isSameAs(own));
	}

	@Test
	void disabledByProperty() {
		this.contextRunner.withPropertyValues("bubus.context-propagation.enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(EventBus.class)
				.doesNotHaveBean(ThreadLocalAccessorRegistrar.class)
				.doesNotHaveBean(Slf4jThreadLocalAccessor.class));
	}

	@Test
	void disabledWithBubus() {
		this.contextRunner.withPropertyValues("bubus.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ThreadLocalAccessorRegistrar.class));
	}

	static class Ping extends BaseEvent<String> {

	}

	/** A request-scoped bean: the tenant named by the request's X-Tenant header. */
	static class Tenant {

		private final String name;

		Tenant(String name) {
			this.name = name;
		}

		String name() {
			return this.name;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class RequestScopeConfiguration {

		@Bean
		@RequestScope
		Tenant tenant(HttpServletRequest request) {
			return new Tenant(request.getHeader("X-Tenant"));
		}

	}

	static class TenantAccessor implements ThreadLocalAccessor<String> {

		static final String KEY = "test.tenant";

		static final ThreadLocal<String> TENANT = new ThreadLocal<>();

		@Override
		public Object key() {
			return KEY;
		}

		@Override
		public @Nullable String getValue() {
			return TENANT.get();
		}

		@Override
		public void setValue(String value) {
			TENANT.set(value);
		}

		@Override
		public void setValue() {
			TENANT.remove();
		}

	}

}
