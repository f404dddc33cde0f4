package io.bubus.spring.autoconfigure.context;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.bubus.BaseEvent;
import io.bubus.EventBus;
import io.bubus.EventStatus;
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
import static org.awaitility.Awaitility.await;

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
			completedByTheBus(ping);
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
			assertThat(completedByTheBus(bus.emit(new Ping())).eventResult()).isEqualTo("req-1/null");
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
			assertThat(completedByTheBus(ping).eventResult()).isEqualTo("acme");
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
			// the request is still running while a bus thread handles the event
			Ping ping = bus.emit(new Ping());
			assertThat(completedByTheBus(ping).eventResult()).isEqualTo("acme/req-9");
			attributes.requestCompleted();
			assertThat(handlerThread.get()).isNotNull().isNotSameAs(Thread.currentThread());
		});
	}

	@Test
	void requestScopedBeanTheRequestUsedReachesAHandlerThatRunsAfterTheRequestEnded() {
		this.webContextRunner.run((context) -> {
			EventBus bus = context.getBean(EventBus.class);
			Tenant tenant = context.getBean(Tenant.class);
			CountDownLatch started = new CountDownLatch(1);
			CountDownLatch requestEnded = new CountDownLatch(1);
			bus.on(Ping.class, (event) -> {
				started.countDown();
				return requestEnded.await(10, TimeUnit.SECONDS) ? tenant.name() : "timed out";
			});
			ServletRequestAttributes attributes = startRequest("globex");
			assertThat(tenant.name()).isEqualTo("globex");
			Ping ping = bus.emit(new Ping());
			assertThat(started.await(10, TimeUnit.SECONDS)).as("a bus thread runs the handler").isTrue();
			attributes.requestCompleted();
			RequestContextHolder.resetRequestAttributes();
			requestEnded.countDown();
			assertThat(ping.eventResult()).isEqualTo("globex");
		});
	}

	/**
	 * Waits until a bus thread has run the event: {@code done()} from this thread could
	 * run it here, where the context is there anyway.
	 */
	private static <E extends BaseEvent<?>> E completedByTheBus(E event) {
		await().atMost(Duration.ofSeconds(10)).until(() -> event.eventStatus() == EventStatus.COMPLETED);
		return event;
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
			Ping ping = bus.emit(new Ping());
			LocaleContextHolder.resetLocaleContext();
			assertThat(completedByTheBus(ping).eventResult()).isEqualTo("de-DE");
		});
	}

	@Test
	void userThreadLocalAccessorBeansAreRegistered() {
		this.contextRunner.withBean(TenantAccessor.class).run((context) -> {
			EventBus bus = context.getBean(EventBus.class);
			bus.on(Ping.class, (event) -> TenantAccessor.TENANT.get());
			TenantAccessor.TENANT.set("globex");
			Ping ping = bus.emit(new Ping());
			TenantAccessor.TENANT.remove();
			assertThat(completedByTheBus(ping).eventResult()).isEqualTo("globex");
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
