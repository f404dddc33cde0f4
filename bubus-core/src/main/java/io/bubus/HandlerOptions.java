package io.bubus;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import io.bubus.internal.Durations;

/**
 * Options for one handler registration: name, timeout and slow-warning threshold.
 * Immutable; every method returns a new instance.
 *
 * {@snippet :
 * bus.on(OrderPlaced.class, billing::charge, HandlerOptions.defaults().name("charge").timeout(Duration.ofSeconds(5)));
 * }
 */
public final class HandlerOptions {

	private static final HandlerOptions DEFAULTS = new HandlerOptions(null, null, false, null, false, null, null);

	final @Nullable String name;

	final @Nullable Duration timeout;

	final boolean timeoutSet;

	final @Nullable Duration slowTimeout;

	final boolean slowTimeoutSet;

	final @Nullable String id;

	final @Nullable String filePath;

	private HandlerOptions(@Nullable String name, @Nullable Duration timeout, boolean timeoutSet,
			@Nullable Duration slowTimeout, boolean slowTimeoutSet, @Nullable String id, @Nullable String filePath) {
		this.name = name;
		this.timeout = timeout;
		this.timeoutSet = timeoutSet;
		this.slowTimeout = slowTimeout;
		this.slowTimeoutSet = slowTimeoutSet;
		this.id = id;
		this.filePath = filePath;
	}

	/** No name, no overrides. */
	public static HandlerOptions defaults() {
		return DEFAULTS;
	}

	/**
	 * Parses a duration as the {@link BubusHandler} {@code timeout} and
	 * {@code slowTimeout} attributes take it: {@code "250ms"}, {@code "5s"},
	 * {@code "1.5s"}, {@code "2m"}, {@code "PT5S"}; a bare number means milliseconds (as
	 * Spring Boot does).
	 * @return the duration, {@code null} for blank text
	 * @throws IllegalArgumentException naming the text when it is not a duration
	 */
	public static @Nullable Duration parseDuration(String text) {
		return Durations.parse(text);
	}

	/** The handler name shown in results, logs and the tree. */
	public HandlerOptions name(String name) {
		return new HandlerOptions(name, this.timeout, this.timeoutSet, this.slowTimeout, this.slowTimeoutSet, this.id,
				this.filePath);
	}

	/**
	 * The handler timeout; beats the event's and the bus's handler timeout. {@code null}
	 * explicitly disables the handler timeout (the event timeout still applies).
	 */
	public HandlerOptions timeout(@Nullable Duration timeout) {
		requirePositive("timeout", timeout);
		return new HandlerOptions(this.name, timeout, true, this.slowTimeout, this.slowTimeoutSet, this.id,
				this.filePath);
	}

	/** The slow-handler warning threshold; {@code null} disables the warning. */
	public HandlerOptions slowTimeout(@Nullable Duration slowTimeout) {
		requirePositive("slowTimeout", slowTimeout);
		return new HandlerOptions(this.name, this.timeout, this.timeoutSet, slowTimeout, true, this.id, this.filePath);
	}

	/** An explicit handler id instead of the computed UUIDv5 (used when restoring). */
	public HandlerOptions id(String id) {
		return new HandlerOptions(this.name, this.timeout, this.timeoutSet, this.slowTimeout, this.slowTimeoutSet, id,
				this.filePath);
	}

	/** An explicit source location instead of the detected registration site. */
	public HandlerOptions filePath(@Nullable String filePath) {
		return new HandlerOptions(this.name, this.timeout, this.timeoutSet, this.slowTimeout, this.slowTimeoutSet,
				this.id, filePath);
	}

	static void requirePositive(String what, @Nullable Duration duration) {
		if (duration != null && (duration.isNegative() || duration.isZero())) {
			throw new IllegalArgumentException(what + " must be > 0 or null, got: " + duration);
		}
	}

}
