package io.bubus.benchmarks;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.bubus.BaseEvent;
import io.bubus.EventBus;
import io.bubus.EventConcurrency;
import io.bubus.benchmarks.PerfEvents.BenchEvent;
import org.jspecify.annotations.Nullable;
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
 * Four producer threads emitting into one bus-serial bus (one handler). Scores are total
 * operations per second over the four threads.
 * <ul>
 * <li>{@code emitDone}: each producer emits and waits for its event.</li>
 * <li>{@code emitPipelined}: each producer only emits, and waits for its latest event
 * every 256 emits so the queue stays bounded (the bus is FIFO, so all its earlier events
 * are done then too).</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(4)
public class ContendedEmitBenchmark {

	private EventBus bus;

	@Setup(Level.Trial)
	public void setUp() {
		this.bus = EventBus.builder("JmhContended")
			.eventConcurrency(EventConcurrency.BUS_SERIAL)
			.maxHistorySize(512)
			.maxHistoryDrop(true)
			.build();
		this.bus.on(BenchEvent.class, (event) -> event.value);
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.bus.waitUntilIdle(Duration.ofSeconds(30));
		this.bus.stop(Duration.ZERO, true);
	}

	/** Per producer thread: how many emits since the last wait, and the latest event. */
	@State(Scope.Thread)
	public static class Producer {

		int sinceWait;

		@Nullable BenchEvent last;

		@TearDown(Level.Iteration)
		public void drain() {
			BenchEvent event = this.last;
			if (event != null) {
				event.done();
			}
			this.sinceWait = 0;
		}

	}

	@Benchmark
	public BaseEvent<Integer> emitDone() {
		return this.bus.emit(new BenchEvent(1)).done();
	}

	@Benchmark
	public BenchEvent emitPipelined(Producer producer) {
		BenchEvent event = this.bus.emit(new BenchEvent(1));
		producer.last = event;
		if (++producer.sinceWait == 256) {
			producer.sinceWait = 0;
			event.done();
		}
		return event;
	}

}
