package io.bubus.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Canonical bubus timestamps: 30-character UTC strings with nine fractional digits
 * ({@code 2025-01-02T03:04:05.678901000Z}), strictly increasing within this process.
 * <p>
 * Internally a timestamp is a {@code long} of nanoseconds since the epoch; {@link #NONE}
 * stands for "not set".
 */
public final class Timestamps {

	/** Marker for an unset timestamp. */
	public static final long NONE = Long.MIN_VALUE;

	private static final Pattern ISO = Pattern
		.compile("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})$");

	private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss")
		.withZone(ZoneOffset.UTC);

	private static final long WALL_BASE;

	private static final long MONO_BASE;

	private static final AtomicLong LAST = new AtomicLong();

	static {
		Instant now = Instant.now();
		MONO_BASE = System.nanoTime();
		WALL_BASE = now.getEpochSecond() * 1_000_000_000L + now.getNano();
	}

	private Timestamps() {
	}

	/** Now, in epoch nanoseconds, strictly greater than any value returned before. */
	public static long now() {
		return claim(1);
	}

	/**
	 * Now, like {@link #now()}, and the next {@code count - 1} nanoseconds after it as
	 * well: values for moments that follow at once (a bus starting an event and its first
	 * handler), claimed with one update of the shared clock.
	 */
	public static long claim(int count) {
		long candidate = WALL_BASE + (System.nanoTime() - MONO_BASE);
		while (true) {
			long last = LAST.get();
			long next = (candidate > last) ? candidate : last + 1;
			if (LAST.compareAndSet(last, next + count - 1)) {
				return next;
			}
		}
	}

	/** The canonical string form of epoch nanoseconds. */
	public static String format(long epochNanos) {
		long seconds = Math.floorDiv(epochNanos, 1_000_000_000L);
		long nanos = Math.floorMod(epochNanos, 1_000_000_000L);
		LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(seconds, 86_400L));
		int year = date.getYear();
		if (year < 1000 || year > 9999) {
			StringBuilder sb = new StringBuilder(32);
			sb.append(SECONDS.format(Instant.ofEpochSecond(seconds))).append('.');
			String frac = Long.toString(nanos);
			sb.append("000000000", 0, 9 - frac.length()).append(frac).append('Z');
			return sb.toString();
		}
		int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
		byte[] out = new byte[30];
		digits(out, 0, year, 4);
		out[4] = '-';
		digits(out, 5, date.getMonthValue(), 2);
		out[7] = '-';
		digits(out, 8, date.getDayOfMonth(), 2);
		out[10] = 'T';
		digits(out, 11, secondOfDay / 3600, 2);
		out[13] = ':';
		digits(out, 14, (secondOfDay / 60) % 60, 2);
		out[16] = ':';
		digits(out, 17, secondOfDay % 60, 2);
		out[19] = '.';
		digits(out, 20, nanos, 9);
		out[29] = 'Z';
		return new String(out, StandardCharsets.ISO_8859_1);
	}

	private static void digits(byte[] out, int at, long value, int width) {
		for (int i = at + width - 1; i >= at; i--) {
			out[i] = (byte) ('0' + (value % 10));
			value /= 10;
		}
	}

	/** The canonical string form of an instant. */
	public static String format(Instant instant) {
		return format(toNanos(instant));
	}

	/** Epoch nanoseconds of an instant. */
	public static long toNanos(Instant instant) {
		return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
	}

	/** The instant of epoch nanoseconds, or {@code null} for {@link #NONE}. */
	public static @org.jspecify.annotations.Nullable Instant toInstant(long epochNanos) {
		if (epochNanos == NONE) {
			return null;
		}
		return Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L),
				Math.floorMod(epochNanos, 1_000_000_000L));
	}

	/**
	 * Parses an ISO datetime as bubus accepts it and returns epoch nanoseconds.
	 * @throws IllegalArgumentException {@code Invalid ISO datetime: <text>} or a year
	 * outside 1990..2500
	 */
	public static long parse(String text) {
		long fast = parseCanonical(text);
		if (fast != NONE) {
			return fast;
		}
		if (!ISO.matcher(text).matches()) {
			throw new IllegalArgumentException("Invalid ISO datetime: " + text);
		}
		OffsetDateTime parsed;
		try {
			parsed = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
		}
		catch (DateTimeParseException ex) {
			throw new IllegalArgumentException("Invalid ISO datetime: " + text, ex);
		}
		Instant instant = parsed.toInstant();
		int year = instant.atOffset(ZoneOffset.UTC).getYear();
		if (year <= 1990 || year >= 2500) {
			throw new IllegalArgumentException(
					"monotonicDatetime(isostring) year must be >1990 and <2500, got " + year);
		}
		return toNanos(instant);
	}

	/**
	 * The common case without regex or formatter: {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z}
	 * with every field in range and a year inside the accepted window; {@link #NONE} for
	 * anything else, which {@link #parse} then checks the slow way (and reports).
	 */
	private static long parseCanonical(String text) {
		int length = text.length();
		if (length < 20 || length > 30 || text.charAt(length - 1) != 'Z' || text.charAt(4) != '-'
				|| text.charAt(7) != '-' || text.charAt(10) != 'T' || text.charAt(13) != ':'
				|| text.charAt(16) != ':') {
			return NONE;
		}
		int year = number(text, 0, 4);
		int month = number(text, 5, 2);
		int day = number(text, 8, 2);
		int hour = number(text, 11, 2);
		int minute = number(text, 14, 2);
		int second = number(text, 17, 2);
		// past 2261 epoch nanoseconds overflow a long: left to the slow path
		if (year <= 1990 || year > 2261 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0
				|| minute > 59 || second < 0 || second > 59) {
			return NONE;
		}
		long nanos = 0;
		if (length > 20) {
			int digits = length - 21;
			if (text.charAt(19) != '.' || digits < 1 || digits > 9) {
				return NONE;
			}
			int fraction = number(text, 20, digits);
			if (fraction < 0) {
				return NONE;
			}
			nanos = fraction;
			for (int i = digits; i < 9; i++) {
				nanos *= 10;
			}
		}
		if (day > java.time.YearMonth.of(year, month).lengthOfMonth()) {
			return NONE;
		}
		long epochDay = LocalDate.of(year, month, day).toEpochDay();
		long seconds = epochDay * 86_400L + hour * 3600L + minute * 60L + second;
		return seconds * 1_000_000_000L + nanos;
	}

	/** The decimal number of {@code width} ASCII digits at {@code at}, or -1. */
	private static int number(String text, int at, int width) {
		int value = 0;
		for (int i = at; i < at + width; i++) {
			char c = text.charAt(i);
			if (c < '0' || c > '9') {
				return -1;
			}
			value = value * 10 + (c - '0');
		}
		return value;
	}

	/** Parses and re-formats: the canonical form of any accepted input. */
	public static String canonical(String text) {
		return format(parse(text));
	}

}
