package io.bubus.spring.autoconfigure.bridge;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

import io.bubus.EventBus;
import io.bubus.bridge.BridgeReadPosition;
import io.bubus.bridge.EventBridge;
import io.bubus.bridge.ResumableBridge;
import io.bubus.spring.autoconfigure.BubusProperties;
import io.bubus.spring.autoconfigure.BubusProperties.Bridge.StartAt;
import org.jspecify.annotations.Nullable;

/**
 * Applies the read position settings of a {@code bubus.bridges.<name>} entry: where its
 * bridge starts ({@code position-file}, else {@code start-at}) and, with a
 * {@code position-file}, a {@link BridgeReadPosition} that stores the position every
 * {@code position-save-interval} and when the bridge closes.
 */
final class ReadPositionSettings {

	private ReadPositionSettings() {
	}

	/**
	 * Sets where the bridge of this entry starts and, with a {@code position-file},
	 * tracks its position; {@code null} when the entry keeps no position and starts at
	 * the end (the default).
	 * @throws IllegalStateException naming the property when a setting cannot apply or
	 * the position file cannot be read
	 */
	static @Nullable BridgeReadPosition configure(String name, BubusProperties.Bridge settings, EventBridge bridge,
			EventBus bus) {
		Path file = settings.getPositionFile();
		StartAt startAt = settings.getStartAt();
		if (file == null && startAt == StartAt.END) {
			return null;
		}
		String property = "bubus.bridges." + name + ".";
		String setting = (file != null) ? "position-file" : "start-at";
		if (!(bridge instanceof ResumableBridge resumable)) {
			throw new IllegalStateException(property + setting + " is set, but a " + settings.getType()
					+ " bridge has no read position; jsonl, sqlite and postgres bridges do");
		}
		if (!settings.isReceive()) {
			throw new IllegalStateException(property + setting + " is set, but receive is false");
		}
		Duration interval = settings.getPositionSaveInterval();
		if (interval.isNegative() || interval.isZero()) {
			throw new IllegalStateException(property + "position-save-interval must be > 0, got " + interval);
		}
		if (startAt == StartAt.BEGINNING) {
			// a stored position, read below, wins over this
			resumable.resumeFrom(0);
		}
		if (file == null) {
			return null;
		}
		try {
			return BridgeReadPosition.resume(resumable, file, bus, interval);
		}
		catch (IllegalStateException ex) {
			// the same problem, told in terms of the properties (the cause adds nothing)
			throw new IllegalStateException(property + "position-file " + ex.getMessage() + " to start at " + property
					+ "start-at (" + startAt.name().toLowerCase(Locale.ROOT) + ")");
		}
	}

}
