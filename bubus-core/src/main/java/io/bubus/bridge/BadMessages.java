package io.bubus.bridge;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.bubus.json.BubusJson;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Describes a received message that is not a valid event, for the log, without any value
 * from it: its size, its event type when that reads as a type name, and the reader's
 * reason cut to the field and the kind of problem (what follows a {@code :}, a quote or
 * {@code got} in a reason is the offending value, and is left out).
 */
final class BadMessages {

	private static final Pattern FIELD = Pattern.compile("field \"([A-Za-z0-9_\\[\\]\\.]{1,64})\"");

	private static final Pattern TYPE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.$-]{0,63}");

	private BadMessages() {
	}

	static String describe(String json, int size, @Nullable String reason) {
		String type = eventType(json);
		String what = size + " bytes" + ((type != null) ? ", event_type " + type : "");
		return "message of " + what + ": " + problem(reason);
	}

	/** The reader's reason without values. */
	static String problem(@Nullable String reason) {
		if (reason == null) {
			return "unreadable event";
		}
		Matcher field = FIELD.matcher(reason);
		if (reason.startsWith("Invalid event JSON for ")) {
			String type = reason.substring("Invalid event JSON for ".length()).split("[: ]", 2)[0];
			return "payload does not fit " + type + (field.find() ? " (field \"" + field.group(1) + "\")" : "");
		}
		if (reason.startsWith("Invalid event JSON: field ") && field.find()) {
			String rest = reason.substring(field.end()).replaceFirst("^:\\s*", "");
			return "invalid field \"" + field.group(1) + "\": " + valueFree(rest);
		}
		if (reason.startsWith("BaseEvent field ")) {
			// a reserved or unknown key: fixed text around the key's name, no value
			return reason;
		}
		if (reason.startsWith("Invalid event JSON: expected an object")) {
			return "expected an object";
		}
		if (reason.startsWith("Invalid event JSON: ")) {
			return "not valid JSON: " + valueFree(reason.substring("Invalid event JSON: ".length()));
		}
		return valueFree(reason);
	}

	/** The reason up to where a value would start. */
	private static String valueFree(String reason) {
		int end = reason.length();
		for (String marker : new String[] { ":", "\"", "'", "(", ", got", " got ", ", received", " received " }) {
			int at = reason.indexOf(marker);
			if (at >= 0 && at < end) {
				end = at;
			}
		}
		String kept = reason.substring(0, end).strip();
		return kept.isEmpty() ? "invalid value" : kept;
	}

	private static @Nullable String eventType(String json) {
		try {
			JsonNode node = BubusJson.MAPPER.readTree(json);
			JsonNode type = (node != null) ? node.get("event_type") : null;
			if (type != null && type.isString() && TYPE_NAME.matcher(type.asString()).matches()) {
				return type.asString();
			}
		}
		catch (JacksonException ex) {
			// not JSON: no type to show
		}
		return null;
	}

}
