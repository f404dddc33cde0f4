package io.bubus.benchmarks;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.bubus.BaseEvent;
import io.bubus.EventBus;
import io.bubus.EventHandler;
import io.bubus.EventHandlerAbortedException;
import io.bubus.EventHandlerCancelledException;
import io.bubus.EventHandlerTimeoutException;
import io.bubus.EventResult;
import io.bubus.EventStatus;
import io.bubus.EventTimeoutException;
import io.bubus.HandlerConcurrency;
import io.bubus.HandlerOptions;
import io.bubus.benchmarks.PerfEvents.PerfFixedHandlersEvent;
import io.bubus.benchmarks.PerfEvents.PerfRequestEvent;
import io.bubus.benchmarks.PerfEvents.PerfSimpleEvent;
import io.bubus.benchmarks.PerfEvents.PerfTrimEvent;
import io.bubus.benchmarks.PerfEvents.WCChild;
import io.bubus.benchmarks.PerfEvents.WCGrandchild;
import io.bubus.benchmarks.PerfEvents.WCParent;
import org.jspecify.annotations.Nullable;

/**
 * The S1–S5 performance scenarios of spec/integrations §7 (same counts, history limits,
 * batch sizes and divisors as the Python and TypeScript harnesses) and S6, a leak check
 * that runs S1 ten times.
 * <p>
 * Run one scenario per JVM: {@code java -cp ... io.bubus.benchmarks.Scenarios s1}
 * ({@code s1}..{@code s6} or the scenario ids {@code 50k-events},
 * {@code 500-buses-x-100-events}, {@code 1-event-x-50k-parallel-handlers},
 * {@code 50k-one-off-handlers}, {@code worst-case-forwarding-timeouts},
 * {@code leak-check}). Each run starts with the TS warm-up (2048 events in batches of 256
 * on a history-512 bus; {@code --warmup-events=N} changes the count, 0 skips it), then
 * the TS leak check wraps the scenario: the baseline is the smallest heap-in-use over 8
 * rounds of full GC + 12 ms, the end value the smallest over 24 rounds after a 120 ms
 * wait.
 * <p>
 * Output: {@code [java] <scenario>: events=… total=…ms latency=X.XXXms/event
 * peak_heap=…kb/event peak_rss=Y.YYYkb/event throughput=N/s ok=yes …}, then a
 * {@code heap_delta_after_gc=…mb} line. The exit status is 1 when a scenario's checks
 * fail.
 * <p>
 * Trim to 1: the Java bus has no runtime setter for its history limit, so the trim step
 * emits the trim event, awaits it, waits until idle and then stops the bus with
 * {@code clear=true}, which empties the history (every reference harness stops the bus
 * right after its trim, so the end state is the same); it then checks the history holds
 * at most one event.
 */
public final class Scenarios {

	static final int HISTORY_LIMIT_STREAM = 512;

	static final int HISTORY_LIMIT_ON_OFF = 128;

	static final int HISTORY_LIMIT_EPHEMERAL_BUS = 128;

	static final int HISTORY_LIMIT_FIXED_HANDLERS = 128;

	static final int HISTORY_LIMIT_WORST_CASE = 128;

	private static final String RUNTIME = "java";

	private Scenarios() {
	}

	/** One scenario's numbers, printed as the reference harnesses do. */
	record Result(String scenario, long events, double totalMs, double msPerUnit, String unit, long kbDivisor,
			double peakHeapKb, double peakRssKb, long throughput, boolean ok, @Nullable String error,
			Map<String, Object> extra) {

		String line() {
			StringBuilder line = new StringBuilder();
			line.append('[').append(RUNTIME).append("] ").append(this.scenario).append(": ");
			line.append("events=").append(this.events);
			line.append(" total=").append(fmt(this.totalMs)).append("ms");
			line.append(" latency=").append(fmt(this.msPerUnit)).append("ms/").append(this.unit);
			line.append(" peak_heap=").append(fmt(this.peakHeapKb)).append("kb/").append(this.unit);
			line.append(" peak_rss=").append(fmt(this.peakRssKb)).append("kb/").append(this.unit);
			line.append(" throughput=").append(this.throughput).append("/s");
			line.append(" ok=").append(this.ok ? "yes" : "no");
			this.extra.forEach((key, value) -> line.append(' ').append(key).append('=').append(value));
			if (this.error != null) {
				line.append(" error=").append(this.error.replace(' ', '_'));
			}
			return line.toString();
		}

	}

	static String fmt(double value) {
		return String.format(Locale.ROOT, "%.3f", value);
	}

	public static void main(String[] args) {
		String which = null;
		int warmupEvents = 2048;
		double toleranceMb = 3.0;
		int runs = 1;
		for (String arg : args) {
			if (arg.startsWith("--warmup-events=")) {
				warmupEvents = Integer.parseInt(arg.substring("--warmup-events=".length()));
			}
			else if (arg.startsWith("--runs=")) {
				runs = Integer.parseInt(arg.substring("--runs=".length()));
				if (runs < 1) {
					throw new IllegalArgumentException("--runs must be at least 1, got " + runs);
				}
			}
			else if (arg.startsWith("--tolerance-mb=")) {
				toleranceMb = Double.parseDouble(arg.substring("--tolerance-mb=".length()));
			}
			else if (arg.equals("--help") || arg.equals("-h")) {
				usage();
				return;
			}
			else {
				which = arg;
			}
		}
		if (which == null) {
			usage();
			System.exit(2);
			return;
		}
		boolean ok;
		switch (which.toLowerCase(Locale.ROOT)) {
			case "s1", "50k-events" -> ok = wrapped(warmupEvents, runs, Scenarios::s1);
			case "s2", "500-buses-x-100-events" -> ok = wrapped(warmupEvents, runs, Scenarios::s2);
			case "s3", "1-event-x-50k-parallel-handlers" -> ok = wrapped(warmupEvents, runs, Scenarios::s3);
			case "s4", "50k-one-off-handlers" -> ok = wrapped(warmupEvents, runs, Scenarios::s4);
			case "s5", "worst-case-forwarding-timeouts" -> ok = wrapped(warmupEvents, runs, Scenarios::s5);
			case "s6", "leak-check" -> ok = leakCheck(warmupEvents, toleranceMb);
			default -> {
				usage();
				System.exit(2);
				return;
			}
		}
		System.exit(ok ? 0 : 1);
	}

	private static void usage() {
		System.out
			.println("usage: Scenarios <s1|s2|s3|s4|s5|s6> [--warmup-events=2048] [--runs=1] [--tolerance-mb=3.0]");
		System.out.println("  s1 50k-events                       1 bus x 50k events x 1 handler");
		System.out.println("  s2 500-buses-x-100-events           500 buses x 100 events x 1 handler");
		System.out.println("  s3 1-event-x-50k-parallel-handlers  1 bus x 1 event x 50k parallel handlers");
		System.out.println("  s4 50k-one-off-handlers             1 bus x 50k events x 50k one-off handlers");
		System.out.println("  s5 worst-case-forwarding-timeouts   3 buses, forwarding, queue-jump, timeouts");
		System.out.println("  s6 leak-check                       S1 ten times; heap after full GC must not grow");
	}

	/**
	 * Warm-up, TS leak-check baseline, the scenario, the leak-check end value. With
	 * {@code runs > 1} the scenario runs that many times in this JVM: the first run is
	 * the cold number the reference harnesses report, the later ones show the
	 * JIT-compiled steady state; each line carries {@code run=k}.
	 */
	private static boolean wrapped(int warmupEvents, int runs, Supplier<Result> scenario) {
		warmUp(warmupEvents);
		long baseline = Memory.heapAfterGc(8, 12);
		boolean ok = true;
		Result result = null;
		for (int r = 1; r <= runs; r++) {
			if (r == runs) {
				Profiler.start();
			}
			result = run(scenario);
			if (r == runs) {
				Profiler.stop();
			}
			ok &= result.ok();
			System.out.println(result.line() + ((runs > 1) ? " run=" + r : ""));
		}
		Memory.sleep(120);
		long end = Memory.heapAfterGc(24, 12);
		System.out.println("[" + RUNTIME + "] " + result.scenario() + ": heap_delta_after_gc="
				+ fmt(Memory.mb(end - baseline)) + "mb baseline_heap=" + fmt(Memory.mb(baseline)) + "mb rss="
				+ fmt(Memory.mb(Memory.rss())) + "mb");
		return ok;
	}

	private static Result run(Supplier<Result> scenario) {
		try {
			return scenario.get();
		}
		catch (RuntimeException | Error ex) {
			ex.printStackTrace();
			return new Result("failed", 0, 0, 0, "event", 1, 0, 0, 0, false,
					ex.getClass().getSimpleName() + ": " + ex.getMessage(), Map.of());
		}
	}

	/** TS warm-up: events in batches of 256 on a history-512 bus, trim, stop. */
	static void warmUp(int events) {
		if (events <= 0) {
			return;
		}
		EventBus bus = EventBus.builder("PerfWarmupBus").maxHistorySize(512).maxHistoryDrop(true).build();
		AtomicLong sum = new AtomicLong();
		bus.on(PerfSimpleEvent.class, (event) -> {
			sum.addAndGet(event.value);
			return null;
		});
		List<PerfSimpleEvent> batch = new ArrayList<>(256);
		for (int i = 0; i < events; i++) {
			batch.add(bus.emit(new PerfSimpleEvent(i / 256, (i % 97) + 1)));
			if (batch.size() == 256 || i == events - 1) {
				batch.forEach(BaseEvent::done);
				batch.clear();
				bus.waitUntilIdle();
			}
		}
		trimToOne(bus, new PerfTrimEvent());
	}

	/**
	 * Trim to 1 (see the class docs): emit the trim event, await it, wait until idle,
	 * stop with clear, check history ≤ 1.
	 */
	static void trimToOne(EventBus bus, BaseEvent<?> trimEvent) {
		bus.emit(trimEvent).done();
		bus.waitUntilIdle();
		bus.stop(Duration.ZERO, true);
		int left = bus.eventHistory().size();
		if (left > 1) {
			throw new IllegalStateException(bus.label() + " history is " + left + " after the trim");
		}
	}

	// ---- S1 ----

	/** S1 {@code 50k-events}: 1 bus x 50k events x 1 handler, batches of 512. */
	static Result s1() {
		String scenario = "50k events";
		int totalEvents = 50_000;
		int batchSize = 512;
		EventBus bus = EventBus.builder("Perf50kBus").maxHistorySize(HISTORY_LIMIT_STREAM).maxHistoryDrop(true).build();
		AtomicLong processed = new AtomicLong();
		AtomicLong checksum = new AtomicLong();
		bus.on(PerfSimpleEvent.class, (event) -> {
			processed.incrementAndGet();
			checksum.addAndGet(event.value + event.batchId);
			return null;
		});
		long expected = 0;
		List<String> sampledEarly = new ArrayList<>(64);
		PerfSimpleEvent[] batch = new PerfSimpleEvent[batchSize];
		int maxHistory = 0;
		int emitted = 0;
		String error = null;
		long t0;
		long t1;
		Memory.Tracker memory = new Memory.Tracker();
		try (memory) {
			t0 = System.nanoTime();
			try {
				for (int start = 0; start < totalEvents; start += batchSize) {
					int count = Math.min(batchSize, totalEvents - start);
					for (int k = 0; k < count; k++) {
						int i = start + k;
						int batchId = i / 512;
						int value = (i % 97) + 1;
						expected += value + batchId;
						PerfSimpleEvent event = bus.emit(new PerfSimpleEvent(batchId, value));
						batch[k] = event;
						emitted++;
						if (sampledEarly.size() < 64) {
							sampledEarly.add(event.eventId());
						}
						if (i % 2048 == 0) {
							memory.sample();
						}
					}
					for (int k = 0; k < count; k++) {
						batch[k].done();
						batch[k] = null;
					}
					bus.waitUntilIdle();
				}
				List<BaseEvent<?>> history = bus.eventHistory();
				maxHistory = history.size();
				Set<String> ids = new HashSet<>();
				history.forEach((event) -> ids.add(event.eventId()));
				sampledEarly.removeIf((id) -> !ids.contains(id));
				trimToOne(bus, new PerfTrimEvent());
			}
			catch (RuntimeException ex) {
				error = ex.getClass().getSimpleName() + ": " + ex.getMessage();
			}
			t1 = System.nanoTime();
			Memory.sleep(50);
		}
		bus.stop(Duration.ZERO, true);
		double totalMs = (t1 - t0) / 1e6;
		boolean ok = error == null && emitted == totalEvents && processed.get() == totalEvents
				&& checksum.get() == expected && maxHistory <= HISTORY_LIMIT_STREAM && sampledEarly.isEmpty();
		Map<String, Object> extra = new LinkedHashMap<>();
		extra.put("processed", processed.get());
		extra.put("checksum", checksum.get());
		extra.put("expected_checksum", expected);
		extra.put("history_before_trim", maxHistory);
		extra.put("early_events_still_in_history", sampledEarly.size());
		return new Result(scenario, emitted, totalMs, totalMs / totalEvents, "event", totalEvents,
				memory.peakHeapKbPer(totalEvents), memory.peakRssKbPer(totalEvents),
				Math.round(emitted / (totalMs / 1000.0)), ok, error, extra);
	}

	// ---- S2 ----

	/** S2 {@code 500-buses-x-100-events}: 500 sequential buses, 100 events each. */
	static Result s2() {
		String scenario = "500 buses x 100 events";
		int totalBuses = 500;
		int eventsPerBus = 100;
		int totalEvents = totalBuses * eventsPerBus;
		AtomicLong processed = new AtomicLong();
		AtomicLong checksum = new AtomicLong();
		long expected = 0;
		int emitted = 0;
		String error = null;
		List<WeakReference<EventBus>> buses = new ArrayList<>(totalBuses);
		long t0;
		long t1;
		Memory.Tracker memory = new Memory.Tracker();
		try (memory) {
			t0 = System.nanoTime();
			try {
				for (int b = 0; b < totalBuses; b++) {
					EventBus bus = EventBus.builder("PerfEphemeralBus_" + b)
						.maxHistorySize(HISTORY_LIMIT_EPHEMERAL_BUS)
						.maxHistoryDrop(true)
						.build();
					bus.on(PerfSimpleEvent.class, (event) -> {
						processed.incrementAndGet();
						checksum.addAndGet(event.batchId * 7L + event.value);
						return null;
					});
					List<PerfSimpleEvent> events = new ArrayList<>(eventsPerBus);
					for (int i = 0; i < eventsPerBus; i++) {
						int value = ((b * eventsPerBus + i) % 89) + 1;
						expected += b * 7L + value;
						events.add(bus.emit(new PerfSimpleEvent(b, value)));
						emitted++;
					}
					events.forEach(BaseEvent::done);
					bus.waitUntilIdle();
					trimToOne(bus, new PerfTrimEvent());
					buses.add(new WeakReference<>(bus));
					if (b % 10 == 0) {
						memory.sample();
					}
				}
			}
			catch (RuntimeException ex) {
				error = ex.getClass().getSimpleName() + ": " + ex.getMessage();
			}
			t1 = System.nanoTime();
			Memory.sleep(50);
		}
		Memory.heapAfterGc(4, 15);
		long live = buses.stream().filter((ref) -> ref.get() != null).count();
		double totalMs = (t1 - t0) / 1e6;
		boolean ok = error == null && emitted == totalEvents && processed.get() == totalEvents
				&& checksum.get() == expected && live == 0;
		Map<String, Object> extra = new LinkedHashMap<>();
		extra.put("processed", processed.get());
		extra.put("checksum", checksum.get());
		extra.put("expected_checksum", expected);
		extra.put("buses_alive_after_gc", live);
		return new Result(scenario, emitted, totalMs, totalMs / totalEvents, "event", totalEvents,
				memory.peakHeapKbPer(totalEvents), memory.peakRssKbPer(totalEvents),
				Math.round(emitted / (totalMs / 1000.0)), ok, error, extra);
	}

	// ---- S3 ----

	/** S3 {@code 1-event-x-50k-parallel-handlers}: reported per handler. */
	static Result s3() {
		String scenario = "1 event x 50k parallel handlers";
		int totalHandlers = 50_000;
		int baseValue = 11;
		EventBus bus = EventBus.builder("PerfFixedHandlersBus")
			.maxHistorySize(HISTORY_LIMIT_FIXED_HANDLERS)
			.maxHistoryDrop(true)
			.eventHandlerConcurrency(HandlerConcurrency.PARALLEL)
			.build();
		AtomicLong processed = new AtomicLong();
		AtomicLong checksum = new AtomicLong();
		long expected = 0;
		long registerStart = System.nanoTime();
		for (int i = 0; i < totalHandlers; i++) {
			int weight = (i % 29) + 1;
			expected += baseValue + weight;
			bus.on(PerfFixedHandlersEvent.class, (event) -> {
				processed.incrementAndGet();
				checksum.addAndGet(event.baseValue + weight);
				return null;
			}, HandlerOptions.defaults().name("fixed_handler_" + i));
		}
		double registerMs = (System.nanoTime() - registerStart) / 1e6;
		String error = null;
		long t0;
		long t1;
		Memory.Tracker memory = new Memory.Tracker();
		try (memory) {
			t0 = System.nanoTime();
			try {
				bus.emit(new PerfFixedHandlersEvent(baseValue)).done();
				bus.waitUntilIdle();
			}
			catch (RuntimeException ex) {
				error = ex.getClass().getSimpleName() + ": " + ex.getMessage();
			}
			t1 = System.nanoTime();
			Memory.sleep(50);
		}
		trimToOne(bus, new PerfTrimEvent());
		double totalMs = (t1 - t0) / 1e6;
		boolean ok = error == null && processed.get() == totalHandlers && checksum.get() == expected;
		Map<String, Object> extra = new LinkedHashMap<>();
		extra.put("handlers", totalHandlers);
		extra.put("processed", processed.get());
		extra.put("checksum", checksum.get());
		extra.put("expected_checksum", expected);
		extra.put("handlers_per_s", Math.round(totalHandlers / (totalMs / 1000.0)));
		extra.put("register_ms", fmt(registerMs));
		return new Result(scenario, 1, totalMs, totalMs / totalHandlers, "handler", totalHandlers,
				memory.peakHeapKbPer(totalHandlers), memory.peakRssKbPer(totalHandlers),
				Math.round(1 / (totalMs / 1000.0)), ok, error, extra);
	}

	// ---- S4 ----

	/** S4 {@code 50k-one-off-handlers}: on, emit, await, off, 50k times. */
	static Result s4() {
		String scenario = "50k one-off handlers over 50k events";
		int totalEvents = 50_000;
		EventBus bus = EventBus.builder("PerfOnOffBus")
			.maxHistorySize(HISTORY_LIMIT_ON_OFF)
			.maxHistoryDrop(true)
			.build();
		AtomicLong processed = new AtomicLong();
		AtomicLong checksum = new AtomicLong();
		long expected = 0;
		String error = null;
		long t0;
		long t1;
		Memory.Tracker memory = new Memory.Tracker();
		try (memory) {
			t0 = System.nanoTime();
			try {
				for (int i = 0; i < totalEvents; i++) {
					int weight = (i % 13) + 1;
					int value = (i % 101) + 1;
					expected += value + weight;
					EventHandler handler = bus.on(PerfRequestEvent.class, (event) -> {
						processed.incrementAndGet();
						checksum.addAndGet(event.value + weight);
						return null;
					});
					bus.emit(new PerfRequestEvent(value)).done();
					bus.off(handler);
					if (i % 1000 == 0) {
						memory.sample();
					}
				}
				bus.waitUntilIdle();
			}
			catch (RuntimeException ex) {
				error = ex.getClass().getSimpleName() + ": " + ex.getMessage();
			}
			t1 = System.nanoTime();
			Memory.sleep(50);
		}
		int handlersLeft = bus.handlers().size();
		trimToOne(bus, new PerfTrimEvent());
		double totalMs = (t1 - t0) / 1e6;
		long done = Math.max(processed.get(), 1);
		boolean ok = error == null && processed.get() == totalEvents && checksum.get() == expected && handlersLeft == 0;
		Map<String, Object> extra = new LinkedHashMap<>();
		extra.put("checksum", checksum.get());
		extra.put("expected_checksum", expected);
		extra.put("handlers_left", handlersLeft);
		return new Result(scenario, processed.get(), totalMs, totalMs / done, "event", done, memory.peakHeapKbPer(done),
				memory.peakRssKbPer(done), Math.round(done / (totalMs / 1000.0)), ok, error, extra);
	}

	// ---- S5 ----

	/**
	 * S5 {@code worst-case-forwarding-timeouts}: 3 buses, 500 iterations of an ephemeral
	 * handler that emits a child to A and C and awaits it; every 5th child times out.
	 */
	static Result s5() {
		String scenario = "worst-case forwarding + timeouts";
		int totalIterations = 500;
		EventBus busA = EventBus.builder("PerfWorstCaseA")
			.maxHistorySize(HISTORY_LIMIT_WORST_CASE)
			.maxHistoryDrop(true)
			.build();
		EventBus busB = EventBus.builder("PerfWorstCaseB")
			.maxHistorySize(HISTORY_LIMIT_WORST_CASE)
			.maxHistoryDrop(true)
			.build();
		EventBus busC = EventBus.builder("PerfWorstCaseC")
			.maxHistorySize(HISTORY_LIMIT_WORST_CASE)
			.maxHistoryDrop(true)
			.build();
		AtomicLong parentA = new AtomicLong();
		AtomicLong parentB = new AtomicLong();
		AtomicLong children = new AtomicLong();
		AtomicLong grandchildren = new AtomicLong();
		AtomicLong checksum = new AtomicLong();
		busB.on(WCParent.class, (event) -> {
			parentB.incrementAndGet();
			checksum.addAndGet(event.value + 3);
			return null;
		});
		busC.on(WCChild.class, (event) -> {
			children.incrementAndGet();
			checksum.addAndGet(event.value * 2L + event.iteration);
			WCGrandchild grandchild = busC.emit(new WCGrandchild(event.iteration, event.value + 1));
			if (event.eventTimeout() != null) {
				Thread.yield();
			}
			grandchild.done();
			return null;
		});
		busC.on(WCGrandchild.class, (event) -> {
			grandchildren.incrementAndGet();
			checksum.addAndGet(event.value * 3L + event.iteration);
			return null;
		});
		String error = null;
		int maxHistory = 0;
		long slowest = 0;
		int completedBeforeB = 0;
		long t0;
		long t1;
		Memory.Tracker memory = new Memory.Tracker();
		try (memory) {
			t0 = System.nanoTime();
			try {
				for (int i = 0; i < totalIterations; i++) {
					long iterationStart = System.nanoTime();
					boolean shouldTimeout = i % 5 == 0;
					int value = (i % 37) + 1;
					EventHandler ephemeral = busA.on(WCParent.class, (event) -> {
						parentA.incrementAndGet();
						checksum.addAndGet(event.value + 11);
						WCChild child = new WCChild(event.iteration, event.value);
						if (shouldTimeout) {
							child.setEventTimeout(Duration.ofNanos(100));
						}
						busA.emit(child);
						busC.emit(child);
						try {
							child.done();
						}
						catch (RuntimeException ex) {
							// swallowed, as in the reference harnesses
						}
						return null;
					});
					WCParent parent = new WCParent(i, value);
					busA.emit(parent);
					if (parent.eventStatus() == EventStatus.COMPLETED) {
						// A finished the parent before it reached B (cannot happen in the
						// single-threaded TS harness); B then runs a completed event
						completedBeforeB++;
					}
					busB.emit(parent);
					awaitOrDiagnose(parent, List.of(busA, busB, busC));
					busA.off(ephemeral);
					if (i % 10 == 0) {
						busA.find(WCParent.class).future(Duration.ofMillis(1)).get();
					}
					if (i % 5 == 0) {
						memory.sample();
					}
					slowest = Math.max(slowest, System.nanoTime() - iterationStart);
				}
				busA.waitUntilIdle();
				busB.waitUntilIdle();
				busC.waitUntilIdle();
			}
			catch (RuntimeException ex) {
				error = ex.getClass().getSimpleName() + ": " + ex.getMessage();
			}
			t1 = System.nanoTime();
		}
		int timeouts = 0;
		int aborts = 0;
		int cancels = 0;
		for (BaseEvent<?> event : busC.eventHistory()) {
			for (EventResult<?> row : event.eventResults().values()) {
				Throwable failure = row.error();
				if (failure instanceof EventHandlerTimeoutException) {
					timeouts++;
				}
				else if (failure instanceof EventHandlerAbortedException) {
					aborts++;
				}
				else if (failure instanceof EventHandlerCancelledException) {
					cancels++;
				}
			}
		}
		int uncompleted = 0;
		List<Integer> historySizes = new ArrayList<>();
		for (EventBus bus : List.of(busA, busB, busC)) {
			List<BaseEvent<?>> history = bus.eventHistory();
			historySizes.add(history.size());
			maxHistory = Math.max(maxHistory, history.size());
			uncompleted += (int) history.stream()
				.filter((event) -> event.eventStatus() != EventStatus.COMPLETED)
				.count();
		}
		int handlersLeftA = busA.handlers().size();
		trimToOne(busA, new PerfTrimEvent());
		trimToOne(busB, new PerfTrimEvent());
		trimToOne(busC, new PerfTrimEvent());
		double totalMs = (t1 - t0) / 1e6;
		int estimatedEvents = totalIterations * 3;
		boolean ok = error == null && parentA.get() == totalIterations && parentB.get() == totalIterations
				&& handlersLeftA == 0 && maxHistory <= HISTORY_LIMIT_WORST_CASE;
		Map<String, Object> extra = new LinkedHashMap<>();
		extra.put("parent_a", parentA.get());
		extra.put("parent_b", parentB.get());
		extra.put("children", children.get());
		extra.put("grandchildren", grandchildren.get());
		extra.put("timeouts", timeouts);
		extra.put("aborts", aborts);
		extra.put("cancels", cancels);
		extra.put("max_history", maxHistory);
		extra.put("history_abc", historySizes.get(0) + "/" + historySizes.get(1) + "/" + historySizes.get(2));
		extra.put("uncompleted_in_history", uncompleted);
		extra.put("parent_done_before_b_emit", completedBeforeB);
		extra.put("slowest_iteration_ms", fmt(slowest / 1e6));
		return new Result(scenario, estimatedEvents, totalMs, totalMs / estimatedEvents, "event", estimatedEvents,
				memory.peakHeapKbPer(estimatedEvents), memory.peakRssKbPer(estimatedEvents),
				Math.round(estimatedEvents / (totalMs / 1000.0)), ok, error, extra);
	}

	/**
	 * Waits for the event; when it is not done within 10 s, prints its tree (status,
	 * pending bus count, rows) and the buses' queue sizes to stderr, then keeps waiting.
	 */
	/** What the scenario thread awaits, for the stall watchdog. */
	private record Awaited(BaseEvent<?> event, List<EventBus> buses, long since) {
	}

	private static volatile @Nullable Awaited awaited;

	private static volatile @Nullable Thread watchdog;

	/**
	 * Awaits the event with {@code done()}, as the reference harnesses await it. A
	 * watchdog thread prints the event tree and the buses when the same wait lasts over
	 * 10 s (a stall); the wait goes on.
	 */
	static void awaitOrDiagnose(BaseEvent<?> event, List<EventBus> buses) {
		if (watchdog == null) {
			Thread thread = new Thread(Scenarios::watch, "perf-stall-watchdog");
			thread.setDaemon(true);
			watchdog = thread;
			thread.start();
		}
		awaited = new Awaited(event, buses, System.nanoTime());
		try {
			event.done();
		}
		finally {
			awaited = null;
		}
	}

	private static void watch() {
		Awaited reported = null;
		while (true) {
			Memory.sleep(1000);
			Awaited current = awaited;
			if (current == null || current == reported || System.nanoTime() - current.since() < 10_000_000_000L) {
				continue;
			}
			reported = current;
			StringBuilder out = new StringBuilder("[java] STALL: ").append(current.event().eventType())
				.append(" not done after 10 s\n");
			describe(current.event(), "  ", out);
			for (EventBus bus : current.buses()) {
				out.append("  bus ").append(bus).append('\n');
			}
			System.err.print(out);
		}
	}

	private static void describe(BaseEvent<?> event, String indent, StringBuilder out) {
		out.append(indent)
			.append(event.eventType())
			.append('#')
			.append(event.eventId(), event.eventId().length() - 4, event.eventId().length())
			.append(" status=")
			.append(event.eventStatus())
			.append(" pending_buses=")
			.append(event.eventPendingBusCount())
			.append(" path=")
			.append(event.eventPath())
			.append('\n');
		for (EventResult<?> row : event.eventResults().values()) {
			out.append(indent)
				.append("  row ")
				.append(row.eventbusName())
				.append('/')
				.append(row.handlerName())
				.append(' ')
				.append(row.status());
			if (row.error() != null) {
				out.append(' ').append(row.error().getClass().getSimpleName());
			}
			out.append('\n');
			for (BaseEvent<?> child : row.eventChildren()) {
				describe(child, indent + "    ", out);
			}
		}
	}

	// ---- S6 ----

	/**
	 * S6 leak check: S1 ten times in this JVM; the heap in use after full GC following
	 * the last run may exceed the one after the first run by at most the tolerance.
	 */
	static boolean leakCheck(int warmupEvents, double toleranceMb) {
		String scenario = "leak check (10 x 50k events)";
		int runs = 10;
		warmUp(warmupEvents);
		long baseline = Memory.heapAfterGc(8, 12);
		long[] after = new long[runs];
		boolean allOk = true;
		double totalMs = 0;
		for (int r = 0; r < runs; r++) {
			Result result = run(Scenarios::s1);
			allOk &= result.ok();
			totalMs += result.totalMs();
			Memory.sleep(120);
			after[r] = Memory.heapAfterGc(8, 12);
			System.out.println("[" + RUNTIME + "] " + scenario + ": run=" + (r + 1) + " latency="
					+ fmt(result.msPerUnit()) + "ms/event peak_rss=" + fmt(result.peakRssKb())
					+ "kb/event heap_after_gc=" + fmt(Memory.mb(after[r])) + "mb ok=" + (result.ok() ? "yes" : "no"));
		}
		long end = Memory.heapAfterGc(24, 12);
		after[runs - 1] = Math.min(after[runs - 1], end);
		double growthMb = Memory.mb(after[runs - 1] - after[0]);
		long max = 0;
		for (long value : after) {
			max = Math.max(max, value);
		}
		double maxGrowthMb = Memory.mb(max - after[0]);
		boolean ok = allOk && growthMb <= toleranceMb;
		System.out.println("[" + RUNTIME + "] " + scenario + ": runs=" + runs + " events=" + (runs * 50_000L)
				+ " total=" + fmt(totalMs) + "ms latency=" + fmt(totalMs / (runs * 50_000.0)) + "ms/event"
				+ " baseline_heap=" + fmt(Memory.mb(baseline)) + "mb first_heap_after_gc=" + fmt(Memory.mb(after[0]))
				+ "mb last_heap_after_gc=" + fmt(Memory.mb(after[runs - 1])) + "mb growth=" + fmt(growthMb)
				+ "mb max_growth=" + fmt(maxGrowthMb) + "mb tolerance=" + fmt(toleranceMb) + "mb rss="
				+ fmt(Memory.mb(Memory.rss())) + "mb ok=" + (ok ? "yes" : "no"));
		return ok;
	}

}
