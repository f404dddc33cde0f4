package io.bubus.bridge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import io.bubus.BaseEvent;
import io.bubus.DynamicEvent;
import org.awaitility.core.ConditionTimeoutException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A server process of the test's own, on a free loopback port with its data in a
 * directory of its own, so that a test can really stop and start it while other test runs
 * go on using the machine's shared services. {@link #stop()} returns once the process has
 * exited and the port refuses connections, {@link #start()} once it answers again; the
 * data (JetStream store, Redis append-only file, RabbitMQ node, PostgreSQL cluster)
 * survives. Registered as an extension ({@link #of}), it starts before the test class and
 * is closed after it: stopped, its directory deleted.
 * <p>
 * {@link #sendThroughRestart} is the broker-restart test of the networked durable
 * bridges.
 */
public final class PrivateServer implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

	/** Events sent while the server is down. */
	public static final int WHILE_DOWN = 300;

	/** How long the server stays down once those were sent. */
	public static final Duration DOWN_FOR = Duration.ofSeconds(2);

	private static final Duration WAIT = Duration.ofSeconds(60);

	/** Events sent and not yet handled that the sender lets pile up. */
	private static final int MAX_LAG = 1_000;

	private static final String POSTGRES_BIN = "/usr/lib/postgresql/15/bin/";

	/** The servers this can run. */
	public enum Kind {

		/** {@code nats-server -js}, the store in the directory. */
		NATS("/usr/sbin/nats-server"),

		/** {@code redis-server} with an append-only file. */
		REDIS("/usr/bin/redis-server"),

		/** A RabbitMQ node of its own ({@code rabbitmq-server -detached}). */
		RABBITMQ("/usr/sbin/rabbitmq-server"),

		/** A PostgreSQL 15 cluster of its own, run as the {@code postgres} user. */
		POSTGRES(POSTGRES_BIN + "pg_ctl");

		private final String binary;

		Kind(String binary) {
			this.binary = binary;
		}

	}

	private final Kind kind;

	private @Nullable Path dir;

	private int port;

	private int distributionPort;

	private @Nullable Process process;

	private PrivateServer(Kind kind) {
		this.kind = kind;
	}

	/**
	 * A server of this kind for the test class, registered with
	 * {@code @RegisterExtension static final PrivateServer server = PrivateServer.of(...)}:
	 * started before its tests (which are skipped, with the reason, when the binary is
	 * not installed) and closed after them, also when they fail.
	 * @param kind the server
	 * @return the server, not yet started
	 */
	public static PrivateServer of(Kind kind) {
		return new PrivateServer(kind);
	}

	@Override
	public void beforeAll(ExtensionContext context) throws IOException {
		assumeTrue(Files.isExecutable(Path.of(this.kind.binary)), this.kind + " restart test needs " + this.kind.binary
				+ " (see shared/SERVICES.md); not installed here");
		// readable by the users the servers run as (postgres, rabbitmq)
		this.dir = Files.createTempDirectory("bubus-" + this.kind.name().toLowerCase() + "-",
				PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxrwxrwx")));
		Files.setPosixFilePermissions(dir(), PosixFilePermissions.fromString("rwxrwxrwx"));
		this.port = freePort();
		this.distributionPort = freePort();
		if (this.kind == Kind.POSTGRES) {
			run(List.of("runuser", "-u", "postgres", "--", POSTGRES_BIN + "initdb", "-D", data().toString(), "-A",
					"trust", "-U", "postgres", "--no-sync"));
		}
		if (this.kind == Kind.RABBITMQ) {
			Files.writeString(dir().resolve("plugins"), "[].\n");
			Files.writeString(dir().resolve("rabbitmq.conf"), "listeners.tcp.local = 127.0.0.1:" + this.port + "\n");
		}
		start();
	}

	@Override
	public void afterAll(ExtensionContext context) {
		if (this.dir != null) {
			close();
		}
	}

	/** The port clients connect to. */
	public int port() {
		return this.port;
	}

	/** Starts the server and returns once its port answers. */
	public void start() throws IOException {
		switch (this.kind) {
			case NATS -> this.process = spawn(List.of(this.kind.binary, "-a", "127.0.0.1", "-p",
					String.valueOf(this.port), "-js", "-sd", dir().resolve("jetstream").toString()));
			case REDIS -> this.process = spawn(List.of(this.kind.binary, "--port", String.valueOf(this.port), "--bind",
					"127.0.0.1", "--dir", dir().toString(), "--appendonly", "yes", "--save", ""));
			case RABBITMQ -> run(List.of(this.kind.binary, "-detached"));
			case POSTGRES -> run(List.of("runuser", "-u", "postgres", "--", this.kind.binary, "-D", data().toString(),
					"-l", dir().resolve("postgres.log").toString(), "-w", "-t", "60", "-o",
					"-p " + this.port + " -k " + dir() + " -c listen_addresses=127.0.0.1", "start"));
		}
		await().atMost(WAIT)
			.pollInterval(Duration.ofMillis(50))
			.until(() -> answers() || (this.process != null && !this.process.isAlive()));
		assertThat(answers()).as(this.kind + " answers on port " + this.port + " (log in " + dir() + ")").isTrue();
	}

	/** Stops the server (a normal shutdown) and returns once it has exited. */
	public void stop() throws IOException {
		switch (this.kind) {
			case NATS, REDIS -> {
				Process running = this.process;
				if (running != null) {
					running.destroy();
					try {
						if (!running.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)) {
							running.destroyForcibly().waitFor(WAIT.toSeconds(), TimeUnit.SECONDS);
						}
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
						running.destroyForcibly();
					}
					this.process = null;
				}
			}
			case RABBITMQ -> run(List.of("rabbitmqctl", "-n", node(), "stop"));
			case POSTGRES -> run(List.of("runuser", "-u", "postgres", "--", this.kind.binary, "-D", data().toString(),
					"-m", "fast", "-w", "-t", "60", "stop"));
		}
		await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> !answers());
	}

	/** Stops the server, deletes its data and leaves nothing running. */
	@Override
	public void close() {
		try {
			if (answers() || this.process != null) {
				stop();
			}
		}
		catch (IOException | RuntimeException | AssertionError ex) {
			System.out.println(this.kind + " on port " + this.port + " did not stop cleanly: " + ex);
		}
		try (Stream<Path> files = Files.walk(dir())) {
			files.sorted(Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
		}
		catch (IOException ex) {
			// left in /tmp
		}
		this.dir = null;
	}

	/**
	 * The broker-restart test: sends {@code events} notes {@code e0 …} with
	 * {@link EventBridge#emitAsync}, letting the receiving instances fall behind by at
	 * most 1,000. Once they have handled a third, the server is stopped with those events
	 * on the way and the sender holds back; {@value #WHILE_DOWN} are sent once it is down
	 * (each from a thread of its own, as concurrent callers would, since a send without
	 * batching waits for the server), it stays down {@link #DOWN_FOR} more and is started
	 * again, and the sender sends the rest. Then it sends again, as an application would,
	 * each event whose future failed (the same event: the same id), and asserts that
	 * every event was handled, none twice by one instance; that what was handled again
	 * (by another instance) are only events handled before every instance was back, or
	 * sent again, in at most {@code repeatsAtMost} extra handlings; and that every
	 * instance handled events after the restart.
	 * @param sender the bridge the test sends with
	 * @param instances the receiving bridges, counted by the tally
	 * @param tally what they handled
	 * @param events how many to send
	 * @param repeatsAtMost extra handlings the contract allows: of events whose
	 * acknowledgement the restart lost, and of those stored twice (sent again)
	 * @return the figures
	 * @throws Exception when the server cannot be stopped or started
	 */
	public Restart sendThroughRestart(EventBridge sender, List<? extends EventBridge> instances, Tally tally,
			int events, int repeatsAtMost) throws Exception {
		BaseEvent<?>[] notes = new BaseEvent<?>[events];
		List<CompletableFuture<BaseEvent<?>>> sends = new ArrayList<>(
				Collections.nCopies(events, CompletableFuture.completedFuture(null)));
		AtomicInteger next = new AtomicInteger();
		AtomicBoolean paused = new AtomicBoolean();
		List<Tally> each = new ArrayList<>();
		for (EventBridge instance : instances) {
			each.add(new Tally());
			each.get(each.size() - 1).count(instance);
		}
		CompletableFuture<Set<Object>> beforeBack = new CompletableFuture<>();
		try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
			CompletableFuture<Restart> restart = CompletableFuture.supplyAsync(() -> {
				await().atMost(WAIT).until(() -> tally.distinct() >= events / 3);
				// the sender holds back from now on until the server is back
				paused.set(true);
				int inFlight = next.get() - tally.distinct();
				long start = System.nanoTime();
				stopOrFail();
				int whileDown = 0;
				for (int i; whileDown < WHILE_DOWN && (i = next.getAndIncrement()) < events; whileDown++) {
					BaseEvent<?> note = BridgeTesting.note("e" + i);
					notes[i] = note;
					sends.set(i, CompletableFuture.supplyAsync(() -> sender.emitAsync(note), callers)
						.thenCompose((future) -> future));
				}
				CompletableFuture.runAsync(() -> {
				}, CompletableFuture.delayedExecutor(DOWN_FOR.toMillis(), TimeUnit.MILLISECONDS)).join();
				long[] atRestart = instances.stream().mapToLong(EventBridge::receivedMessages).toArray();
				startOrFail();
				paused.set(false);
				Duration down = Duration.ofNanos(System.nanoTime() - start);
				// what was handled before every instance was back: the events whose
				// acknowledgement the restart may have lost
				try {
					await().atMost(WAIT).until(() -> resumed(instances, atRestart));
				}
				catch (ConditionTimeoutException ex) {
					throw new AssertionError("not every instance handled events within " + WAIT
							+ " of the restart: handled at the restart " + Arrays.toString(atRestart) + ", now "
							+ Arrays.toString(instances.stream().mapToLong(EventBridge::receivedMessages).toArray()),
							ex);
				}
				beforeBack.complete(tally.labels());
				return new Restart(inFlight, whileDown, 0, 0, 0, 0, down);
			}, callers);
			for (int i; (i = next.getAndIncrement()) < events;) {
				if (paused.get()) {
					await().atMost(2 * WAIT.toSeconds(), TimeUnit.SECONDS)
						.until(() -> !paused.get() || restart.isDone());
				}
				int atLeast = i - MAX_LAG;
				if (tally.distinct() < atLeast) {
					await().atMost(WAIT).until(() -> tally.distinct() >= atLeast || restart.isCompletedExceptionally());
				}
				notes[i] = BridgeTesting.note("e" + i);
				sends.set(i, emitAsync(sender, notes[i]));
			}
			Restart measured = restart.get(2 * WAIT.toSeconds(), TimeUnit.SECONDS);
			// settles once every send was done or failed
			CompletableFuture
				.allOf(sends.stream().map((send) -> send.handle((ok, ex) -> ok)).toArray(CompletableFuture[]::new))
				.get(2 * WAIT.toSeconds(), TimeUnit.SECONDS);
			List<BaseEvent<?>> failed = new ArrayList<>();
			for (int i = 0; i < events; i++) {
				if (sends.get(i).isCompletedExceptionally()) {
					failed.add(notes[i]);
				}
			}
			List<CompletableFuture<BaseEvent<?>>> resent = failed.stream()
				.map((note) -> emitAsync(sender, note))
				.toList();
			assertThat(CompletableFuture.allOf(resent.toArray(CompletableFuture[]::new)))
				.as("sent again after the restart")
				.succeedsWithin(WAIT);
			assertThat(sender.flush()).succeedsWithin(WAIT);
			await().atMost(Duration.ofSeconds(120)).until(() -> tally.distinct() == events);
			assertThat(tally.missing(events)).as("lost").isEmpty();
			for (int k = 0; k < each.size(); k++) {
				assertThat(each.get(k).repeated()).as("handled twice by instance " + k).isEmpty();
			}
			List<Object> again = tally.repeated();
			Set<Object> mayRepeat = new HashSet<>(beforeBack.get());
			failed.forEach((note) -> mayRepeat.add(((DynamicEvent) note).get("label")));
			assertThat(again).as("handled again: only events handled before the instances were back, or sent again")
				.isSubsetOf(mayRepeat);
			int extra = tally.total() - events;
			assertThat(extra).as("handlings beyond one per event").isLessThanOrEqualTo(repeatsAtMost);
			long suppressed = instances.stream().mapToLong(EventBridge::duplicateMessages).sum();
			return new Restart(measured.inFlight(), measured.sentWhileDown(), failed.size(), again.size(), extra,
					suppressed, measured.down());
		}
	}

	private void stopOrFail() {
		try {
			stop();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private void startOrFail() {
		try {
			start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static boolean resumed(List<? extends EventBridge> instances, long[] atRestart) {
		for (int k = 0; k < instances.size(); k++) {
			if (instances.get(k).receivedMessages() <= atRestart[k]) {
				return false;
			}
		}
		return true;
	}

	private static CompletableFuture<BaseEvent<?>> emitAsync(EventBridge sender, BaseEvent<?> note) {
		try {
			return sender.emitAsync(note);
		}
		catch (BridgeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	/**
	 * What one restart run measured.
	 *
	 * @param inFlight events sent and not yet handled when the server was being stopped
	 * @param sentWhileDown events sent while the server was down
	 * @param failed sends that failed back to the caller, and were sent again
	 * @param handledAgain events handled more than once in total (each by another
	 * instance)
	 * @param extra handlings beyond one per event
	 * @param suppressed deliveries the instances recognised as duplicates
	 * @param down how long the server was away
	 */
	public record Restart(int inFlight, int sentWhileDown, int failed, int handledAgain, int extra, long suppressed,
			Duration down) {

		/** The figures, for the printed line. */
		public String describe() {
			return this.inFlight + " events sent and not yet handled at the stop, server down " + this.down.toMillis()
					+ " ms, " + this.sentWhileDown + " sent meanwhile, " + this.failed
					+ " failed back to the caller and sent again; 0 lost, none twice by one instance; handled again "
					+ this.handledAgain + " (" + this.extra + " extra handlings), duplicate deliveries suppressed "
					+ this.suppressed;
		}

	}

	private boolean answers() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", this.port), 500);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private Path dir() {
		Path dir = this.dir;
		if (dir == null) {
			throw new IllegalStateException(this.kind + " was not started");
		}
		return dir;
	}

	private Path data() {
		return dir().resolve("data");
	}

	private String node() {
		return "bubus-restart-" + this.port + "@localhost";
	}

	private Process spawn(List<String> command) throws IOException {
		return new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(dir().resolve("server.log").toFile()))
			.start();
	}

	/** Runs a control command to its end (bounded), failing on a non-zero exit. */
	private void run(List<String> command) throws IOException {
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(dir().resolve("control.log").toFile()));
		if (this.kind == Kind.RABBITMQ) {
			Map<String, String> env = builder.environment();
			env.put("RABBITMQ_NODENAME", node());
			env.put("RABBITMQ_NODE_PORT", String.valueOf(this.port));
			env.put("RABBITMQ_DIST_PORT", String.valueOf(this.distributionPort));
			env.put("RABBITMQ_CONFIG_FILE", dir().resolve("rabbitmq.conf").toString());
			env.put("RABBITMQ_MNESIA_BASE", dir().resolve("mnesia").toString());
			env.put("RABBITMQ_LOG_BASE", dir().resolve("log").toString());
			env.put("RABBITMQ_ENABLED_PLUGINS_FILE", dir().resolve("plugins").toString());
		}
		Process control = builder.start();
		try {
			if (!control.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)) {
				control.destroyForcibly();
				throw new IOException(command.get(0) + " did not finish within " + WAIT + " (see " + dir() + ")");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("interrupted", ex);
		}
		if (control.exitValue() != 0) {
			throw new IOException(String.join(" ", command) + " exited with " + control.exitValue() + ": "
					+ Files.readString(dir().resolve("control.log")));
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

}
