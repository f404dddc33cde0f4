package io.bubus.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import com.rabbitmq.client.ConnectionFactory;
import io.bubus.BaseEvent;
import io.bubus.EventBus;
import io.bubus.bridge.EventBridge;
import io.bubus.bridge.HttpEventBridge;
import io.bubus.bridge.JsonlEventBridge;
import io.bubus.bridge.SendBatching;
import io.bubus.bridge.SocketEventBridge;
import io.bubus.bridge.kafka.KafkaEventBridge;
import io.bubus.bridge.kafka.KafkaTestBroker;
import io.bubus.bridge.nats.NatsEventBridge;
import io.bubus.bridge.nats.NatsJetStreamEventBridge;
import io.bubus.bridge.postgres.PostgresEventBridge;
import io.bubus.bridge.rabbitmq.RabbitMqEventBridge;
import io.bubus.bridge.redis.RedisEventBridge;
import io.bubus.bridge.redis.RedisStreamEventBridge;
import io.bubus.bridge.sqlite.SqliteEventBridge;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.nats.client.Connection;
import io.nats.client.Nats;

/**
 * End-to-end throughput of each bridge over loopback: bus A forwards every event to a
 * sending bridge ({@code busA.on("*", sender::emit)}), a receiving bridge on the same
 * transport emits what arrives on bus B ({@code receiver.on("*", busB::emit)}), and the
 * clock runs from the first {@code busA.emit} to the moment bus B's handler has seen all
 * events. One warm-up run (not reported), then the measured runs, each with fresh bridges
 * and a fresh file, table, channel, subject, stream, topic or queue; the median is
 * reported.
 * <p>
 * {@code java -cp ... io.bubus.benchmarks.BridgeThroughput [--events=10000] [--runs=3]
 * [--warmup-events=1000] [--batch=256 [--linger-ms=1]] [--receivers=3] [jsonl http socket
 * sqlite postgres redis redis-stream nats jetstream rabbitmq kafka]}
 * <p>
 * With {@code --receivers=N} (N &gt; 1) N receiving bridges share the work, each emitting
 * on a bus of its own, and every event must be handled once in total: a PostgreSQL
 * {@code group}, one Redis Streams consumer group, one JetStream durable, competing
 * consumers of one RabbitMQ queue, one Kafka consumer group (6 partitions). The
 * fan-out-only bridges (JSONL, HTTP, socket, SQLite, Redis pub/sub, core NATS) are then
 * reported as not measured. The line adds how many events each receiver handled.
 * <p>
 * With {@code --batch=N} the sending bridge sends in batches of up to N events
 * ({@link EventBridge#batchSends}); bridges that cannot are reported as not measured.
 * <p>
 * Servers (as in shared/SERVICES.md; override with system properties
 * {@code bubus.bench.postgres}, {@code .redis}, {@code .nats}, {@code .rabbitmq},
 * {@code .kafka}): PostgreSQL {@code postgresql://postgres@127.0.0.1:5432/test}, Redis
 * {@code redis://127.0.0.1:6379/0}, NATS {@code nats://127.0.0.1:4222}, RabbitMQ
 * {@code amqp://guest:guest@127.0.0.1:5672}; Kafka: without {@code bubus.bench.kafka} the
 * kafka bridge tests' KRaft broker, started once in this JVM. A bridge whose server does
 * not answer is reported as not measured.
 * <p>
 * Output, one line per bridge: {@code [bridge] <kind>: events=N runs=[a, b, c]/s
 * median=M/s delivered=N duplicates=D guarantee=… reconnect=…}.
 */
public final class BridgeThroughput {

	/** The event sent through every bridge. */
	public static class BridgeBenchEvent extends BaseEvent<Void> {

		public String run;

		public int seq;

		public BridgeBenchEvent() {
		}

		BridgeBenchEvent(String run, int seq) {
			this.run = run;
			this.seq = seq;
		}

	}

	/** Poll interval of the file bridges (JSONL, SQLite). */
	static final Duration POLL = Duration.ofMillis(10);

	private static final Duration RUN_TIMEOUT = Duration.ofMinutes(5);

	private static final List<String> ALL = List.of("jsonl", "http", "socket", "sqlite", "postgres", "redis",
			"redis-stream", "nats", "jetstream", "rabbitmq", "kafka");

	/** The bridges whose receivers can share the work. */
	static final List<String> SHARING = List.of("postgres", "redis-stream", "jetstream", "rabbitmq", "kafka");

	/** Partitions of the Kafka topic. */
	static final int KAFKA_PARTITIONS = 6;

	private static final String POSTGRES = System.getProperty("bubus.bench.postgres",
			"postgresql://postgres@127.0.0.1:5432/test");

	private static final String REDIS = System.getProperty("bubus.bench.redis", "redis://127.0.0.1:6379/0");

	private static final String NATS = System.getProperty("bubus.bench.nats", "nats://127.0.0.1:4222");

	private static final String RABBITMQ = System.getProperty("bubus.bench.rabbitmq",
			"amqp://guest:guest@127.0.0.1:5672");

	/** How the sending bridge batches ({@code null}: one event per round trip). */
	private static SendBatching sendBatching;

	/** Receiving bridges per run (more than one: sharing the work). */
	private static int receivers = 1;

	private static KafkaTestBroker kafkaBroker;

	private BridgeThroughput() {
	}

	public static void main(String[] args) throws Exception {
		int events = 10_000;
		int runs = 3;
		int warmup = 1_000;
		List<String> kinds = new ArrayList<>();
		SendBatching batching = null;
		Duration linger = null;
		for (String arg : args) {
			if (arg.startsWith("--events=")) {
				events = Integer.parseInt(arg.substring("--events=".length()));
			}
			else if (arg.startsWith("--runs=")) {
				runs = Integer.parseInt(arg.substring("--runs=".length()));
			}
			else if (arg.startsWith("--warmup-events=")) {
				warmup = Integer.parseInt(arg.substring("--warmup-events=".length()));
			}
			else if (arg.startsWith("--batch=")) {
				batching = SendBatching.defaults().maxBatchSize(Integer.parseInt(arg.substring("--batch=".length())));
			}
			else if (arg.startsWith("--receivers=")) {
				receivers = Integer.parseInt(arg.substring("--receivers=".length()));
			}
			else if (arg.startsWith("--linger-ms=")) {
				linger = Duration.ofMillis(Long.parseLong(arg.substring("--linger-ms=".length())));
			}
			else if (ALL.contains(arg)) {
				kinds.add(arg);
			}
			else {
				System.err.println("unknown argument " + arg + "; bridges: " + ALL);
				System.exit(2);
			}
		}
		if (batching != null && linger != null) {
			batching = batching.linger(linger);
		}
		sendBatching = batching;
		BaseEvent.register(BridgeBenchEvent.class);
		boolean failed = false;
		for (String kind : kinds.isEmpty() ? ALL : kinds) {
			failed |= !measure(kind, events, runs, warmup);
		}
		if (kafkaBroker != null) {
			kafkaBroker.close();
		}
		System.exit(failed ? 1 : 0);
	}

	private static boolean measure(String kind, int events, int runs, int warmup) {
		if (receivers > 1 && !SHARING.contains(kind)) {
			System.out.printf(Locale.ROOT,
					"[bridge] %s: not measured: fan-out only (every receiver gets every event)%n", label(kind));
			return true;
		}
		List<Double> rates = new ArrayList<>();
		List<List<Long>> shares = new ArrayList<>();
		long duplicates = 0;
		try {
			if (warmup > 0) {
				run(kind, warmup);
			}
			for (int i = 0; i < runs; i++) {
				Result result = run(kind, events);
				rates.add(result.eventsPerSecond());
				duplicates += result.duplicates();
				shares.add(result.perReceiver());
			}
		}
		catch (Exception ex) {
			System.out.printf(Locale.ROOT, "[bridge] %s: not measured: %s%n", label(kind), ex);
			return false;
		}
		List<Double> sorted = rates.stream().sorted(Comparator.naturalOrder()).toList();
		double median = sorted.get(sorted.size() / 2);
		System.out.printf(Locale.ROOT,
				"[bridge] %s: events=%d runs=%s/s median=%.0f/s delivered=%d duplicates=%d guarantee=%s reconnect=%s%s%n",
				label(kind), events, rates.stream().map((rate) -> String.format(Locale.ROOT, "%.0f", rate)).toList(),
				median, events, duplicates, guarantee(kind), reconnect(kind),
				(receivers > 1) ? " per-receiver=" + shares : "");
		return true;
	}

	private static String label(String kind) {
		String label = (sendBatching != null) ? kind + " (batch=" + sendBatching.maxBatchSize() + ", linger="
				+ sendBatching.linger().toMillis() + "ms)" : kind;
		return (receivers > 1) ? label + " → " + receivers + " sharing" : label;
	}

	/**
	 * How many events per second arrived on the receiving buses, how many arrived twice,
	 * and how many each receiver handled.
	 */
	record Result(double eventsPerSecond, long duplicates, List<Long> perReceiver) {
	}

	static Result run(String kind, int events) throws Exception {
		String id = Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
		Path dir = Files.createTempDirectory("bubus-bridge-bench");
		Pair pair = pair(kind, id, dir);
		BitSet seen = new BitSet(events);
		AtomicLong duplicates = new AtomicLong();
		AtomicLong sendErrors = new AtomicLong();
		AtomicReference<Throwable> firstSendError = new AtomicReference<>();
		CountDownLatch all = new CountDownLatch(1);
		long[] distinct = new long[1];
		AtomicLong finishedAt = new AtomicLong();
		List<EventBus> receivingBuses = new ArrayList<>();
		long[] perReceiver = new long[pair.receivers().size()];
		try (EventBus a = bus("BenchA"); pair) {
			for (int r = 0; r < pair.receivers().size(); r++) {
				int receiverIndex = r;
				EventBus b = bus("BenchB" + r);
				receivingBuses.add(b);
				b.on(BridgeBenchEvent.class, (event) -> {
					if (!id.equals(event.run)) {
						return null;
					}
					long now = System.nanoTime();
					synchronized (seen) {
						if (seen.get(event.seq)) {
							duplicates.incrementAndGet();
							return null;
						}
						seen.set(event.seq);
						perReceiver[receiverIndex]++;
						if (++distinct[0] == events) {
							finishedAt.set(now);
							all.countDown();
						}
					}
					return null;
				});
				pair.receivers().get(r).on("*", b::emit);
			}
			EventBridge sender = pair.sender().get();
			a.on("*", (event) -> {
				try {
					sender.emit(event);
				}
				catch (RuntimeException ex) {
					sendErrors.incrementAndGet();
					firstSendError.compareAndSet(null, ex);
					// a lost event: stop waiting for it
					all.countDown();
				}
				return null;
			});
			long start = System.nanoTime();
			for (int i = 0; i < events; i++) {
				a.emit(new BridgeBenchEvent(id, i));
			}
			// batched sends fail after emit returned: stop waiting for them too
			sender.flush().whenComplete((ignored, ex) -> {
				if (ex != null) {
					sendErrors.incrementAndGet();
					firstSendError.compareAndSet(null, ex);
					all.countDown();
				}
			});
			if (!all.await(RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS) || sendErrors.get() > 0) {
				long arrived;
				synchronized (seen) {
					arrived = distinct[0];
				}
				throw new IllegalStateException(kind + ": only " + arrived + " of " + events + " events arrived within "
						+ RUN_TIMEOUT.toSeconds() + " s (send errors: " + sendErrors.get() + ", first: "
						+ firstSendError.get() + "; receivers dropped "
						+ pair.receivers().stream().mapToLong(EventBridge::droppedMessages).sum() + ")");
			}
			double seconds = (finishedAt.get() - start) / 1e9;
			List<Long> shares;
			synchronized (seen) {
				shares = IntStream.range(0, perReceiver.length).mapToObj((r) -> perReceiver[r]).toList();
			}
			return new Result(events / seconds, duplicates.get(), shares);
		}
		finally {
			receivingBuses.forEach(EventBus::close);
			cleanUp(kind, id, dir);
		}
	}

	private static EventBus bus(String name) {
		return EventBus.builder(name).maxHistorySize(100).maxHistoryDrop(true).build();
	}

	/** The receiving bridges (started first) and a supplier of the sending bridge. */
	record Pair(List<EventBridge> receivers, Sender sender) implements AutoCloseable {

		Pair(EventBridge receiver, Sender sender) {
			this(List.of(receiver), sender);
		}

		@Override
		public void close() {
			this.sender.close();
			this.receivers.forEach(EventBridge::close);
		}

	}

	/** Creates the sending bridge once the receiver listens (HTTP needs its port). */
	static final class Sender implements AutoCloseable {

		private final java.util.function.Supplier<EventBridge> factory;

		private EventBridge bridge;

		Sender(java.util.function.Supplier<EventBridge> factory) {
			this.factory = factory;
		}

		synchronized EventBridge get() {
			if (this.bridge == null) {
				this.bridge = this.factory.get();
				if (sendBatching != null) {
					this.bridge.batchSends(sendBatching);
				}
			}
			return this.bridge;
		}

		@Override
		public synchronized void close() {
			if (this.bridge != null) {
				this.bridge.close();
			}
		}

	}

	private static Pair pair(String kind, String id, Path dir) {
		String name = "bubus_bench_" + id;
		int n = receivers;
		return switch (kind) {
			case "jsonl" -> {
				Path file = dir.resolve("events.jsonl");
				yield new Pair(new JsonlEventBridge(file, POLL, "BenchIn", false),
						new Sender(() -> new JsonlEventBridge(file, POLL, "BenchOut", false)));
			}
			case "http" -> {
				HttpEventBridge receiver = new HttpEventBridge(null, URI.create("http://127.0.0.1:0/bench"), "BenchIn",
						null);
				receiver.start();
				yield new Pair(receiver,
						new Sender(() -> new HttpEventBridge(receiver.listenUri(), null, "BenchOut", null)));
			}
			case "socket" -> {
				Path socket = dir.resolve("bench.sock");
				yield new Pair(new SocketEventBridge(socket, "BenchIn"),
						new Sender(() -> new SocketEventBridge(socket, "BenchOut")));
			}
			case "sqlite" -> {
				Path file = dir.resolve("events.db");
				yield new Pair(new SqliteEventBridge(file, name, POLL, "BenchIn"),
						new Sender(() -> new SqliteEventBridge(file, name, POLL, "BenchOut")));
			}
			case "postgres" -> new Pair(receivers(n, (r) -> {
				PostgresEventBridge receiver = new PostgresEventBridge(POSTGRES + "/" + name, name, "BenchIn" + r);
				return (n > 1) ? receiver.group(name) : receiver;
			}), new Sender(() -> new PostgresEventBridge(POSTGRES + "/" + name, name, "BenchOut")));
			case "redis" -> new Pair(new RedisEventBridge(REDIS, name, "BenchIn"),
					new Sender(() -> new RedisEventBridge(REDIS, name, "BenchOut")));
			case "redis-stream" ->
				new Pair(receivers(n, (r) -> new RedisStreamEventBridge(REDIS, name, "BenchIn" + r).group(name)),
						new Sender(() -> new RedisStreamEventBridge(REDIS, name, "BenchOut")));
			case "nats" -> new Pair(new NatsEventBridge(NATS, name, "BenchIn"),
					new Sender(() -> new NatsEventBridge(NATS, name, "BenchOut")));
			case "jetstream" ->
				new Pair(
						receivers(n,
								(r) -> new NatsJetStreamEventBridge(NATS, name, "BenchIn" + r).stream(name)
									.durable(name)),
						new Sender(() -> new NatsJetStreamEventBridge(NATS, name, "BenchOut").stream(name)));
			case "rabbitmq" ->
				new Pair(receivers(n, (r) -> new RabbitMqEventBridge(URI.create(RABBITMQ), null, name, "BenchIn" + r)),
						new Sender(() -> new RabbitMqEventBridge(URI.create(RABBITMQ), name, null, "BenchOut")));
			case "kafka" -> {
				String servers = kafkaServers();
				yield new Pair(
						receivers(n,
								(r) -> new KafkaEventBridge(servers, null, name, "BenchIn" + r).group(name)
									.partitions(KAFKA_PARTITIONS)),
						new Sender(() -> new KafkaEventBridge(servers, name, null, "BenchOut")
							.partitions(KAFKA_PARTITIONS)));
			}
			default -> throw new IllegalArgumentException("unknown bridge " + kind);
		};
	}

	/** {@code n} receiving bridges, started (listening) before anything is sent. */
	private static List<EventBridge> receivers(int n, java.util.function.IntFunction<EventBridge> factory) {
		List<EventBridge> bridges = new ArrayList<>(n);
		try {
			for (int r = 0; r < n; r++) {
				EventBridge bridge = factory.apply(r);
				bridges.add(bridge);
				bridge.start();
			}
		}
		catch (RuntimeException ex) {
			bridges.forEach(EventBridge::close);
			throw ex;
		}
		return bridges;
	}

	/** {@code bubus.bench.kafka}, else a KRaft broker started once in this JVM. */
	private static synchronized String kafkaServers() {
		String configured = System.getProperty("bubus.bench.kafka");
		if (configured != null && !configured.isBlank()) {
			return configured;
		}
		if (kafkaBroker == null) {
			try {
				kafkaBroker = KafkaTestBroker.start(Files.createTempDirectory("bubus-bench-kafka"));
			}
			catch (IOException ex) {
				throw new java.io.UncheckedIOException(ex);
			}
		}
		return kafkaBroker.bootstrapServers();
	}

	private static void cleanUp(String kind, String id, Path dir) throws IOException {
		String name = "bubus_bench_" + id;
		try {
			if (kind.equals("postgres")) {
				URI uri = URI.create(POSTGRES);
				String user = (uri.getUserInfo() != null) ? uri.getUserInfo().split(":")[0] : "postgres";
				try (java.sql.Connection connection = DriverManager.getConnection(
						"jdbc:postgresql://" + uri.getHost() + ":" + uri.getPort() + uri.getPath() + "?user=" + user);
						Statement drop = connection.createStatement()) {
					drop.execute("DROP TABLE IF EXISTS \"" + name + "\"");
					drop.execute("DROP TABLE IF EXISTS \"" + name + "_bubus_groups\"");
					drop.execute("DROP TABLE IF EXISTS \"" + name + "_bubus_claims\"");
				}
			}
			if (kind.equals("redis-stream")) {
				RedisClient client = RedisClient.create(REDIS);
				try (StatefulRedisConnection<String, String> connection = client.connect()) {
					connection.sync().del(name);
				}
				finally {
					client.shutdown();
				}
			}
			if (kind.equals("jetstream")) {
				try (Connection connection = Nats.connect(NATS)) {
					connection.jetStreamManagement().deleteStream(name);
				}
			}
			if (kind.equals("kafka")) {
				try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin
					.create(Map.of("bootstrap.servers", kafkaServers()))) {
					admin.deleteTopics(List.of(name)).all().get(30, TimeUnit.SECONDS);
				}
			}
			if (kind.equals("rabbitmq")) {
				ConnectionFactory factory = new ConnectionFactory();
				factory.setUri(RABBITMQ);
				try (com.rabbitmq.client.Connection connection = factory.newConnection("bubus-bench-cleanup")) {
					connection.createChannel().queueDelete(name);
				}
			}
		}
		catch (Exception ex) {
			System.err.println("could not clean up " + name + ": " + ex);
		}
		try (Stream<Path> files = Files.walk(dir)) {
			for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(file);
			}
		}
	}

	/** The delivery guarantee each bridge documents. */
	static String guarantee(String kind) {
		return switch (kind) {
			case "jsonl" -> "durable (file; resume from offset)";
			case "sqlite" -> "durable, once per listener (resume from cursor)";
			case "postgres" -> (receivers > 1) ? "durable, at least once, claimed per group (SKIP LOCKED)"
					: "durable, once per listener (catch-up after reconnect)";
			case "rabbitmq" -> "durable, at least once (confirms + acks)";
			case "nats" -> "at most once (core NATS)";
			case "redis" -> "at most once (pub/sub)";
			case "redis-stream" -> "at least once, acked after handling (consumer group)";
			case "jetstream" -> "durable, at least once, acked after handling (durable consumer)";
			case "kafka" -> "durable, at least once, committed after handling (consumer group)";
			default -> "fire-and-forget (sender gets an error)";
		};
	}

	/** What each bridge does when the connection or the other side goes away. */
	static String reconnect(String kind) {
		return switch (kind) {
			case "jsonl" -> "no connection; listener re-reads a truncated file";
			case "sqlite" -> "no connection; busy database waited for";
			case "postgres" -> "backoff 100 ms to 5 s, then catch-up; sends retried 10 s";
			case "redis" -> "Lettuce auto-reconnect; publish waits up to 10 s, then fails";
			case "redis-stream" -> "Lettuce auto-reconnect; XADD waits up to 10 s, then fails";
			case "jetstream" -> "jnats reconnect every 250 ms; publish retried (same Nats-Msg-Id) 30 s";
			case "kafka" -> "client reconnects; send waits for acks=all up to 30 s";
			case "nats" -> "jnats reconnect every 250 ms; sends buffered (8 MB)";
			case "rabbitmq" -> "automatic recovery every 1 s; sends retried 30 s";
			case "http" -> "one request per event; send fails while the listener is down";
			default -> "one connection per event; send fails while the listener is down";
		};
	}

}
