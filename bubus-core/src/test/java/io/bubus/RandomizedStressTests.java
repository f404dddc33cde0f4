package io.bubus;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.management.HotSpotDiagnosticMXBean;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Random buses, forwarding, awaited and un-awaited children, failures and short timeouts,
 * emitted from several threads; afterwards everything must be completed and terminal, the
 * buses idle, no bus thread left, and every bus healthy for the next event.
 * <p>
 * Two shapes: forwarding and child emits only from a bus to itself or a later one (locks
 * always taken in bus order), and cycles: forwarding between any two buses both ways,
 * awaited children emitted to any bus (so handlers on two bus-serial buses await each
 * other's children, which the runtime runs under a borrowed lock, see LockWaits), some
 * events taken with {@code first()}, and 8 producers. The seed is printed with every
 * failure; {@code -Dbubus.stress.seed=N} replays one.
 */
class RandomizedStressTests {

	private static final int BUSES = 4;

	private static final int EMITTERS = 4;

	private static final int ROOTS_PER_EMITTER = 50;

	/** Roots per producer in the cycles shape, where every event reaches more buses. */
	private static final int ROOTS_PER_PRODUCER_IN_CYCLES = 20;

	private static final int MAX_DEPTH = 3;

	private static final Pattern BUS_THREAD = Pattern.compile("\"name\": \"(bubus-[^\"]*)\"");

	public static class StEvent extends BaseEvent<String> {

		public int depth;

		public long seed;

		public StEvent() {
		}

		StEvent(int depth, long seed) {
			this.depth = depth;
			this.seed = seed;
		}

	}

	public static class StProbe extends BaseEvent<String> {

	}

	private final List<EventBus> buses = new ArrayList<>();

	private final Queue<StEvent> emitted = new ConcurrentLinkedQueue<>();

	private final Set<String> runs = ConcurrentHashMap.newKeySet();

	private final AtomicInteger duplicateRuns = new AtomicInteger();

	private boolean cycles;

	@RepeatedTest(3)
	void randomBusesForwardingAwaitsAndTimeoutsAlwaysSettle(RepetitionInfo repetition) throws Exception {
		run(repetition.getCurrentRepetition(), false, EMITTERS);
	}

	@RepeatedTest(3)
	void forwardingCyclesCrossBusAwaitsFirstAndEightProducersAlwaysSettle(RepetitionInfo repetition) throws Exception {
		run(100 + repetition.getCurrentRepetition(), true, 8);
	}

	private void run(int round, boolean cycles, int emitters) throws Exception {
		long seed = Long.getLong("bubus.stress.seed", System.nanoTime() ^ round);
		this.cycles = cycles;
		Random random = new Random(seed);
		int threadsBefore = busThreads().size();
		try {
			createBuses(random, round);
			List<StEvent> roots = emitRoots(random.nextLong(), emitters);
			for (StEvent root : roots) {
				try {
					root.done(Duration.ofSeconds(120));
				}
				catch (EventTimeoutException ex) {
					throw new AssertionError("seed " + seed + ": stuck\n" + diagnose(root), ex);
				}
			}
			for (EventBus bus : this.buses) {
				assertThat(bus.waitUntilIdle(Duration.ofSeconds(10))).as("seed %d: %s idle", seed, bus).isTrue();
				assertThat(bus.queueSize()).isZero();
				// the runloop lets go of the lock just after the bus reports idle
				await().atMost(Duration.ofSeconds(10))
					.alias("seed " + seed + ": " + bus + " locks released")
					.until(bus::locksAtBaseline);
			}
			assertEverythingSettled(seed);
			assertThat(this.duplicateRuns).as("seed %d: a handler ran twice for one event on one bus", seed)
				.hasValue(0);
			await().atMost(Duration.ofSeconds(10)).until(() -> busThreads().size() <= threadsBefore);
			assertNextEventRunsOnceOnEveryBus(seed);
		}
		finally {
			this.buses.forEach(EventBus::stop);
		}
	}

	private void createBuses(Random random, int round) {
		for (int i = 0; i < BUSES; i++) {
			EventBus bus = EventBus.builder("StBus" + round + "_" + i)
				.eventConcurrency(random.nextInt(3) == 0 ? EventConcurrency.PARALLEL : EventConcurrency.BUS_SERIAL)
				.eventHandlerConcurrency(random.nextBoolean() ? HandlerConcurrency.PARALLEL : HandlerConcurrency.SERIAL)
				.eventTimeout(null)
				.maxHistorySize(null)
				.build();
			this.buses.add(bus);
		}
		for (int i = 0; i < BUSES; i++) {
			EventBus bus = this.buses.get(i);
			for (int j = this.cycles ? 0 : i + 1; j < BUSES; j++) {
				if (j != i && random.nextInt(100) < 35) {
					bus.on("*", this.buses.get(j)::emit);
				}
			}
			int handlers = 1 + random.nextInt(3);
			for (int h = 0; h < handlers; h++) {
				HandlerOptions options = HandlerOptions.defaults().name("h" + h);
				if (random.nextInt(100) < 15) {
					options = options.timeout(Duration.ofMillis(5 + random.nextInt(30)));
				}
				bus.on(StEvent.class, handler(i, h), options);
			}
		}
	}

	private EventHandlerFunction<StEvent> handler(int busIndex, int handlerIndex) {
		return (event) -> {
			if (!this.runs.add(busIndex + "/" + handlerIndex + "/" + event.eventId())) {
				this.duplicateRuns.incrementAndGet();
			}
			Random random = new Random(event.seed * 31 + busIndex * 7L + handlerIndex);
			Thread.sleep(random.nextInt(3));
			if (event.depth < MAX_DEPTH && random.nextInt(100) < 45) {
				int target = this.cycles ? random.nextInt(BUSES) : busIndex + random.nextInt(BUSES - busIndex);
				StEvent child = newEvent(random, event.depth + 1);
				this.buses.get(target).emit(child);
				int wait = random.nextInt(100);
				if (this.cycles && wait < 15) {
					takeFirst(child::first);
				}
				else if (wait < 50) {
					child.done();
				}
			}
			if (random.nextInt(100) < 5) {
				throw new IllegalStateException("random failure");
			}
			if (random.nextInt(100) < 10) {
				Thread.sleep(10 + random.nextInt(30));
			}
			return "b" + busIndex + "h" + handlerIndex;
		};
	}

	/** Handlers fail at random: first() then throws their error, which is expected. */
	private static void takeFirst(Runnable first) {
		try {
			first.run();
		}
		catch (RuntimeException ex) {
			// the handlers' error (a random failure, a timeout): the settle checks after
			// the run assert what matters
		}
	}

	private StEvent newEvent(Random random, int depth) {
		StEvent event = new StEvent(depth, random.nextLong());
		if (random.nextInt(100) < 20) {
			event.setEventTimeout(Duration.ofMillis(5 + random.nextInt(40)));
		}
		this.emitted.add(event);
		return event;
	}

	private List<StEvent> emitRoots(long seed, int producers) throws Exception {
		ExecutorService emitters = Executors.newFixedThreadPool(producers);
		try {
			List<Future<List<StEvent>>> batches = new ArrayList<>();
			for (int e = 0; e < producers; e++) {
				Random random = new Random(seed + e);
				batches.add(emitters.submit(() -> {
					List<StEvent> roots = new ArrayList<>();
					int count = this.cycles ? ROOTS_PER_PRODUCER_IN_CYCLES : ROOTS_PER_EMITTER;
					for (int n = 0; n < count; n++) {
						StEvent root = newEvent(random, 0);
						EventBus bus = this.buses.get(random.nextInt(BUSES));
						if (this.cycles && random.nextInt(100) < 10) {
							// the caller takes the first result; the rest is cancelled
							takeFirst(() -> bus.emitFirst(root));
						}
						else {
							bus.emit(root);
						}
						roots.add(root);
					}
					return roots;
				}));
			}
			List<StEvent> roots = new ArrayList<>();
			for (Future<List<StEvent>> batch : batches) {
				roots.addAll(batch.get());
			}
			return roots;
		}
		finally {
			emitters.shutdown();
		}
	}

	private void assertEverythingSettled(long seed) {
		assertThat(this.emitted)
			.hasSizeGreaterThan(this.cycles ? 8 * ROOTS_PER_PRODUCER_IN_CYCLES : EMITTERS * ROOTS_PER_EMITTER);
		for (StEvent event : this.emitted) {
			assertThat(event.eventStatus()).as("seed %d: %s", seed, event).isEqualTo(EventStatus.COMPLETED);
			assertThat(event.eventCompletedAt()).isNotNull();
			assertThat(event.eventPendingBusCount()).isZero();
			assertThat(event.state.existingHandlerLock()).satisfiesAnyOf((lock) -> assertThat(lock).isNull(),
					(lock) -> assertThat(lock.isLocked()).as("seed %d: handler lock of %s", seed, event).isFalse());
			for (EventResult<String> row : event.eventResults().values()) {
				assertThat(row.isTerminal()).as("seed %d: %s of %s", seed, row, event).isTrue();
				assertThat(row.completedAt()).isNotNull();
			}
			for (BaseEvent<?> child : event.eventChildren()) {
				assertThat(child.eventParentId()).isEqualTo(event.eventId());
			}
		}
	}

	private void assertNextEventRunsOnceOnEveryBus(long seed) {
		Set<String> probeRuns = ConcurrentHashMap.newKeySet();
		AtomicInteger probeDuplicates = new AtomicInteger();
		for (int i = 0; i < BUSES; i++) {
			int busIndex = i;
			this.buses.get(i).on(StProbe.class, (event) -> {
				if (!probeRuns.add(busIndex + "/" + event.eventId())) {
					probeDuplicates.incrementAndGet();
				}
				return "probe";
			});
		}
		for (int i = 0; i < BUSES; i++) {
			StProbe probe = this.buses.get(i).emit(new StProbe());
			assertThat(probe.done(Duration.ofSeconds(10)).eventStatus()).as("seed %d: probe on bus %d", seed, i)
				.isEqualTo(EventStatus.COMPLETED);
			assertThat(probeRuns).contains(i + "/" + probe.eventId());
			assertThat(probe.eventResults().values())
				.allSatisfy((row) -> assertThat(row.status()).isEqualTo(ResultStatus.COMPLETED));
		}
		assertThat(probeDuplicates).hasValue(0);
	}

	/** The unfinished part of an event tree and the bus threads' stacks, for a hang. */
	private String diagnose(BaseEvent<?> root) throws IOException {
		StringBuilder out = new StringBuilder();
		describe(root, "", out);
		for (EventBus bus : this.buses) {
			out.append(bus).append('\n');
		}
		Path dir = Files.createTempDirectory("bubus-threads");
		Path file = dir.resolve("threads.txt");
		ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
			.dumpThreads(file.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.TEXT_PLAIN);
		for (String block : Files.readString(file).split("\n\n")) {
			if (block.contains("bubus-") || block.contains("io.bubus")) {
				out.append(block).append("\n\n");
			}
		}
		return out.toString();
	}

	private void describe(BaseEvent<?> event, String indent, StringBuilder out) {
		if (event.eventStatus() == EventStatus.COMPLETED) {
			return;
		}
		out.append(indent)
			.append(event)
			.append(" pendingBuses=")
			.append(event.eventPendingBusCount())
			.append(" path=")
			.append(event.eventPath())
			.append('\n');
		for (EventResult<?> row : event.eventResults().values()) {
			out.append(indent).append("  ").append(row).append(' ').append(row.error()).append('\n');
		}
		for (BaseEvent<?> child : event.eventChildren()) {
			describe(child, indent + "    ", out);
		}
	}

	/** Names of live bus threads (virtual ones too), except the shared timer. */
	static List<String> busThreads() throws IOException {
		Path dir = Files.createTempDirectory("bubus-threads");
		Path file = dir.resolve("threads.json");
		try {
			ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
				.dumpThreads(file.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
			Matcher matcher = BUS_THREAD.matcher(Files.readString(file));
			List<String> names = new ArrayList<>();
			while (matcher.find()) {
				if (!matcher.group(1).equals("bubus-timer")) {
					names.add(matcher.group(1));
				}
			}
			return names;
		}
		finally {
			Files.deleteIfExists(file);
			Files.deleteIfExists(dir);
		}
	}

}
