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

/**
 * Forwarding A → B ({@code a.on("*", b::emit)}, one handler on B): emit to A, wait until
 * the event is done on both buses.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ForwardingBenchmark {

	private EventBus a;

	private EventBus b;

	@Setup(Level.Trial)
	public void setUp() {
		this.a = EventBus.builder("JmhForwardA").maxHistorySize(512).maxHistoryDrop(true).build();
		this.b = EventBus.builder("JmhForwardB").maxHistorySize(512).maxHistoryDrop(true).build();
		this.a.on("*", this.b::emit);
		this.b.on(BenchEvent.class, (event) -> event.value);
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.a.stop(Duration.ZERO, true);
		this.b.stop(Duration.ZERO, true);
	}

	@Benchmark
	public BaseEvent<Integer> forwardAtoB() {
		return this.a.emit(new BenchEvent(1)).done();
	}

}
