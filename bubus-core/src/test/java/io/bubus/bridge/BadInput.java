package io.bubus.bridge;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.bubus.BaseEvent;
import io.bubus.DynamicEvent;
import io.bubus.json.BubusJson;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The bad-input check every bridge runs: each kind of garbage is put on the real
 * transport, then a good event; the garbage is logged naming the bridge and the problem,
 * counted, and dropped, and the good event still arrives.
 */
public final class BadInput {

	/** The receive limit the check sets, so an oversized message fits every transport. */
	public static final int LIMIT = 4096;

	static {
		BaseEvent.register(Ping.class);
	}

	/** A bad message and a pattern for the reason the bridge must log for it. */
	public record Garbage(String what, String message, String reason) {
	}

	private BadInput() {
	}

	/**
	 * One of each: malformed JSON, unknown {@code event_*} key, oversized, wrong types.
	 */
	public static List<Garbage> garbage() {
		return List.of(
				new Garbage("malformed JSON", "{\"event_type\": \"Note\", this is not json",
						"Unexpected character|event_payload is not a JSON object"),
				new Garbage("unknown event_* key", with(note("unknown-key"), "event_bogus", 1), "event_bogus"),
				new Garbage("oversized", note("x".repeat(LIMIT)), "over the limit of " + LIMIT),
				new Garbage("wrong type of a bubus field", with(note("bad-timeout"), "event_timeout", "soon"),
						"event_timeout"),
				new Garbage("wrong type of event_path", with(note("bad-path"), "event_path", "not-a-list"),
						"event_path"),
				new Garbage("wrong type of a typed payload field",
						"{\"event_type\":\"Ping\",\"event_id\":\"" + uuid()
								+ "\",\"label\":\"bad\",\"count\":\"many\"}",
						"field \"count\""),
				new Garbage("not an object", "[1,2,3]", "expected an object|event_payload is not a JSON object"),
				new Garbage("no event_type", "{\"label\":\"no-type\"}", "event_type"));
	}

	/** Raw JSON of a valid Note event with this label. */
	public static String note(String label) {
		return new DynamicEvent("Note", Map.of("label", label)).toJson();
	}

	/** The JSON with one field set (replacing the field if present). */
	public static String with(String json, String field, Object value) {
		ObjectNode node = (ObjectNode) BubusJson.MAPPER.readTree(json);
		node.set(field, BubusJson.MAPPER.valueToTree(value));
		return node.toString();
	}

	/** A fresh event id (SQL rows need one that is a valid uuid). */
	public static String uuid() {
		return UUID.randomUUID().toString();
	}

	/** Something that puts one raw message on the transport. */
	@FunctionalInterface
	public interface Wire {

		void send(String message) throws Exception;

	}

	/**
	 * Sends every kind of garbage through {@code wire}, then a good Note with
	 * {@code good}, and checks the bridge dropped, counted and logged each one and
	 * delivered only the good event.
	 */
	public static void check(EventBridge bridge, Wire wire, Wire good) throws Exception {
		Logger logger = (Logger) LoggerFactory.getLogger(EventBridge.class);
		ListAppender<ILoggingEvent> appender = new ListAppender<>();
		appender.start();
		logger.addAppender(appender);
		try {
			bridge.setMaxMessageBytes(LIMIT);
			List<Object> labels = new CopyOnWriteArrayList<>();
			bridge.on("Note", (event) -> labels.add(((DynamicEvent) event).get("label")));
			bridge.on(Ping.class, (event) -> labels.add(event.label));
			List<Garbage> garbage = garbage();
			for (Garbage bad : garbage) {
				wire.send(bad.message());
			}
			good.send(note("good"));

			await().atMost(Duration.ofSeconds(20)).until(() -> labels.contains("good"));
			await().atMost(Duration.ofSeconds(5)).until(() -> bridge.droppedMessages() >= garbage.size());
			assertThat(labels).containsExactly("good");
			assertThat(bridge.droppedMessages()).isEqualTo(garbage.size());
			List<String> lines;
			synchronized (appender) {
				lines = appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
			}
			for (Garbage bad : garbage) {
				assertThat(lines).as("log line for %s", bad.what())
					.anyMatch((line) -> line.contains("bridge " + bridge.name() + " dropped a received message")
							&& Pattern.compile(bad.reason()).matcher(line).find());
			}
		}
		finally {
			logger.detachAppender(appender);
			appender.stop();
		}
	}

}
