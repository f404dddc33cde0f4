package io.bubus.middleware;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

import io.bubus.BaseEvent;
import io.bubus.EventBus;
import io.bubus.EventBusMiddleware;
import io.bubus.EventStatus;
import io.bubus.json.BubusJson;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Logs every event this bus completes: a summary of the event's {@code event_*} metadata
 * (JSON, without results) at INFO on the SLF4J logger {@code bubus.middleware} ({@code ✅
 * Orders#ab12 completed event {...}}), and the line {@code [Orders#ab12] {...}} on
 * standard output and, when a path is given, appended to that file. At DEBUG the logger
 * also gets the bus's log tree. Failures to write are logged, never thrown into the bus.
 */
public final class LoggerEventBusMiddleware implements EventBusMiddleware {

	private static final Logger log = LoggerFactory.getLogger("bubus.middleware");

	private final @Nullable Path logPath;

	private final boolean printToStdout;

	private final Object fileLock = new Object();

	/** Logs and prints to standard output. */
	public LoggerEventBusMiddleware() {
		this(null, true);
	}

	/** Logs, prints to standard output and appends to this file (parents created). */
	public LoggerEventBusMiddleware(Path logPath) {
		this(logPath, true);
	}

	/**
	 * Logs, appends to {@code logPath} when given (parents created), and prints to
	 * standard output when {@code printToStdout}.
	 */
	public LoggerEventBusMiddleware(@Nullable Path logPath, boolean printToStdout) {
		this.logPath = (logPath != null) ? logPath.toAbsolutePath() : null;
		this.printToStdout = printToStdout;
		Path parent = (this.logPath != null) ? this.logPath.getParent() : null;
		if (parent != null) {
			try {
				Files.createDirectories(parent);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot create the directory of the log file " + this.logPath, ex);
			}
		}
	}

	@Override
	public void onEventChange(EventBus bus, BaseEvent<?> event, EventStatus status) {
		if (status != EventStatus.COMPLETED) {
			return;
		}
		String summary = summary(event);
		log.info("✅ {} completed event {}", bus.label(), summary);
		if (log.isDebugEnabled()) {
			log.debug("{}", bus.logTree());
		}
		String line = "[" + bus.label() + "] " + summary;
		if (this.printToStdout) {
			System.out.println(line);
			System.out.flush();
		}
		Path file = this.logPath;
		if (file != null) {
			appendToFile(file, line);
		}
	}

	/** The {@code event_*} fields of the event JSON, except results, as compact JSON. */
	static String summary(BaseEvent<?> event) {
		ObjectNode tree = EventSnapshots.tree(event);
		ObjectNode summary = BubusJson.MAPPER.createObjectNode();
		for (Map.Entry<String, JsonNode> field : tree.properties()) {
			String name = field.getKey();
			if (name.startsWith("event_") && !name.contains("results")) {
				summary.set(name, field.getValue());
			}
		}
		return BubusJson.MAPPER.writeValueAsString(summary);
	}

	private void appendToFile(Path file, String line) {
		synchronized (this.fileLock) {
			try {
				Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
						StandardOpenOption.APPEND);
			}
			catch (IOException ex) {
				log.warn("Could not append to {}: {}", file, ex.getMessage());
			}
		}
	}

	@Override
	public String toString() {
		return "LoggerEventBusMiddleware" + ((this.logPath != null) ? "[" + this.logPath + "]" : "");
	}

}
