package io.bubus.bridge;

import java.util.List;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

/** Captures what one class's logger writes while open (formatted messages, in order). */
public final class LogCapture implements AutoCloseable {

	private final Logger logger;

	private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

	public LogCapture(Class<?> loggerClass) {
		this.logger = (Logger) LoggerFactory.getLogger(loggerClass);
		this.appender.start();
		this.logger.addAppender(this.appender);
	}

	/**
	 * Formatted messages logged so far, each prefixed with its level ({@code WARN ...}).
	 */
	public List<String> lines() {
		synchronized (this.appender) {
			return this.appender.list.stream()
				.map((event) -> event.getLevel() + " " + event.getFormattedMessage())
				.toList();
		}
	}

	@Override
	public void close() {
		this.logger.detachAppender(this.appender);
		this.appender.stop();
	}

}
