package io.bubus.middleware;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.bubus.BaseEvent;
import io.bubus.EventBus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/** LoggerEventBusMiddleware (spec §2.3). */
class LoggerEventBusMiddlewareTests {

	public static class UserActionEvent extends BaseEvent<String> {

	}

	@TempDir
	Path dir;

	@Test
	void completedEventIsLoggedPrintedToStdoutAndAppendedToTheFile() throws Exception {
		Path logFile = this.dir.resolve("logs/events.log");
		Logger logger = (Logger) LoggerFactory.getLogger("bubus.middleware");
		ListAppender<ILoggingEvent> logged = new ListAppender<>();
		logged.start();
		logger.addAppender(logged);
		Level level = logger.getLevel();
		logger.setLevel(Level.INFO);
		PrintStream originalOut = System.out;
		PrintStream originalErr = System.err;
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		String label;
		try (EventBus bus = EventBus.builder("LoggerBus").middleware(new LoggerEventBusMiddleware(logFile)).build()) {
			label = bus.label();
			bus.on(UserActionEvent.class, (event) -> "ok");
			System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
			System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
			bus.emit(new UserActionEvent()).done(Duration.ofSeconds(10));
			bus.waitUntilIdle(Duration.ofSeconds(10));
		}
		finally {
			System.setOut(originalOut);
			System.setErr(originalErr);
			logger.detachAppender(logged);
			logger.setLevel(level);
		}

		List<String> lines = Files.readAllLines(logFile);
		assertThat(lines).isNotEmpty();
		assertThat(lines.get(lines.size() - 1)).startsWith("[" + label + "] ")
			.contains("\"event_type\":\"UserActionEvent\"")
			.contains("\"event_status\":\"completed\"")
			.doesNotContain("event_results");
		assertThat(out.toString(StandardCharsets.UTF_8)).contains("[" + label + "] ").contains("UserActionEvent");
		assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain("UserActionEvent");
		assertThat(logged.list).extracting(ILoggingEvent::getFormattedMessage)
			.anySatisfy((message) -> assertThat(message).startsWith("✅ " + label + " completed event {")
				.contains("UserActionEvent"));
	}

	@Test
	void withoutStdoutItOnlyLogsAndWritesTheFile() throws Exception {
		Path logFile = this.dir.resolve("quiet.log");
		PrintStream originalOut = System.out;
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try (EventBus bus = EventBus.builder("QuietLoggerBus")
			.middleware(new LoggerEventBusMiddleware(logFile, false))
			.build()) {
			bus.on(UserActionEvent.class, (event) -> "ok");
			System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
			bus.emit(new UserActionEvent()).done(Duration.ofSeconds(10));
			bus.waitUntilIdle(Duration.ofSeconds(10));
		}
		finally {
			System.setOut(originalOut);
		}

		assertThat(Files.readString(logFile)).contains("UserActionEvent");
		assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("UserActionEvent");
	}

}
