package io.bubus.bridge;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

import io.bubus.internal.Durations;
import org.jspecify.annotations.Nullable;

/**
 * The event ids a receiver has seen lately, so that a message delivered again (an
 * at-least-once transport redelivering what was not acknowledged, a sender publishing
 * again after a lost confirm) is recognised by the sender's {@code event_id} and not
 * handled twice.
 * <p>
 * Bounded in size and in time: it remembers at most {@link #maxSize()} ids, and an id for
 * at most {@link #maxAge()} after its handling ended; the oldest is forgotten first. A
 * duplicate that arrives after its id was forgotten is handled again. The window lives in
 * memory: it does not survive a restart, and separate processes (instances sharing a
 * queue) each have their own.
 * <p>
 * Each id is in one of two states. <em>In flight</em> from {@link #claim} until
 * {@link #settle}: a duplicate arriving meanwhile gets the original's outcome as a
 * future, so it is settled like the original without running again. <em>Handled</em>
 * after {@code settle(id, true)}: a duplicate is suppressed at once.
 * {@code settle(id, false)} (the work did not finish) forgets the id, so the next
 * delivery runs.
 * <p>
 * Concurrency: one monitor (this object) guards the map; it is never held while a future
 * completes, so whatever a caller chained to an outcome runs outside it.
 *
 * @author bubus-java
 * @since 0.1.0
 */
public final class DuplicateWindow {

	/** Ids remembered by default. */
	public static final int DEFAULT_MAX_SIZE = 10_000;

	/** How long a handled id is remembered by default. */
	public static final Duration DEFAULT_MAX_AGE = Duration.ofMinutes(10);

	private final int maxSize;

	private final Duration maxAge;

	private final long maxAgeNanos;

	private final LongSupplier clock;

	/** Ids in first-seen order; guarded by this. */
	private final LinkedHashMap<String, Entry> ids = new LinkedHashMap<>();

	private long suppressed;

	/** A window of {@link #DEFAULT_MAX_SIZE} ids and {@link #DEFAULT_MAX_AGE}. */
	public DuplicateWindow() {
		this(DEFAULT_MAX_SIZE, DEFAULT_MAX_AGE);
	}

	/**
	 * A window remembering at most {@code maxSize} ids, each for at most {@code maxAge}
	 * after it was handled.
	 * @param maxSize the largest number of ids remembered (at least 1)
	 * @param maxAge how long a handled id is remembered (positive)
	 */
	public DuplicateWindow(int maxSize, Duration maxAge) {
		this(maxSize, maxAge, System::nanoTime);
	}

	DuplicateWindow(int maxSize, Duration maxAge, LongSupplier clock) {
		if (maxSize < 1) {
			throw new IllegalArgumentException("duplicate window size must be at least 1, got " + maxSize);
		}
		Durations.requirePositive("duplicate window age", maxAge);
		this.maxSize = maxSize;
		this.maxAge = maxAge;
		this.maxAgeNanos = maxAge.toNanos();
		this.clock = clock;
	}

	/** The largest number of ids remembered. */
	public int maxSize() {
		return this.maxSize;
	}

	/** How long a handled id is remembered. */
	public Duration maxAge() {
		return this.maxAge;
	}

	/**
	 * Claims an id for handling.
	 * @param id the sender's event id
	 * @return {@code null} when the id is new (the caller handles it, then calls
	 * {@link #settle}); otherwise the id is a duplicate, and the future completes with
	 * {@code true} once the original was handled (at once when it already was), or
	 * {@code false} when the original's work did not finish
	 */
	public @Nullable CompletableFuture<Boolean> claim(String id) {
		Entry evicted = null;
		synchronized (this) {
			expire(this.clock.getAsLong());
			Entry entry = this.ids.get(id);
			if (entry != null) {
				this.suppressed++;
				return entry.outcome;
			}
			this.ids.put(id, new Entry());
			if (this.ids.size() > this.maxSize) {
				Iterator<Entry> oldest = this.ids.values().iterator();
				evicted = oldest.next();
				oldest.remove();
			}
		}
		if (evicted != null) {
			// forgotten while in flight: its duplicates run again rather than wait
			// for an outcome nobody will report
			evicted.outcome.complete(false);
		}
		return null;
	}

	/**
	 * Ends the handling of a claimed id: {@code handled} remembers it as handled;
	 * otherwise it is forgotten, so that a later delivery is handled. Duplicates that
	 * arrived meanwhile get this outcome.
	 * @param id the id given to {@link #claim}
	 * @param handled whether its work finished
	 */
	public void settle(String id, boolean handled) {
		Entry entry;
		synchronized (this) {
			entry = this.ids.get(id);
			if (entry == null || entry.outcome.isDone()) {
				return;
			}
			if (handled) {
				entry.handledAt = this.clock.getAsLong();
			}
			else {
				this.ids.remove(id);
			}
		}
		entry.outcome.complete(handled);
	}

	/** Whether this id is remembered (in flight or handled). */
	public synchronized boolean contains(String id) {
		expire(this.clock.getAsLong());
		return this.ids.containsKey(id);
	}

	/** Ids remembered now. */
	public synchronized int size() {
		return this.ids.size();
	}

	/** Duplicates recognised so far. */
	public synchronized long suppressed() {
		return this.suppressed;
	}

	/** Forgets handled ids older than the age limit; under this. */
	private void expire(long now) {
		Iterator<Map.Entry<String, Entry>> iterator = this.ids.entrySet().iterator();
		while (iterator.hasNext()) {
			Entry entry = iterator.next().getValue();
			if (entry.handledAt == null) {
				// in flight: kept (bounded by the size limit)
				continue;
			}
			if (now - entry.handledAt < this.maxAgeNanos) {
				// ids were first seen in order, but handled out of order: stop at the
				// first one still young, an older-handled one behind it goes later
				return;
			}
			iterator.remove();
		}
	}

	@Override
	public String toString() {
		return "DuplicateWindow(" + size() + "/" + this.maxSize + " ids, " + this.maxAge + ")";
	}

	/** What the window knows of one id. */
	private static final class Entry {

		final CompletableFuture<Boolean> outcome = new CompletableFuture<>();

		/** When its handling ended ({@code null}: in flight); under the window. */
		@Nullable Long handledAt;

	}

}
