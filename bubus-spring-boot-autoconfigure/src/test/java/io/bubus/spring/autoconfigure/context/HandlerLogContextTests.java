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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bus's warnings about a handler carry the MDC of the code that emitted the event,
 * through the starter's MDC propagation: a failure (logged on the handler's thread once
 * it ended), and a slow handler and a handler timeout (logged by the timer thread).
 */
class HandlerLogContextTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(BubusContextPropagationAutoConfiguration.class, BubusAutoConfiguration.class));

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
		this.contextRunner.run((context) -> {
			EventBus bus = context.getBean(EventBus.class);
			bus.on(Charge.class, (event) -> {
				throw new IllegalStateException("card declined");
			}, HandlerOptions.defaults().name("decline"));
			Charge charge;
			try (MDC.MDCCloseable orderId = MDC.putCloseable("orderId", "o-7")) {
				charge = bus.emit(new Charge());
			}
			charge.done();
			List<ILoggingEvent> failures = warnings("failed for");
			assertThat(failures).hasSize(1);
			ILoggingEvent failure = failures.get(0);
			assertThat(failure.getFormattedMessage()).contains(bus.label(), "decline", charge.eventType(),
					"IllegalStateException: card declined");
			assertThat(failure.getMDCPropertyMap()).containsEntry("orderId", "o-7");
		});
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
		return this.appender.list.stream()
			.filter((event) -> event.getLevel() == ch.qos.logback.classic.Level.WARN)
			.filter((event) -> event.getFormattedMessage().contains(text))
			.toList();
	}

	static class Charge extends BaseEvent<String> {

	}

}
