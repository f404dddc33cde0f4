package io.bubus.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import com.github.f4b6a3.uuid.UuidCreator;

/**
 * Identifier helpers: UUIDv7 for events, buses and results, UUIDv5 for handlers.
 */
public final class Ids {

	/** {@code uuid5(NAMESPACE_DNS, "bubus-handler")}, the namespace of handler ids. */
	public static final UUID HANDLER_NAMESPACE = UUID.fromString("4898345e-32b7-5f44-b450-2112431ad29d");

	/** The id used for "no bus" in handler records. */
	public static final String ROOT_ID = "00000000-0000-0000-0000-000000000000";

	private static final String MAX_ID = "ffffffff-ffff-ffff-ffff-ffffffffffff";

	private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.ISO_8859_1);

	/** SHA-1 with the namespace already fed in; cloned for each id. */
	private static final MessageDigest SHA1_PROTOTYPE = sha1WithNamespace();

	private Ids() {
	}

	/**
	 * A new lower-case UUIDv7 string, greater than every one this process made before.
	 * The random bits come from a fast generator, not a cryptographic one: ids name
	 * events, they are not secrets.
	 */
	public static String uuid7() {
		return uuid7(Timestamps.now());
	}

	/**
	 * The UUIDv7 string of a unique timestamp from {@link Timestamps#now()} (epoch
	 * nanoseconds): RFC 9562 method 3, the millisecond in {@code unix_ts_ms}, the
	 * sub-millisecond nanoseconds (20 bits) in {@code rand_a} and the top of
	 * {@code rand_b}, random bits after them. Timestamps are strictly increasing within
	 * the process, so these ids are too, without a lock of their own; the random tail
	 * keeps ids of different processes apart.
	 */
	public static String uuid7(long epochNanos) {
		long millis = Math.floorDiv(epochNanos, 1_000_000L);
		long subMillis = Math.floorMod(epochNanos, 1_000_000L);
		long msb = (millis << 16) | 0x7000L | (subMillis >>> 8);
		long lsb = 0x8000000000000000L | ((subMillis & 0xFF) << 54) | (ThreadLocalRandom.current().nextLong() >>> 10);
		byte[] text = new byte[36];
		hex(text, 0, msb >>> 32, 8);
		text[8] = '-';
		hex(text, 9, msb >>> 16, 4);
		text[13] = '-';
		hex(text, 14, msb, 4);
		text[18] = '-';
		hex(text, 19, lsb >>> 48, 4);
		text[23] = '-';
		hex(text, 24, lsb, 12);
		return new String(text, StandardCharsets.ISO_8859_1);
	}

	private static void hex(byte[] out, int at, long value, int digits) {
		for (int i = at + digits - 1; i >= at; i--) {
			out[i] = HEX[(int) (value & 0xF)];
			value >>>= 4;
		}
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
		if (text.length() != 36) {
			return false;
		}
		for (int i = 0; i < 36; i++) {
			char c = text.charAt(i);
			if (i == 8 || i == 13 || i == 18 || i == 23) {
				if (c != '-') {
					return false;
				}
			}
			else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
				return false;
			}
		}
		char version = text.charAt(14);
		char variant = Character.toLowerCase(text.charAt(19));
		boolean standard = version >= '1' && version <= '8'
				&& (variant == '8' || variant == '9' || variant == 'a' || variant == 'b');
		return standard || text.equals(ROOT_ID) || text.equals(MAX_ID);
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
