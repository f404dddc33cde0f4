package io.bubus.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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

	/** SHA-1 with the namespace already fed in; cloned for each id. */
	private static final MessageDigest SHA1_PROTOTYPE = sha1WithNamespace();

	private Ids() {
	}

	/**
	 * A new lower-case UUIDv7 string. The random bits come from a fast generator, not a
	 * cryptographic one: ids name events, they are not secrets.
	 */
	public static String uuid7() {
		return UuidCreator.getTimeOrderedEpochFast().toString();
	}

	/** The deterministic UUIDv5 of a handler registration. */
	public static String handlerId(String eventbusId, String handlerName, String filePath, String registeredAt,
			String eventPattern) {
		String seed = eventbusId + "|" + handlerName + "|" + filePath + "|" + registeredAt + "|" + eventPattern;
		return uuid5(seed.getBytes(StandardCharsets.UTF_8)).toString();
	}

	/**
	 * RFC 9562 UUIDv5 in the handler namespace: SHA-1 of namespace and name, version and
	 * variant bits set (the digest is cloned from a prototype, which is much cheaper than
	 * looking the algorithm up each time).
	 */
	static UUID uuid5(byte[] name) {
		MessageDigest digest;
		try {
			digest = (MessageDigest) SHA1_PROTOTYPE.clone();
		}
		catch (CloneNotSupportedException ex) {
			return UuidCreator.getNameBasedSha1(HANDLER_NAMESPACE, name);
		}
		byte[] hash = digest.digest(name);
		long msb = 0;
		long lsb = 0;
		for (int i = 0; i < 8; i++) {
			msb = (msb << 8) | (hash[i] & 0xff);
			lsb = (lsb << 8) | (hash[i + 8] & 0xff);
		}
		msb = (msb & ~0xF000L) | 0x5000L;
		lsb = (lsb & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
		return new UUID(msb, lsb);
	}

	private static MessageDigest sha1WithNamespace() {
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-1");
			digest.update(ByteBuffer.allocate(16)
				.putLong(HANDLER_NAMESPACE.getMostSignificantBits())
				.putLong(HANDLER_NAMESPACE.getLeastSignificantBits())
				.array());
			return digest;
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-1 is not available", ex);
		}
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
