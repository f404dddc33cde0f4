package io.bubus.benchmarks;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.bubus.EventBus;
import io.bubus.benchmarks.PerfEvents.BenchEvent;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@code find} in the past over a history of 10,000 completed events (newest first): a
 * match on the newest event, a match on the oldest (a full scan), and a type-only lookup.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class FindBenchmark {

	static final int HISTORY = 10_000;

	private EventBus bus;

	@Setup(Level.Trial)
	public void setUp() {
		this.bus = EventBus.builder("JmhFind").maxHistorySize(HISTORY).maxHistoryDrop(true).build();
		this.bus.on(BenchEvent.class, (event) -> event.value);
		BenchEvent last = null;
		for (int i = 0; i < HISTORY; i++) {
			last = this.bus.emit(new BenchEvent(i));
		}
		last.done();
		this.bus.waitUntilIdle();
		if (this.bus.eventHistory().size() != HISTORY) {
			throw new IllegalStateException("history is " + this.bus.eventHistory().size());
		}
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.bus.stop(Duration.ZERO, true);
	}

	@Benchmark
	public Optional<BenchEvent> findNewestMatch() {
		return this.bus.find(BenchEvent.class).where((event) -> event.value == HISTORY - 1).get();
	}

	@Benchmark
	public Optional<BenchEvent> findOldestMatch() {
		return this.bus.find(BenchEvent.class).where((event) -> event.value == 0).get();
	}

	@Benchmark
	public Optional<BenchEvent> findByTypeOnly() {
		return this.bus.find(BenchEvent.class).get();
	}

}
