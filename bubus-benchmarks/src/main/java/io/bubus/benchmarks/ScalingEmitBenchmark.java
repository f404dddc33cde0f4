package io.bubus.benchmarks;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.bubus.BaseEvent;
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
import org.openjdk.jmh.annotations.Threads;

/**
 * Whether throughput scales with producers: each producer thread emits into its own
 * bus-serial bus (one handler) and waits for the event. Scores are total operations per
 * second over all threads; {@code fourProducers} divided by {@code oneProducer} is the
 * scaling factor.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ScalingEmitBenchmark {

	private EventBus bus;

	@Setup(Level.Trial)
	public void setUp() {
		this.bus = EventBus.builder(null).maxHistorySize(512).maxHistoryDrop(true).build();
		this.bus.on(BenchEvent.class, (event) -> event.value);
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.bus.waitUntilIdle(Duration.ofSeconds(30));
		this.bus.stop(Duration.ZERO, true);
	}

	@Benchmark
	@Threads(1)
	public BaseEvent<Integer> oneProducer() {
		return this.bus.emit(new BenchEvent(1)).done();
	}

	@Benchmark
	@Threads(4)
	public BaseEvent<Integer> fourProducers() {
		return this.bus.emit(new BenchEvent(1)).done();
	}

}
