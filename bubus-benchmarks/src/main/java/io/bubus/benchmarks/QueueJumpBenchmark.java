package io.bubus.benchmarks;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.bubus.BaseEvent;
import io.bubus.EventBus;
import io.bubus.benchmarks.PerfEvents.BenchChild;
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
 * A parent whose handler emits a child and awaits it with {@code done()} (queue-jump: the
 * child runs inline on the handler's thread); the op is the parent's emit + done.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class QueueJumpBenchmark {

	private EventBus bus;

	@Setup(Level.Trial)
	public void setUp() {
		EventBus bus = EventBus.builder("JmhQueueJump").maxHistorySize(512).maxHistoryDrop(true).build();
		bus.on(BenchEvent.class, (event) -> {
			BenchChild child = bus.emit(new BenchChild());
			child.done();
			return event.value;
		});
		bus.on(BenchChild.class, (event) -> 2);
		this.bus = bus;
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.bus.stop(Duration.ZERO, true);
	}

	@Benchmark
	public BaseEvent<Integer> parentWithQueueJumpedChild() {
		return this.bus.emit(new BenchEvent(1)).done();
	}

}
