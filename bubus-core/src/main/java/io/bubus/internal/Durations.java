package io.bubus.internal;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Duration helpers: Spring-style text ({@code "250ms"}, {@code "5s"}, ISO-8601) and bubus
 * seconds as floating point numbers on the wire.
 */
public final class Durations {

	private static final Pattern SIMPLE = Pattern.compile("^([+-]?\\d+(?:\\.\\d+)?)(ns|us|ms|s|m|h|d)?$");

	private Durations() {
	}

	/**
	 * Checks a setting is a positive duration.
	 * @throws IllegalArgumentException "{@code what} must be positive, got ..." otherwise
	 */
	public static Duration requirePositive(String what, Duration duration) {
		if (duration.isNegative() || duration.isZero()) {
			throw new IllegalArgumentException(what + " must be positive, got " + duration);
		}
		return duration;
	}

	/**
	 * Parses {@code "250ms"}, {@code "5s"}, {@code "1.5s"}, {@code "PT5S"}; a bare number
	 * means milliseconds (as Spring does). Blank text gives {@code null}.
	 */
	public static @Nullable Duration parse(String text) {
		String trimmed = text.trim();
		if (trimmed.isEmpty()) {
			return null;
		}
		if (trimmed.toUpperCase(Locale.ROOT).startsWith("P") || trimmed.startsWith("-P")) {
			return Duration.parse(trimmed);
		}
		Matcher matcher = SIMPLE.matcher(trimmed.toLowerCase(Locale.ROOT));
		if (!matcher.matches()) {
			throw new IllegalArgumentException(
					"'" + text + "' is not a duration; use a value such as 250ms, 5s, 2m or PT5S");
		}
		double amount = Double.parseDouble(matcher.group(1));
		String unit = (matcher.group(2) != null) ? matcher.group(2) : "ms";
		double nanosPerUnit = switch (unit) {
			case "ns" -> 1;
			case "us" -> 1e3;
			case "ms" -> 1e6;
			case "s" -> 1e9;
			case "m" -> 60e9;
			case "h" -> 3600e9;
			default -> 86400e9;
		};
		return Duration.ofNanos(Math.round(amount * nanosPerUnit));
	}

	/** Seconds as bubus writes them ({@code 0.02}, {@code 60}). */
	public static @Nullable Double toSeconds(@Nullable Duration duration) {
		return (duration != null) ? duration.toNanos() / 1e9 : null;
	}

	/** A duration from bubus seconds. */
	public static @Nullable Duration fromSeconds(@Nullable Number seconds) {
		if (seconds == null) {
			return null;
		}
		return Duration.ofNanos(Math.round(seconds.doubleValue() * 1e9));
	}

	/** Short human form for messages: {@code 0.05s}, {@code 60s}. */
	public static String describe(Duration duration) {
		double seconds = duration.toNanos() / 1e9;
		if (seconds == Math.rint(seconds)) {
			return (long) seconds + "s";
		}
		return new java.math.BigDecimal(Double.toString(seconds)).stripTrailingZeros().toPlainString() + "s";
	}

}
