package io.bubus.internal;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.regex.Pattern;

import com.github.f4b6a3.uuid.UuidCreator;

/**
 * Identifier helpers: UUIDv7 for events, buses and results, UUIDv5 for handlers.
 */
public final class Ids {

	/** {@code uuid5(NAMESPACE_DNS, "bubus-handler")}, the namespace of handler ids. */
	public static final UUID HANDLER_NAMESPACE = UUID.fromString("4898345e-32b7-5f44-b450-2112431ad29d");

	/** The id used for "no bus" in handler records. */
	public static final String ROOT_ID = "00000000-0000-0000-0000-000000000000";

	private static final Pattern UUID_PATTERN = Pattern.compile(
			"^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}|00000000-0000-0000-0000-000000000000|ffffffff-ffff-ffff-ffff-ffffffffffff)$");

	private Ids() {
	}

	/** A new lower-case UUIDv7 string. */
	public static String uuid7() {
		return UuidCreator.getTimeOrderedEpoch().toString();
	}

	/** The deterministic UUIDv5 of a handler registration. */
	public static String handlerId(String eventbusId, String handlerName, String filePath, String registeredAt,
			String eventPattern) {
		String seed = eventbusId + "|" + handlerName + "|" + filePath + "|" + registeredAt + "|" + eventPattern;
		return UuidCreator.getNameBasedSha1(HANDLER_NAMESPACE, seed.getBytes(StandardCharsets.UTF_8)).toString();
	}

	/** Whether the text is a UUID as bubus accepts it (any version 1-8, nil or max). */
	public static boolean isUuid(String text) {
		return text.length() == 36 && UUID_PATTERN.matcher(text).matches();
	}

	/** The last four characters of an id, used in labels. */
	public static String id4(String id) {
		return (id.length() <= 4) ? id : id.substring(id.length() - 4);
	}

	/** The last eight characters of an id. */
	public static String id8(String id) {
		return (id.length() <= 8) ? id : id.substring(id.length() - 8);
	}

}
