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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@code bus.emit(event).done()} on a bus-serial bus with 1 or 10 serial handlers: the
 * round trip from the caller's thread to the bus's runloop and back.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class EmitBenchmark {

	@Param({ "1", "10" })
	public int handlers;

	private EventBus bus;

	@Setup(Level.Trial)
	public void setUp() {
		this.bus = EventBus.builder("JmhEmit").maxHistorySize(512).maxHistoryDrop(true).build();
		for (int i = 0; i < this.handlers; i++) {
			this.bus.on(BenchEvent.class, (event) -> event.value);
		}
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.bus.stop(Duration.ZERO, true);
	}

	@Benchmark
	public BaseEvent<Integer> emitDone() {
		return this.bus.emit(new BenchEvent(1)).done();
	}

}
