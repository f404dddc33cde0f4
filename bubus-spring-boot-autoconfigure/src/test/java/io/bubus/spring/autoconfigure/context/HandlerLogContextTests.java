package io.bubus.spring.autoconfigure.context;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.bubus.BaseEvent;
import io.bubus.EventBus;
import io.bubus.HandlerOptions;
import io.bubus.spring.autoconfigure.BubusAutoConfiguration;
import io.bubus.spring.autoconfigure.actuate.BubusEndpointAutoConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bus's warnings about a handler carry the MDC of the code that emitted the event,
 * through the starter's MDC propagation: a failure (logged on the handler's thread once
 * it ended), and a slow handler and a handler timeout (logged by the timer thread). The
 * failure line masks the error message unless
 * {@code management.endpoint.bubus.show-values=always}.
 */
class HandlerLogContextTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(BubusContextPropagationAutoConfiguration.class,
				BubusAutoConfiguration.class, BubusEndpointAutoConfiguration.class));

	private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

	private final Logger busLogger = (Logger) LoggerFactory.getLogger("io.bubus");

	@BeforeEach
	void capture() {
		this.appender.start();
		this.busLogger.addAppender(this.appender);
	}

	@AfterEach
	void release() {
		this.busLogger.detachAppender(this.appender);
		MDC.clear();
	}

	@Test
	void aFailingHandlerIsLoggedOnceAtWarnWithTheEmittersMdc() {
		this.contextRunner.withPropertyValues("management.endpoint.bubus.show-values=always").run((context) -> {
			EventBus bus = context.getBean(EventBus.class);
			Charge charge = failWith(bus, "card declined");
			ILoggingEvent failure = onlyFailureLine();
			assertThat(failure.getFormattedMessage()).contains(bus.label(), "decline", charge.eventType(),
					"IllegalStateException: card declined");
			assertThat(failure.getMDCPropertyMap()).containsEntry("orderId", "o-7");
		});
	}

	@Test
	void theErrorMessageIsMaskedInTheWarnLineByDefault() {
		this.contextRunner.run((context) -> {
			failWith(context.getBean(EventBus.class), "card 4111-1111-1111-1111 declined");
			assertMasked(onlyFailureLine());
		});
	}

	@Test
	void theErrorMessageIsMaskedInTheWarnLineWhenAuthorized() {
		this.contextRunner.withPropertyValues("management.endpoint.bubus.show-values=when-authorized")
			.run((context) -> {
				failWith(context.getBean(EventBus.class), "card 4111-1111-1111-1111 declined");
				assertMasked(onlyFailureLine());
			});
	}

	@Test
	void aShownErrorMessageGoesThroughTheSanitizingFunctions() {
		this.contextRunner.withPropertyValues("management.endpoint.bubus.show-values=always")
			.withBean(SanitizingFunction.class,
					() -> (data) -> data.withValue(String.valueOf(data.getValue()).replaceAll("\\d{4}-", "xxxx-")))
			.run((context) -> {
				failWith(context.getBean(EventBus.class), "card 4111-1111-1111-1111 declined");
				assertThat(onlyFailureLine().getFormattedMessage())
					.endsWith("IllegalStateException: card xxxx-xxxx-xxxx-1111 declined");
			});
	}

	@Test
	void withoutTheActuatorTheMessageIsMaskedUnlessShowValuesIsAlways() {
		ApplicationContextRunner withoutActuator = this.contextRunner
			.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"));
		withoutActuator.run((context) -> {
			failWith(context.getBean(EventBus.class), "card 4111-1111-1111-1111 declined");
			assertMasked(onlyFailureLine());
		});
		synchronized (this.appender) {
			this.appender.list.clear();
		}
		withoutActuator.withPropertyValues("management.endpoint.bubus.show-values=always").run((context) -> {
			failWith(context.getBean(EventBus.class), "card declined");
			assertThat(onlyFailureLine().getFormattedMessage()).endsWith("IllegalStateException: card declined");
		});
	}

	private static Charge failWith(EventBus bus, String message) {
		bus.on(Charge.class, (event) -> {
			throw new IllegalStateException(message);
		}, HandlerOptions.defaults().name("decline"));
		Charge charge;
		try (MDC.MDCCloseable orderId = MDC.putCloseable("orderId", "o-7")) {
			charge = bus.emit(new Charge());
		}
		charge.done();
		assertThat(bus.waitUntilIdle(Duration.ofSeconds(10))).isTrue();
		return charge;
	}

	private ILoggingEvent onlyFailureLine() {
		List<ILoggingEvent> failures = warnings("failed for");
		assertThat(failures).hasSize(1);
		return failures.get(0);
	}

	private static void assertMasked(ILoggingEvent failure) {
		assertThat(failure.getFormattedMessage()).contains("decline")
			.endsWith("IllegalStateException: ******")
			.doesNotContain("4111");
		assertThat(failure.getThrowableProxy().getMessage()).doesNotContain("4111");
	}

	@Test
	void slowAndTimedOutHandlersAreLoggedWithTheEmittersMdc() {
		this.contextRunner.run((context) -> {
			EventBus bus = context.getBean(EventBus.class);
			CountDownLatch never = new CountDownLatch(1);
			bus.on(Charge.class, (event) -> never.await(30, TimeUnit.SECONDS),
					HandlerOptions.defaults()
						.name("stuck")
						.slowTimeout(Duration.ofMillis(50))
						.timeout(Duration.ofMillis(400)));
			Charge charge;
			try (MDC.MDCCloseable orderId = MDC.putCloseable("orderId", "o-8")) {
				charge = bus.emit(new Charge());
			}
			charge.done();
			assertThat(warnings("Slow event handler")).singleElement()
				.satisfies((slow) -> assertThat(slow.getMDCPropertyMap()).containsEntry("orderId", "o-8"));
			assertThat(warnings("timed out after")).isNotEmpty()
				.allSatisfy((timeout) -> assertThat(timeout.getMDCPropertyMap()).containsEntry("orderId", "o-8"));
		});
	}

	private List<ILoggingEvent> warnings(String text) {
		List<ILoggingEvent> lines;
		synchronized (this.appender) {
			lines = List.copyOf(this.appender.list);
		}
		return lines.stream()
			.filter((event) -> event.getLevel() == ch.qos.logback.classic.Level.WARN)
			.filter((event) -> event.getFormattedMessage().contains(text))
			.toList();
	}

	static class Charge extends BaseEvent<String> {

	}

}
