package io.bubus;

import java.time.Duration;
import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.integration.Slf4jThreadLocalAccessor;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A failing handler is visible without reading its result: one WARN line with the bus,
 * the event label, the handler and the exception, logged with the event's context.
 */
class HandlerFailureLogTests {

	public static class HfEvent extends BaseEvent<String> {

	}

	@Test
	void aHandlerFailureIsLoggedOnceAtWarnWithBusEventHandlerAndException() {
		Logger logger = (Logger) LoggerFactory.getLogger(EventBus.class);
		ListAppender<ILoggingEvent> appender = new ListAppender<>();
		appender.start();
		logger.addAppender(appender);
		ContextRegistry.getInstance().registerThreadLocalAccessor(new Slf4jThreadLocalAccessor("requestId"));
		try (EventBus bus = new EventBus("HfBus")) {
			bus.on(HfEvent.class, (event) -> {
				throw new IllegalStateException("broken on purpose");
			}, HandlerOptions.defaults().name("brokenHandler"));
			HfEvent event;
			MDC.put("requestId", "req-42");
			try {
				event = bus.emit(new HfEvent());
			}
			finally {
				MDC.remove("requestId");
			}
			event.done(Duration.ofSeconds(10));
			assertThat(bus.waitUntilIdle(Duration.ofSeconds(10))).isTrue();

			List<ILoggingEvent> failures;
			synchronized (appender) {
				failures = appender.list.stream()
					.filter((line) -> line.getThrowableProxy() != null
							&& "broken on purpose".equals(line.getThrowableProxy().getMessage()))
					.toList();
			}
			assertThat(failures).singleElement().satisfies((line) -> {
				assertThat(line.getLevel()).isEqualTo(Level.WARN);
				assertThat(line.getFormattedMessage()).contains(bus.label())
					.contains(event.label())
					.contains("brokenHandler");
				assertThat(line.getThrowableProxy().getClassName()).isEqualTo(IllegalStateException.class.getName());
				assertThat(line.getMDCPropertyMap()).containsEntry("requestId", "req-42");
			});
		}
		finally {
			ContextRegistry.getInstance().removeThreadLocalAccessor(Slf4jThreadLocalAccessor.KEY);
			logger.detachAppender(appender);
			appender.stop();
		}
	}

	@Test
	void logErrorMessagesMasksTheMessagesOfTheLineAndOfTheLoggedStackTrace() {
		Logger logger = (Logger) LoggerFactory.getLogger(EventBus.class);
		ListAppender<ILoggingEvent> appender = new ListAppender<>();
		appender.start();
		logger.addAppender(appender);
		try (EventBus bus = EventBus.builder("HfMaskedBus").logErrorMessages((message) -> "******").build()) {
			bus.on(HfEvent.class, (event) -> {
				throw new IllegalArgumentException("card 4111-1111-1111-1111 declined",
						new IllegalStateException("gateway said 4111-1111-1111-1111"));
			}, HandlerOptions.defaults().name("decline"));
			HfEvent event = bus.emit(new HfEvent());
			event.done(Duration.ofSeconds(10));
			assertThat(bus.waitUntilIdle(Duration.ofSeconds(10))).isTrue();

			List<ILoggingEvent> failures;
			synchronized (appender) {
				failures = appender.list.stream()
					.filter((line) -> line.getFormattedMessage().contains("failed for"))
					.toList();
			}
			assertThat(failures).singleElement().satisfies((line) -> {
				assertThat(line.getLevel()).isEqualTo(Level.WARN);
				assertThat(line.getFormattedMessage()).contains("decline", event.label())
					.endsWith(": java.lang.IllegalArgumentException: ******")
					.doesNotContain("4111");
				assertThat(line.getThrowableProxy().getMessage())
					.isEqualTo("java.lang.IllegalArgumentException: ******");
				assertThat(line.getThrowableProxy().getCause().getMessage())
					.isEqualTo("java.lang.IllegalStateException: ******");
				assertThat(line.getThrowableProxy().getStackTraceElementProxyArray()).isNotEmpty();
			});
			// the event keeps the real error
			assertThat(event.eventResults().values()).singleElement()
				.satisfies((row) -> assertThat(row.error()).hasMessage("card 4111-1111-1111-1111 declined"));
		}
		finally {
			logger.detachAppender(appender);
			appender.stop();
		}
	}

	@Test
	void aMaskThatThrowsHidesTheMessageAndTheBusKeepsRunning() {
		try (BusLogCapture log = new BusLogCapture();
				EventBus bus = EventBus.builder("HfBrokenMaskBus").logErrorMessages((message) -> {
					throw new IllegalStateException("mask broken");
				}).build()) {
			bus.on(HfEvent.class, (event) -> {
				throw new IllegalArgumentException("secret 42");
			});
			HfEvent first = bus.emit(new HfEvent());
			first.done(Duration.ofSeconds(10));
			HfEvent second = bus.emit(new HfEvent());
			second.done(Duration.ofSeconds(10));
			assertThat(bus.waitUntilIdle(Duration.ofSeconds(10))).isTrue();

			assertThat(second.eventStatus()).isEqualTo(EventStatus.COMPLETED);
			assertThat(log.messages()).filteredOn((message) -> message.contains("failed for"))
				.hasSize(2)
				.allSatisfy((message) -> assertThat(message).doesNotContain("secret")
					.endsWith(
							"IllegalArgumentException: (message hidden: the mask failed with IllegalStateException)"));
		}
	}

}
