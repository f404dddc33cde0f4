package io.bubus.bridge;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.LongSupplier;

import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Model-checked {@link DuplicateWindow}: Lincheck generates random scenarios of
 * {@code claim}, {@code settle} (handled or not), {@code contains}, {@code size} and a
 * clock tick, with a concurrent part on two threads, explores the interleavings of each
 * (a switch may happen at every monitor enter and exit and every shared read and write,
 * inside the JDK's map and future too) and checks that every outcome is one that some
 * sequential order of the same calls gives on {@link Spec}, a window of the same bound
 * and age written without locks. Three ids against a bound of two, so claims evict; a
 * tick ages every handled id past the limit, so claims and lookups expire.
 * <p>
 * A claim's result is whether it was new or a duplicate, not the state of the duplicate's
 * future: {@code settle} completes that future after leaving the monitor, so a claim can
 * see it not yet done after the settle took effect (a lag, not another order). What the
 * futures must do is checked once the threads finished
 * ({@link Window#noDuplicateWaitsForever}): each one completed, or completes when its id
 * is settled.
 */
@Tag("lincheck")
class DuplicateWindowLincheckTests {

	static final int MAX_SIZE = 2;

	static final long MAX_AGE_NANOS = 10;

	@Test
	void everyInterleavingOfClaimsSettlesAndLookupsIsOneOfASequentialWindow() {
		new ModelCheckingOptions().sequentialSpecification(Spec.class)
			.iterations(40)
			.invocationsPerIteration(100)
			.threads(2)
			.actorsPerThread(3)
			.actorsBefore(4)
			.actorsAfter(2)
			.check(Window.class);
	}

	/** The operations Lincheck runs; public, as Lincheck instantiates it. */
	@Param(name = "id", gen = IntGen.class, conf = "1:3")
	public static final class Window {

		private final Clock now = new Clock();

		private final DuplicateWindow window = new DuplicateWindow(MAX_SIZE, Duration.ofNanos(MAX_AGE_NANOS), this.now);

		/** The futures duplicates got, with their id (at most one a call). */
		private final AtomicReferenceArray<Duplicate> duplicates = new AtomicReferenceArray<>(32);

		private final AtomicInteger duplicateCount = new AtomicInteger();

		@Operation
		public String claim(@Param(name = "id") int id) {
			CompletableFuture<Boolean> original = this.window.claim(name(id));
			if (original == null) {
				return "new";
			}
			this.duplicates.set(this.duplicateCount.getAndIncrement(), new Duplicate(name(id), original));
			return "duplicate";
		}

		/**
		 * {@link #claim} again, so that scenarios claim twice as often as they do
		 * anything else.
		 */
		@Operation
		public String claimAgain(@Param(name = "id") int id) {
			return claim(id);
		}

		@Operation
		public void settleHandled(@Param(name = "id") int id) {
			this.window.settle(name(id), true);
		}

		@Operation
		public void settleUnfinished(@Param(name = "id") int id) {
			this.window.settle(name(id), false);
		}

		@Operation
		public boolean contains(@Param(name = "id") int id) {
			return this.window.contains(name(id));
		}

		@Operation
		public int size() {
			return this.window.size();
		}

		/** Every id handled so far is now past the age limit. */
		@Operation
		public void tick() {
			this.now.addAndGet(MAX_AGE_NANOS);
		}

		/**
		 * A duplicate waits for its original's outcome: once nothing runs, its future is
		 * completed or its id is still remembered in flight, so that settling the id
		 * completes it.
		 */
		@Validate
		public void noDuplicateWaitsForever() {
			List<Duplicate> open = new ArrayList<>();
			for (int i = 0; i < this.duplicateCount.get(); i++) {
				if (!this.duplicates.get(i).outcome().isDone()) {
					open.add(this.duplicates.get(i));
				}
			}
			for (Duplicate duplicate : open) {
				this.window.settle(duplicate.id(), false);
			}
			for (Duplicate duplicate : open) {
				if (!duplicate.outcome().isDone()) {
					throw new IllegalStateException("a duplicate of " + duplicate.id()
							+ " waits for an outcome that settling its id does not give");
				}
			}
		}

	}

	/** A future a duplicate got, and its id. */
	record Duplicate(String id, CompletableFuture<Boolean> outcome) {

	}

	/**
	 * The window's clock, moved by {@link Window#tick}; a class rather than a method
	 * reference, whose captured field Lincheck cannot follow.
	 */
	static final class Clock extends AtomicLong implements LongSupplier {

		@Override
		public long getAsLong() {
			return get();
		}

	}

	static String name(int id) {
		return "id-" + id;
	}

	/**
	 * The window's rules without concurrency: ids in first-seen order, at most
	 * {@link #MAX_SIZE} (the oldest forgotten first), a handled id forgotten once it is
	 * {@link #MAX_AGE_NANOS} old (looking from the oldest and stopping at the first
	 * handled id still young), an unfinished one forgotten at once.
	 */
	public static final class Spec {

		/** First-seen order; the value is when the id was handled, or null in flight. */
		private final LinkedHashMap<String, Long> ids = new LinkedHashMap<>();

		private long now;

		public String claim(int id) {
			expire();
			if (this.ids.containsKey(name(id))) {
				return "duplicate";
			}
			this.ids.put(name(id), null);
			if (this.ids.size() > MAX_SIZE) {
				this.ids.remove(this.ids.keySet().iterator().next());
			}
			return "new";
		}

		public String claimAgain(int id) {
			return claim(id);
		}

		public void settleHandled(int id) {
			settle(id, true);
		}

		public void settleUnfinished(int id) {
			settle(id, false);
		}

		private void settle(int id, boolean handled) {
			String name = name(id);
			if (!this.ids.containsKey(name) || this.ids.get(name) != null) {
				return;
			}
			if (handled) {
				this.ids.put(name, this.now);
			}
			else {
				this.ids.remove(name);
			}
		}

		public boolean contains(int id) {
			expire();
			return this.ids.containsKey(name(id));
		}

		public int size() {
			return this.ids.size();
		}

		public void tick() {
			this.now += MAX_AGE_NANOS;
		}

		private void expire() {
			Iterator<Long> handledAt = this.ids.values().iterator();
			while (handledAt.hasNext()) {
				Long at = handledAt.next();
				if (at == null) {
					continue;
				}
				if (this.now - at < MAX_AGE_NANOS) {
					return;
				}
				handledAt.remove();
			}
		}

	}

}
