package io.bubus;

import java.util.List;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

/** Captures what the bus logs (warnings about slow handlers, timeouts) while open. */
final class BusLogCapture implements AutoCloseable {

	private final Logger logger = (Logger) LoggerFactory.getLogger(EventBus.class);

	private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

	BusLogCapture() {
		this.appender.start();
		this.logger.addAppender(this.appender);
	}

	/** Formatted messages logged so far, in order. */
	List<String> messages() {
		synchronized (this.appender) {
			return this.appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
		}
	}

	boolean contains(String... parts) {
		return messages().stream().anyMatch((message) -> {
			for (String part : parts) {
				if (!message.contains(part)) {
					return false;
				}
			}
			return true;
		});
	}

	@Override
	public void close() {
		this.logger.detachAppender(this.appender);
		this.appender.stop();
	}

}
