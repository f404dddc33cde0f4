package io.bubus.spring.autoconfigure;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

import io.bubus.BubusHandler;
import io.bubus.EventBus;
import io.bubus.retry.BubusRetry;
import org.junit.jupiter.api.Test;

import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.resilience.annotation.EnableResilientMethods;
import org.springframework.resilience.annotation.Retryable;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retrying {@code @BubusHandler} methods of beans: bubus's {@link BubusRetry} is applied
 * by the starter, Spring Framework's {@link Retryable} through the bean's proxy (the
 * starter calls handlers through it), so either works and neither is duplicated.
 */
class HandlerRetryTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(BubusAutoConfiguration.class));

	@Test
	void bubusRetryOnABeanMethodRetriesTheHandler() {
		this.contextRunner.withBean(BubusRetried.class).run((context) -> {
			EventBus bus = context.getBean(EventBus.class);
			assertThat(bus.emit(new OrderPlaced("o-1")).eventResult()).isEqualTo("charged o-1 on attempt 3");
			assertThat(context.getBean(BubusRetried.class).calls).hasValue(3);
		});
	}

	@Test
	void springRetryableOnABeanMethodRetriesTheHandlerThroughTheProxy() {
		this.contextRunner.withUserConfiguration(ResilientConfiguration.class).run((context) -> {
			SpringRetried bean = context.getBean(SpringRetried.class);
			assertThat(AopUtils.isAopProxy(bean)).isTrue();
			EventBus bus = context.getBean(EventBus.class);
			assertThat(bus.emit(new OrderPlaced("o-2")).eventResult()).isEqualTo("charged o-2 on attempt 3");
			assertThat(bean.calls()).isEqualTo(3);
		});
	}

	public static class BubusRetried {

		final AtomicInteger calls = new AtomicInteger();

		@BubusHandler
		@BubusRetry(maxAttempts = 3, retryAfter = "10ms", retryOn = IOException.class)
		public String charge(OrderPlaced event) throws IOException {
			int attempt = this.calls.incrementAndGet();
			if (attempt < 3) {
				throw new IOException("gateway busy");
			}
			return "charged " + event.orderId + " on attempt " + attempt;
		}

	}

	public static class SpringRetried {

		private final AtomicInteger calls = new AtomicInteger();

		@BubusHandler
		@Retryable(includes = IOException.class, maxRetries = 2, delay = 10)
		public String charge(OrderPlaced event) throws IOException {
			int attempt = this.calls.incrementAndGet();
			if (attempt < 3) {
				throw new IOException("gateway busy");
			}
			return "charged " + event.orderId + " on attempt " + attempt;
		}

		public int calls() {
			return this.calls.get();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableResilientMethods
	static class ResilientConfiguration {

		@Bean
		SpringRetried springRetried() {
			return new SpringRetried();
		}

	}

}
