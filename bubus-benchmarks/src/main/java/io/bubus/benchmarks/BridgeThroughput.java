package io.bubus.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import com.rabbitmq.client.ConnectionFactory;
import io.bubus.BaseEvent;
import io.bubus.EventBus;
import io.bubus.bridge.EventBridge;
import io.bubus.bridge.HttpEventBridge;
import io.bubus.bridge.JsonlEventBridge;
import io.bubus.bridge.SendBatching;
import io.bubus.bridge.SocketEventBridge;
import io.bubus.bridge.nats.NatsEventBridge;
import io.bubus.bridge.postgres.PostgresEventBridge;
import io.bubus.bridge.rabbitmq.RabbitMqEventBridge;
import io.bubus.bridge.redis.RedisEventBridge;
import io.bubus.bridge.sqlite.SqliteEventBridge;

/**
 * End-to-end throughput of each bridge over loopback: bus A forwards every event to a
 * sending bridge ({@code busA.on("*", sender::emit)}), a receiving bridge on the same
 * transport emits what arrives on bus B ({@code receiver.on("*", busB::emit)}), and the
 * clock runs from the first {@code busA.emit} to the moment bus B's handler has seen all
 * events. One warm-up run (not reported), then the measured runs, each with fresh bridges
 * and a fresh file, table, channel, subject or queue; the median is reported.
 * <p>
 * {@code java -cp ... io.bubus.benchmarks.BridgeThroughput [--events=10000] [--runs=3]
 * [--warmup-events=1000] [--batch=256 [--linger-ms=1]] [jsonl http socket sqlite postgres
 * redis nats rabbitmq]}
 * <p>
 * With {@code --batch=N} the sending bridge sends in batches of up to N events
 * ({@link EventBridge#batchSends}); bridges that cannot are reported as not measured.
 * <p>
 * Servers (as in shared/SERVICES.md; override with system properties
 * {@code bubus.bench.postgres}, {@code .redis}, {@code .nats}, {@code .rabbitmq}):
 * PostgreSQL {@code postgresql://postgres@127.0.0.1:5432/test}, Redis
 * {@code redis://127.0.0.1:6379/0}, NATS {@code nats://127.0.0.1:4222}, RabbitMQ
 * {@code amqp://guest:guest@127.0.0.1:5672}. A bridge whose server does not answer is
 * reported as not measured.
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

	private static final List<String> ALL = List.of("jsonl", "http", "socket", "sqlite", "postgres", "redis", "nats",
			"rabbitmq");

	private static final String POSTGRES = System.getProperty("bubus.bench.postgres",
			"postgresql://postgres@127.0.0.1:5432/test");

	private static final String REDIS = System.getProperty("bubus.bench.redis", "redis://127.0.0.1:6379/0");

	private static final String NATS = System.getProperty("bubus.bench.nats", "nats://127.0.0.1:4222");

	private static final String RABBITMQ = System.getProperty("bubus.bench.rabbitmq",
			"amqp://guest:guest@127.0.0.1:5672");

	/** How the sending bridge batches ({@code null}: one event per round trip). */
	private static SendBatching sendBatching;

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
		System.exit(failed ? 1 : 0);
	}

	private static boolean measure(String kind, int events, int runs, int warmup) {
		List<Double> rates = new ArrayList<>();
		long duplicates = 0;
		try {
			if (warmup > 0) {
				run(kind, warmup);
			}
			for (int i = 0; i < runs; i++) {
				Result result = run(kind, events);
				rates.add(result.eventsPerSecond());
				duplicates += result.duplicates();
			}
		}
		catch (Exception ex) {
			System.out.printf(Locale.ROOT, "[bridge] %s: not measured: %s%n", label(kind), ex);
			return false;
		}
		List<Double> sorted = rates.stream().sorted(Comparator.naturalOrder()).toList();
		double median = sorted.get(sorted.size() / 2);
		System.out.printf(Locale.ROOT,
				"[bridge] %s: events=%d runs=%s/s median=%.0f/s delivered=%d duplicates=%d guarantee=%s reconnect=%s%n",
				label(kind), events, rates.stream().map((rate) -> String.format(Locale.ROOT, "%.0f", rate)).toList(),
				median, events, duplicates, guarantee(kind), reconnect(kind));
		return true;
	}

	private static String label(String kind) {
		return (sendBatching != null) ? kind + " (batch=" + sendBatching.maxBatchSize() + ", linger="
				+ sendBatching.linger().toMillis() + "ms)" : kind;
	}

	/** How many events per second arrived on bus B, and how many arrived twice. */
	record Result(double eventsPerSecond, long duplicates) {
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
		try (EventBus a = bus("BenchA"); EventBus b = bus("BenchB"); pair) {
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
					if (++distinct[0] == events) {
						finishedAt.set(now);
						all.countDown();
					}
				}
				return null;
			});
			pair.receiver().on("*", b::emit);
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
						+ firstSendError.get() + "; receiver dropped " + pair.receiver().droppedMessages() + ")");
			}
			double seconds = (finishedAt.get() - start) / 1e9;
			return new Result(events / seconds, duplicates.get());
		}
		finally {
			cleanUp(kind, id, dir);
		}
	}

	private static EventBus bus(String name) {
		return EventBus.builder(name).maxHistorySize(100).maxHistoryDrop(true).build();
	}

	/** The receiving bridge (started first) and a supplier of the sending bridge. */
	record Pair(EventBridge receiver, Sender sender) implements AutoCloseable {

		@Override
		public void close() {
			this.sender.close();
			this.receiver.close();
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
			case "postgres" -> new Pair(new PostgresEventBridge(POSTGRES + "/" + name, name, "BenchIn"),
					new Sender(() -> new PostgresEventBridge(POSTGRES + "/" + name, name, "BenchOut")));
			case "redis" -> new Pair(new RedisEventBridge(REDIS, name, "BenchIn"),
					new Sender(() -> new RedisEventBridge(REDIS, name, "BenchOut")));
			case "nats" -> new Pair(new NatsEventBridge(NATS, name, "BenchIn"),
					new Sender(() -> new NatsEventBridge(NATS, name, "BenchOut")));
			case "rabbitmq" -> new Pair(new RabbitMqEventBridge(URI.create(RABBITMQ), null, name, "BenchIn"),
					new Sender(() -> new RabbitMqEventBridge(URI.create(RABBITMQ), name, null, "BenchOut")));
			default -> throw new IllegalArgumentException("unknown bridge " + kind);
		};
	}

	private static void cleanUp(String kind, String id, Path dir) throws IOException {
		String name = "bubus_bench_" + id;
		try {
			if (kind.equals("postgres")) {
				URI uri = URI.create(POSTGRES);
				String user = (uri.getUserInfo() != null) ? uri.getUserInfo().split(":")[0] : "postgres";
				try (Connection connection = DriverManager.getConnection(
						"jdbc:postgresql://" + uri.getHost() + ":" + uri.getPort() + uri.getPath() + "?user=" + user);
						Statement drop = connection.createStatement()) {
					drop.execute("DROP TABLE IF EXISTS \"" + name + "\"");
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
			case "postgres" -> "durable, once per listener (catch-up after reconnect)";
			case "rabbitmq" -> "durable, at least once (confirms + acks)";
			case "nats" -> "at most once (core NATS)";
			case "redis" -> "at most once (pub/sub)";
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
			case "nats" -> "jnats reconnect every 250 ms; sends buffered (8 MB)";
			case "rabbitmq" -> "automatic recovery every 1 s; sends retried 30 s";
			case "http" -> "one request per event; send fails while the listener is down";
			default -> "one connection per event; send fails while the listener is down";
		};
	}

}
