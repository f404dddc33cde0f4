package io.bubus.bridge;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.bubus.BaseEvent;
import io.bubus.DynamicEvent;
import io.bubus.EventBus;
import io.bubus.EventHandlerFunction;
import org.jspecify.annotations.Nullable;

import static io.bubus.bridge.BridgeTesting.labels;
import static io.bubus.bridge.BridgeTesting.note;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code kill -9} test of a receiving JVM, for every durable bridge: a child JVM
 * receives the test's events and records each one it handled; it is killed with
 * {@link Process#destroyForcibly()} once it has handled {@value #KILL_AT} while events
 * still flow, {@value #WHILE_DOWN} more are sent while it is down, and a new child JVM
 * with the same identity (the same arguments: queue, group, durable, consumer, position
 * file) receives the rest and what the first did not finish. Nothing may be lost, each
 * child handles an event once, and what both handled is only what the bridge's contract
 * lets run again: events not acknowledged at the kill ({@link #repeatsAtMost}), or those
 * after the read position stored at the kill ({@link #resumesAfterStoredPosition}).
 * <p>
 * The child runs {@link Child#main} on the test's class path: it creates its bridge with
 * the {@link Receiver} class the test names, appends the label of each {@code Note} it
 * handles to a file (one unbuffered write at the end of the handler, so the record
 * survives the kill), and writes a ready file once listening.
 */
public final class KilledReceiver {

	/** Events sent in all. */
	public static final int EVENTS = 10_000;

	/** Events the first child has handled when it is killed. */
	public static final int KILL_AT = 3_000;

	/** Events sent while no child runs. */
	public static final int WHILE_DOWN = 4_000;

	/** How often the children store their read position. */
	public static final Duration SAVE_INTERVAL = Duration.ofMillis(250);

	/** Events sent and not yet handled that the sender lets pile up before the kill. */
	private static final int MAX_LAG = 1_000;

	private static final int ROUND = 100;

	private static final Duration WAIT = Duration.ofSeconds(60);

	private static final Pattern LABEL = Pattern.compile("\"label\":\"(e\\d+)\"");

	private final Path dir;

	private final Class<? extends Receiver> receiver;

	private final List<String> args;

	private int window = -1;

	private @Nullable StoredLabels labelsUpTo;

	private @Nullable Callable<Boolean> settled;

	private final List<Process> children = new ArrayList<>();

	private KilledReceiver(Path dir, Class<? extends Receiver> receiver, List<String> args) {
		this.dir = dir;
		this.receiver = receiver;
		this.args = args;
	}

	/**
	 * A run whose child JVMs create their bridge with a new instance of this class, given
	 * these arguments.
	 * @param dir a directory for the children's records
	 * @param receiver a class with a no-argument constructor
	 * @param args what the receiver needs: server, queue, group ...
	 * @return the run, to be told the bridge's contract
	 */
	public static KilledReceiver of(Path dir, Class<? extends Receiver> receiver, String... args) {
		return new KilledReceiver(dir, receiver, List.of(args));
	}

	/**
	 * The contract of an acknowledging bridge: what runs again is what the killed child
	 * had handled and not acknowledged, at most {@code window} events, all among the last
	 * {@code window} it handled.
	 * @param window the events in flight and acknowledgements on their way, at most
	 * @return this run
	 */
	public KilledReceiver repeatsAtMost(int window) {
		this.window = window;
		return this;
	}

	/**
	 * The contract of a bridge resumed from a stored read position: each child keeps its
	 * position with a {@link BridgeReadPosition} in the same file, saved every
	 * {@link #SAVE_INTERVAL}; the restarted child handles exactly the events after the
	 * position stored at the kill, so what runs again is what the killed one handled
	 * after its last save.
	 * @param labelsUpTo the labels of the events at or before a position
	 * @return this run
	 */
	public KilledReceiver resumesAfterStoredPosition(StoredLabels labelsUpTo) {
		this.labelsUpTo = labelsUpTo;
		return this;
	}

	/**
	 * What tells that the transport holds nothing unsettled any more (no claim, no
	 * pending entry, an empty queue), awaited once every event was handled, before the
	 * figures are taken.
	 * @param settled true once settled
	 * @return this run
	 */
	public KilledReceiver settledWhen(Callable<Boolean> settled) {
		this.settled = settled;
		return this;
	}

	/**
	 * Runs the test over this sender, asserts the contract and prints the figures.
	 * @param name the bridge and mode, for the printed line
	 * @param sender the bridge the test sends with
	 * @return the figures
	 * @throws Exception when a child cannot be started or waited for
	 */
	public Figures run(String name, EventBridge sender) throws Exception {
		if ((this.window < 0) == (this.labelsUpTo == null)) {
			throw new IllegalStateException("tell the contract: repeatsAtMost or resumesAfterStoredPosition");
		}
		try {
			return runChecked(name, sender);
		}
		catch (AssertionError | RuntimeException ex) {
			printChildLogs();
			throw ex;
		}
		finally {
			this.children.forEach(Process::destroyForcibly);
		}
	}

	private Figures runChecked(String name, EventBridge sender) throws Exception {
		Process first = start(1);
		AtomicBoolean killed = new AtomicBoolean();
		CompletableFuture<Integer> sending = CompletableFuture.supplyAsync(() -> sendUntil(sender, killed));
		await().atMost(WAIT)
			.pollInterval(Duration.ofMillis(10))
			.until(() -> handled(1).size() >= KILL_AT || sending.isDone());
		first.destroyForcibly();
		assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
		killed.set(true);
		int sent = sending.get(60, TimeUnit.SECONDS);
		int sentAtKill = sent;
		sent = send(sender, sent, WHILE_DOWN);
		assertThat(sender.flush()).succeedsWithin(WAIT);
		Long stored = (this.labelsUpTo != null) ? BridgeReadPosition.stored(position()) : null;
		start(2);
		send(sender, sent, EVENTS - sent);
		assertThat(sender.flush()).succeedsWithin(WAIT);
		assertThat(sender.failedSends()).isZero();
		await().atMost(Duration.ofSeconds(120))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> missing(handled(1), handled(2)).isEmpty());
		if (this.settled != null) {
			await().atMost(WAIT).until(this.settled);
		}
		Figures figures = new Figures(sentAtKill, handled(1), handled(2), stored);
		check(figures);
		System.out.println(name + " kill -9: " + sentAtKill + " sent at the kill, the killed receiver handled "
				+ figures.first().size() + ", the restarted one " + figures.second().size() + "; handled twice "
				+ figures.repeated().size()
				+ ((stored != null) ? " (after the stored position " + stored + ")" : " (not acknowledged)"));
		return figures;
	}

	private void check(Figures figures) throws Exception {
		assertThat(missing(figures.first(), figures.second())).as("lost").isEmpty();
		assertThat(twice(figures.first())).as("handled twice by the killed receiver").isEmpty();
		assertThat(twice(figures.second())).as("handled twice by the restarted receiver").isEmpty();
		assertThat(figures.first().size()).as("killed while events were on the way").isLessThan(figures.sentAtKill());
		if (this.labelsUpTo == null) {
			List<String> first = figures.first();
			List<String> last = first.subList(Math.max(0, first.size() - this.window), first.size());
			assertThat(figures.repeated()).as("handled again: only events not acknowledged at the kill")
				.hasSizeLessThanOrEqualTo(this.window)
				.isSubsetOf(last);
			return;
		}
		assertThat(figures.storedAtKill()).as("a read position stored before the kill").isNotNull();
		Set<String> upTo = new HashSet<>(this.labelsUpTo.upTo(figures.storedAtKill()));
		Set<String> second = new HashSet<>(figures.second());
		Set<String> first = new HashSet<>(figures.first());
		assertThat(upTo.stream().filter((label) -> !first.contains(label)).toList())
			.as("passed by the stored position, not handled before the kill")
			.isEmpty();
		assertThat(second.stream().filter(upTo::contains).toList())
			.as("handled after the restart though the stored position had passed them")
			.isEmpty();
		assertThat(labels(EVENTS).stream().filter((label) -> !upTo.contains(label) && !second.contains(label)).toList())
			.as("after the stored position, not handled after the restart")
			.isEmpty();
	}

	/** Starts child number {@code run} and waits until it listens. */
	private Process start(int run) throws IOException {
		List<String> command = new ArrayList<>(
				List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
						System.getProperty("java.class.path"), Child.class.getName(), this.receiver.getName(),
						handledFile(run).toString(), ready(run).toString(),
						(this.labelsUpTo != null) ? position().toString() : ""));
		command.addAll(this.args);
		Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log(run).toFile()).start();
		this.children.add(child);
		await().atMost(WAIT).until(() -> Files.exists(ready(run)) || !child.isAlive());
		assertThat(child.isAlive()).as("receiver " + run + " started (see its log above)").isTrue();
		return child;
	}

	/**
	 * Sends in rounds until the first child is killed, letting it fall behind by at most
	 * {@link #MAX_LAG}, so that events are on the way when it dies.
	 */
	private int sendUntil(EventBridge sender, AtomicBoolean killed) {
		int sent = 0;
		try {
			while (!killed.get()) {
				assertThat(sent).as("sent before the first receiver handled " + KILL_AT)
					.isLessThan(EVENTS - WHILE_DOWN);
				sent = send(sender, sent, ROUND);
				int atLeast = sent - MAX_LAG;
				if (handled(1).size() < atLeast) {
					await().atMost(WAIT).until(() -> killed.get() || handled(1).size() >= atLeast);
				}
			}
			return sent;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static int send(EventBridge sender, int from, int count) {
		for (int i = from; i < from + count; i++) {
			sender.emit(note("e" + i));
		}
		return from + count;
	}

	/** The labels child {@code run} handled, in order (complete lines only). */
	private List<String> handled(int run) throws IOException {
		Path file = handledFile(run);
		if (!Files.exists(file)) {
			return List.of();
		}
		String text = Files.readString(file);
		return text.substring(0, text.lastIndexOf('\n') + 1).lines().toList();
	}

	private static List<String> missing(List<String> first, List<String> second) {
		Set<String> handled = new HashSet<>(first);
		handled.addAll(second);
		return labels(EVENTS).stream().filter((label) -> !handled.contains(label)).toList();
	}

	private static List<String> twice(List<String> labels) {
		Map<String, Integer> counts = new HashMap<>();
		labels.forEach((label) -> counts.merge(label, 1, Integer::sum));
		return counts.entrySet().stream().filter((entry) -> entry.getValue() > 1).map(Map.Entry::getKey).toList();
	}

	/**
	 * The labels of the {@code Note} events in this text (stored event JSON, one or
	 * more), in order.
	 * @param json event JSON
	 * @return the labels
	 */
	public static List<String> labelsIn(String json) {
		List<String> found = new ArrayList<>();
		Matcher matcher = LABEL.matcher(json);
		while (matcher.find()) {
			found.add(matcher.group(1));
		}
		return found;
	}

	/**
	 * The labels of the {@code Note} events in the first column of the rows this query
	 * selects for a position (its one parameter).
	 * @param jdbcUrl the database
	 * @param sql a query selecting the stored event JSON of the rows up to a position
	 * @param position the position
	 * @return the labels
	 * @throws SQLException when the query fails
	 */
	public static List<String> labelsInRows(String jdbcUrl, String sql, long position) throws SQLException {
		List<String> labels = new ArrayList<>();
		try (Connection connection = DriverManager.getConnection(jdbcUrl);
				PreparedStatement query = connection.prepareStatement(sql)) {
			query.setLong(1, position);
			try (ResultSet rows = query.executeQuery()) {
				while (rows.next()) {
					labels.addAll(labelsIn(rows.getString(1)));
				}
			}
		}
		return labels;
	}

	private void printChildLogs() {
		for (int run = 1; run <= this.children.size(); run++) {
			try {
				List<String> lines = Files.readAllLines(log(run));
				System.out.println("receiver " + run + " log (last lines):");
				lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(System.out::println);
			}
			catch (IOException ex) {
				System.out.println("receiver " + run + " log: " + ex);
			}
		}
	}

	private Path handledFile(int run) {
		return this.dir.resolve("handled-" + run + ".txt");
	}

	private Path ready(int run) {
		return this.dir.resolve("ready-" + run);
	}

	private Path log(int run) {
		return this.dir.resolve("receiver-" + run + ".log");
	}

	private Path position() {
		return this.dir.resolve("receiver.position");
	}

	/**
	 * What one run measured.
	 *
	 * @param sentAtKill events sent when the first child was killed
	 * @param first the labels the killed child handled, in order
	 * @param second the labels the restarted child handled, in order
	 * @param storedAtKill the read position stored at the kill, or {@code null}
	 */
	public record Figures(int sentAtKill, List<String> first, List<String> second, @Nullable Long storedAtKill) {

		/** The labels both children handled. */
		public List<String> repeated() {
			Set<String> again = new HashSet<>(this.second);
			return this.first.stream().filter(again::contains).toList();
		}

	}

	/** Reads the labels of the events at or before a read position from the transport. */
	public interface StoredLabels {

		/**
		 * The labels.
		 * @param position a position the bridge reported
		 * @return the labels of the events the position has passed
		 * @throws Exception when the transport cannot be read
		 */
		Collection<String> upTo(long position) throws Exception;

	}

	/**
	 * Creates the child's listening bridge; a class with a public no-argument
	 * constructor.
	 */
	public interface Receiver {

		/**
		 * The bridge, not yet listening.
		 * @param args the arguments the test gave {@link KilledReceiver#of}
		 * @return the bridge
		 */
		EventBridge create(List<String> args);

	}

	/**
	 * The receiving JVM. Arguments: the {@link Receiver} class, the file of handled
	 * labels, the ready file, the position file (empty: none), the receiver's arguments.
	 * Runs until killed (at most 120 s).
	 */
	public static final class Child {

		private Child() {
		}

		public static void main(String[] args) throws Exception {
			Constructor<?> constructor = Class.forName(args[0]).getDeclaredConstructor();
			constructor.setAccessible(true);
			Receiver receiver = (Receiver) constructor.newInstance();
			EventBridge bridge = receiver.create(List.of(args).subList(4, args.length));
			try (FileOutputStream out = new FileOutputStream(args[1], true)) {
				Object lock = new Object();
				EventHandlerFunction<BaseEvent<?>> record = (event) -> {
					byte[] line = (((DynamicEvent) event).get("label") + "\n").getBytes(StandardCharsets.UTF_8);
					synchronized (lock) {
						try {
							out.write(line);
						}
						catch (IOException ex) {
							throw new UncheckedIOException(ex);
						}
					}
					return null;
				};
				if (args[3].isEmpty()) {
					bridge.on("Note", record);
				}
				else {
					EventBus bus = EventBus.builder("KilledReceiverApp").maxHistorySize(0).build();
					BridgeReadPosition.resume((ResumableBridge) bridge, Path.of(args[3]), bus, SAVE_INTERVAL);
					bus.on("Note", record);
					bridge.on("*", bus::emit);
				}
				Files.writeString(Path.of(args[2]), "listening");
				new CountDownLatch(1).await(120, TimeUnit.SECONDS);
			}
			System.exit(0);
		}

	}

}
