package io.bubus.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.bubus.DynamicEvent;
import io.bubus.EventBus;
import io.bubus.bridge.SendBatching;
import io.bubus.bridge.kafka.KafkaEventBridge;
import io.bubus.bridge.kafka.KafkaTestBroker;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Events per second through the Kafka bridge: bus A forwards every event to a sending
 * bridge ({@code busA.on("*", sender::emit)}), and {@code receivers} bridges of one
 * consumer group, each emitting on a bus of its own, share the topic (6 partitions); one
 * operation is one event handled on a receiving bus, so the score is end-to-end events/s.
 * {@code sendBatch=0} sends one event per acknowledgement, otherwise in batches of up to
 * that many. The broker is the kafka bridge tests' KRaft broker, in the benchmark's JVM
 * (so it shares the machine's cores with the buses).
 * <p>
 * {@code java -cp "bubus-benchmarks/target/bubus-benchmarks-0.1.0-SNAPSHOT.jar:bubus-benchmarks/target/lib/*"
 * org.openjdk.jmh.Main KafkaBridgeBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 3)
public class KafkaBridgeBenchmark {

	private static final int EVENTS = 1000;

	@Param({ "1", "3" })
	public int receivers;

	@Param({ "0", "256" })
	public int sendBatch;

	private KafkaTestBroker broker;

	private EventBus sendingBus;

	private KafkaEventBridge sender;

	private final List<KafkaEventBridge> instances = new ArrayList<>();

	private final List<EventBus> receivingBuses = new ArrayList<>();

	private final Semaphore handled = new Semaphore(0);

	@Setup(Level.Trial)
	public void setUp() throws IOException {
		this.broker = KafkaTestBroker.start(Files.createTempDirectory("bubus-kafka-bench-"));
		String servers = this.broker.bootstrapServers();
		String id = UUID.randomUUID().toString().substring(0, 8);
		String topic = "bench_" + id;
		this.sender = new KafkaEventBridge(servers, topic, null, "BenchSender").partitions(6);
		if (this.sendBatch > 0) {
			this.sender.batchSends(SendBatching.defaults().maxBatchSize(this.sendBatch));
		}
		this.sendingBus = EventBus.builder("BenchA").maxHistorySize(0).build();
		this.sendingBus.on("*", this.sender::emit);
		for (int i = 0; i < this.receivers; i++) {
			EventBus bus = EventBus.builder("BenchB" + i).maxHistorySize(0).build();
			bus.on("Note", (event) -> {
				this.handled.release();
				return null;
			});
			KafkaEventBridge instance = new KafkaEventBridge(servers, null, topic, "BenchReceiver" + i)
				.group("bench_" + id)
				.partitions(6);
			instance.on("*", bus::emit);
			this.instances.add(instance);
			this.receivingBuses.add(bus);
		}
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.sendingBus.stop(Duration.ZERO, true);
		this.sender.close();
		this.instances.forEach(KafkaEventBridge::close);
		this.receivingBuses.forEach((bus) -> bus.stop(Duration.ZERO, true));
		this.broker.close();
	}

	@Benchmark
	@OperationsPerInvocation(EVENTS)
	public void sendAndHandle() throws InterruptedException {
		for (int i = 0; i < EVENTS; i++) {
			this.sendingBus.emit(new DynamicEvent("Note", Map.of("seq", i)));
		}
		if (!this.handled.tryAcquire(EVENTS, 60, TimeUnit.SECONDS)) {
			throw new IllegalStateException("the receivers did not handle " + EVENTS + " events within 60 s");
		}
	}

}
