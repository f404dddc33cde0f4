package io.bubus.benchmarks;

import java.util.ArrayList;
import java.util.List;

import io.bubus.BaseEvent;
import io.bubus.EventBus;
import io.bubus.benchmarks.PerfEvents.PerfSimpleEvent;

/**
 * Retained memory per history entry: a bus with {@code maxHistorySize(512)} and one
 * handler processes many events; after a full GC what it still holds is divided by the
 * 512 events in its history, and compared with 512 processed events held in a plain list
 * after their bus is gone (each with its result row, the event's own size). The
 * difference is what the bus keeps per event beyond the history itself. Also checks that
 * the retained heap does not grow between a short and a long run.
 * <p>
 * {@code java -cp <benchmarks jar and its libraries> io.bubus.benchmarks.RetainedMemory [events]}
 */
public final class RetainedMemory {

	private static final int HISTORY = 512;

	private RetainedMemory() {
	}

	public static void main(String[] args) {
		int events = (args.length > 0) ? Integer.parseInt(args[0]) : 100_000;
		warmUp();

		// each amount is measured as what the heap loses when it is let go
		List<BaseEvent<?>> held = processedEvents();
		long withEvents = Memory.heapAfterGc(8, 12);
		int heldCount = held.size();
		held = null;
		long plain = withEvents - Memory.heapAfterGc(8, 12);
		if (heldCount != HISTORY) {
			throw new IllegalStateException("kept " + heldCount);
		}

		EventBus bus = EventBus.builder("RetainedBus").maxHistorySize(HISTORY).maxHistoryDrop(true).build();
		bus.on(PerfSimpleEvent.class, (event) -> event.value);
		run(bus, events / 10);
		long afterShort = Memory.heapAfterGc(8, 12);
		run(bus, events);
		long afterLong = Memory.heapAfterGc(8, 12);
		if (bus.eventHistory().size() > HISTORY) {
			throw new IllegalStateException("history over its limit: " + bus.eventHistory().size());
		}
		bus.clearHistory();
		long busAfterLong = afterLong - Memory.heapAfterGc(8, 12);
		long busAfterShort = busAfterLong - (afterLong - afterShort);
		bus.stop();

		double perEntry = busAfterLong / (double) HISTORY;
		double perEvent = plain / (double) HISTORY;
		System.out.printf(
				"[java] retained: history=%d events=%d bus_retained=%.1fkb per_history_entry=%.3fkb "
						+ "processed_event_alone=%.3fkb beyond_history=%.3fkb/event growth_short_to_long=%.1fkb%n",
				HISTORY, events, busAfterLong / 1024.0, perEntry / 1024, perEvent / 1024, (perEntry - perEvent) / 1024,
				(busAfterLong - busAfterShort) / 1024.0);
	}

	private static void run(EventBus bus, int count) {
		for (int i = 0; i < count; i++) {
			bus.emit(new PerfSimpleEvent(0, i)).done();
		}
	}

	private static void warmUp() {
		try (EventBus bus = EventBus.builder("RetainedWarmUp").maxHistorySize(HISTORY).maxHistoryDrop(true).build()) {
			bus.on(PerfSimpleEvent.class, (event) -> event.value);
			run(bus, 50_000);
		}
	}

	/** 512 events processed by a bus that is then stopped, held only by a list. */
	private static List<BaseEvent<?>> processedEvents() {
		List<BaseEvent<?>> held = new ArrayList<>(HISTORY);
		try (EventBus bus = EventBus.builder("RetainedPlain").maxHistorySize(0).build()) {
			bus.on(PerfSimpleEvent.class, (event) -> event.value);
			for (int i = 0; i < HISTORY; i++) {
				held.add(bus.emit(new PerfSimpleEvent(0, i)).done());
			}
		}
		return held;
	}

}
