package io.bubus.bridge.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real Kafka broker for the tests, run in the test JVM: one KRaft node that is broker
 * and controller at once, on loopback ports chosen at start, its log in a temporary
 * directory. It comes from the {@code kafka_2.13} server artifact at the client's version
 * (spring-kafka-test's embedded broker needs the {@code kafka-clients} test jar, which is
 * not served for this version). {@link #restart()} stops it and starts it again on the
 * same ports and log, as a broker restart does.
 */
public final class KafkaTestBroker implements AutoCloseable {

	private final Path dir;

	private final int port;

	private final Properties properties = new Properties();

	private KafkaRaftServer server;

	private boolean running;

	private KafkaTestBroker(Path dir) throws IOException {
		this.dir = dir;
		this.port = freePort();
		int controllerPort = freePort();
		Path log = dir.resolve("log");
		this.properties.put("process.roles", "broker,controller");
		this.properties.put("node.id", "1");
		this.properties.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
		this.properties.put("listeners",
				"PLAINTEXT://127.0.0.1:" + this.port + ",CONTROLLER://127.0.0.1:" + controllerPort);
		this.properties.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + this.port);
		this.properties.put("controller.listener.names", "CONTROLLER");
		this.properties.put("inter.broker.listener.name", "PLAINTEXT");
		this.properties.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
		this.properties.put("log.dirs", log.toString());
		this.properties.put("num.partitions", "1");
		this.properties.put("offsets.topic.replication.factor", "1");
		this.properties.put("offsets.topic.num.partitions", "3");
		this.properties.put("transaction.state.log.replication.factor", "1");
		this.properties.put("transaction.state.log.min.isr", "1");
		this.properties.put("share.coordinator.state.topic.replication.factor", "1");
		this.properties.put("share.coordinator.state.topic.min.isr", "1");
		this.properties.put("group.initial.rebalance.delay.ms", "0");
		this.properties.put("group.min.session.timeout.ms", "1000");
		// the consumer group protocol's session timeout is the broker's: a member that
		// stops heartbeating (killed) loses its partitions after 3 s
		this.properties.put("group.consumer.min.session.timeout.ms", "1000");
		this.properties.put("group.consumer.session.timeout.ms", "3000");
		this.properties.put("group.consumer.min.heartbeat.interval.ms", "500");
		this.properties.put("group.consumer.heartbeat.interval.ms", "500");
		this.properties.put("log.flush.interval.messages", "1000000");
		this.properties.put("num.network.threads", "2");
		this.properties.put("num.io.threads", "2");
		this.properties.put("background.threads", "2");
		this.properties.put("log.cleaner.enable", "false");
		Path config = dir.resolve("server.properties");
		try (var out = Files.newOutputStream(config)) {
			this.properties.store(out, "bubus test broker");
		}
		ByteArrayOutputStream output = new ByteArrayOutputStream();
		int formatted = StorageTool.execute(new String[] { "format", "-t", clusterId(), "-c", config.toString() },
				new PrintStream(output, true, StandardCharsets.UTF_8));
		if (formatted != 0) {
			throw new IllegalStateException("could not format the broker's log: " + output);
		}
	}

	private static KafkaTestBroker shared;

	/**
	 * The broker the test classes of one JVM share (started on first use, stopped when
	 * the JVM exits). Tests that stop or restart a broker start their own.
	 */
	public static synchronized KafkaTestBroker shared() {
		if (shared == null) {
			try {
				Path dir = Files.createTempDirectory("bubus-kafka-");
				shared = start(dir);
				Runtime.getRuntime().addShutdownHook(new Thread(shared::stop, "bubus-kafka-test-broker-stop"));
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		return shared;
	}

	/** Starts a broker with its log in {@code dir}. */
	public static KafkaTestBroker start(Path dir) throws IOException {
		KafkaTestBroker broker = new KafkaTestBroker(dir);
		broker.startServer();
		return broker;
	}

	/** {@code 127.0.0.1:<port>}. */
	public String bootstrapServers() {
		return "127.0.0.1:" + this.port;
	}

	int port() {
		return this.port;
	}

	synchronized void stop() {
		if (this.running) {
			this.server.shutdown();
			this.server.awaitShutdown();
			this.running = false;
		}
	}

	synchronized void startServer() {
		if (!this.running) {
			this.server = new KafkaRaftServer(KafkaConfig.fromProps(this.properties, false), Time.SYSTEM);
			this.server.startup();
			this.running = true;
		}
	}

	void restart() {
		stop();
		startServer();
	}

	@Override
	public void close() {
		stop();
	}

	Path dir() {
		return this.dir;
	}

	private static String clusterId() {
		return Uuid.randomUuid().toString();
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket()) {
			socket.bind(new InetSocketAddress("127.0.0.1", 0));
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
