package io.bubus.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.bubus.BaseEvent;
import io.bubus.EventBus;
import io.bubus.EventConcurrency;
import io.bubus.benchmarks.PerfEvents.BenchEvent;
import io.bubus.middleware.WalEventBusMiddleware;
import io.bubus.middleware.WalEventBusMiddleware.Fsync;
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
import org.openjdk.jmh.annotations.Threads;

/**
 * {@code emit(event).done()} on a bus with a {@link WalEventBusMiddleware}, per fsync
 * policy (three lines per event: accepted, the handler's row, completed), from one thread
 * and from four at once on a parallel bus (where {@code PER_BATCH} shares flushes). The
 * file lives in {@code java.io.tmpdir}; set {@code -Djava.io.tmpdir} to measure another
 * disk.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class WalBenchmark {

	@Param({ "OFF", "PER_BATCH", "PER_EVENT" })
	public Fsync fsync;

	private Path dir;

	private WalEventBusMiddleware wal;

	private EventBus bus;

	@Setup(Level.Trial)
	public void setUp() throws IOException {
		this.dir = Files.createTempDirectory("bubus-wal-bench");
		this.wal = new WalEventBusMiddleware(this.dir.resolve("bench.wal.jsonl"), this.fsync);
		this.bus = EventBus.builder("JmhWal")
			.eventConcurrency(EventConcurrency.PARALLEL)
			.maxHistorySize(512)
			.maxHistoryDrop(true)
			.middleware(this.wal)
			.build();
		this.bus.on(BenchEvent.class, (event) -> event.value);
	}

	@TearDown(Level.Trial)
	public void tearDown() throws IOException {
		this.bus.stop(Duration.ZERO, true);
		this.wal.close();
		try (var files = Files.list(this.dir)) {
			for (Path file : files.toList()) {
				Files.deleteIfExists(file);
			}
		}
		Files.deleteIfExists(this.dir);
	}

	@Benchmark
	public BaseEvent<Integer> emitDone() {
		return this.bus.emit(new BenchEvent(1)).done();
	}

	@Benchmark
	@Threads(4)
	public BaseEvent<Integer> emitDoneFourThreads() {
		return this.bus.emit(new BenchEvent(1)).done();
	}

}
