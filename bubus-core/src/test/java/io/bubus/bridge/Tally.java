package io.bubus.bridge;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import io.bubus.DynamicEvent;

/**
 * How often each {@code Note} label was handled, over any number of receiving bridges:
 * the delivery tests' record of what was lost ({@link #missing}) and what ran twice
 * ({@link #repeated}).
 */
public final class Tally {

	private final Map<Object, AtomicInteger> handled = new ConcurrentHashMap<>();

	private final AtomicInteger total = new AtomicInteger();

	/**
	 * Counts every {@code Note} this bridge's handlers finish, and returns the bridge.
	 */
	public <B extends EventBridge> B count(B bridge) {
		bridge.on("Note", (event) -> {
			handle(((DynamicEvent) event).get("label"));
			return null;
		});
		return bridge;
	}

	/** Records one finished handling of this label. */
	public void handle(Object label) {
		this.handled.computeIfAbsent(label, (key) -> new AtomicInteger()).incrementAndGet();
		this.total.incrementAndGet();
	}

	/** Handlings so far, repeats included. */
	public int total() {
		return this.total.get();
	}

	/** Labels handled at least once. */
	public int distinct() {
		return this.handled.size();
	}

	/** The labels handled so far. */
	public Set<Object> labels() {
		return Set.copyOf(this.handled.keySet());
	}

	/** The labels {@code e0 … e<count-1>} never handled. */
	public List<String> missing(int count) {
		return IntStream.range(0, count)
			.mapToObj((i) -> "e" + i)
			.filter((label) -> !this.handled.containsKey(label))
			.toList();
	}

	/** The labels handled more than once. */
	public List<Object> repeated() {
		return this.handled.entrySet()
			.stream()
			.filter((entry) -> entry.getValue().get() > 1)
			.map(Map.Entry::getKey)
			.toList();
	}

}
