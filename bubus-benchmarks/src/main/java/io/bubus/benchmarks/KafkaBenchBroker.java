package io.bubus.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.util.concurrent.CountDownLatch;

import io.bubus.bridge.kafka.KafkaTestBroker;
import org.jspecify.annotations.Nullable;

/**
 * The Kafka broker of a benchmark: the one named by {@code -Dbubus.bench.kafka=host:port}
 * (left running on close), or the kafka bridge tests' KRaft broker started in this JVM
 * (stopped on close).
 * <p>
 * {@code java -cp ... io.bubus.benchmarks.KafkaBenchBroker} starts that broker in a JVM
 * of its own, prints {@code bootstrap=127.0.0.1:<port>} and runs until it is stopped
 * (SIGTERM), so that every trial of a JMH run (each in its own fork) talks to the same
 * broker, outside the measured JVM.
 */
final class KafkaBenchBroker implements AutoCloseable {

	private final String servers;

	private final @Nullable KafkaTestBroker broker;

	private KafkaBenchBroker(String servers, @Nullable KafkaTestBroker broker) {
		this.servers = servers;
		this.broker = broker;
	}

	static KafkaBenchBroker fromPropertyOrStart() throws IOException {
		String servers = System.getProperty("bubus.bench.kafka");
		if (servers != null && !servers.isBlank()) {
			return new KafkaBenchBroker(servers, null);
		}
		KafkaTestBroker started = KafkaTestBroker.start(Files.createTempDirectory("bubus-kafka-bench-"));
		return new KafkaBenchBroker(started.bootstrapServers(), started);
	}

	String bootstrapServers() {
		return this.servers;
	}

	@Override
	public void close() {
		if (this.broker != null) {
			this.broker.close();
		}
	}

	public static void main(String[] args) throws Exception {
		KafkaTestBroker broker = KafkaTestBroker.start(Files.createTempDirectory("bubus-kafka-bench-"));
		CountDownLatch stopped = new CountDownLatch(1);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			broker.close();
			stopped.countDown();
		}, "bubus-bench-broker-stop"));
		System.out.println("bootstrap=" + broker.bootstrapServers());
		System.out.flush();
		stopped.await();
	}

}
