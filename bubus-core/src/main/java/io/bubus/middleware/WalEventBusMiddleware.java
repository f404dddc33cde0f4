package io.bubus.middleware;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

import io.bubus.BaseEvent;
import io.bubus.EventBus;
import io.bubus.EventBusMiddleware;
import io.bubus.EventStatus;
import io.bubus.json.BubusJson;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A write-ahead log of one bus's events in a JSON Lines file, and recovery from it.
 *
 * <h2>What is written</h2> One line per event when the bus accepts it ({@code pending},
 * written before the event is queued, so before any handler can run) and one line when it
 * completes on the bus. Each line is the event's bubus JSON without
 * {@code event_results}, so its {@code event_status} tells the two apart: readers that
 * only want finished events (as the Python WAL holds) keep the {@code completed} lines.
 * The file is append-only; it is never rewritten or compacted by the bus.
 *
 * <h2>Durability</h2> Every line is handed to the operating system with one {@code write}
 * before the hook returns, so a killed or crashed JVM loses nothing it reported. With
 * {@code fsync = true} each line is also forced to the disk ({@link FileChannel#force}),
 * which survives a power loss or kernel crash too, at the cost of one disk flush per line
 * (typically 0.1 to 10 ms). The default is no fsync. Write failures are logged, never
 * thrown into the bus.
 *
 * <h2>Recovery</h2> Call {@link #replay(EventBus)} once at startup, after building the
 * bus and registering its handlers and before emitting new events: every event with an
 * accepted line and no completed line is emitted again, with its original id and payload,
 * so it completes (and is logged completed) exactly once. Handlers of events that were
 * running when the process died run again: handlers should be idempotent.
 *
 * {@snippet :
 * WalEventBusMiddleware wal = new WalEventBusMiddleware(Path.of("data/orders.wal.jsonl"));
 * EventBus bus = EventBus.builder("Orders").middleware(wal).build();
 * bus.on(OrderPlaced.class, this::ship);
 * wal.replay(bus);     // finishes what the last run accepted but never completed
 * }
 *
 * Use one file per bus. A line torn by a crash in the middle of a write is skipped on
 * replay, and the next line written starts on a fresh line.
 */
public final class WalEventBusMiddleware implements EventBusMiddleware, AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(WalEventBusMiddleware.class);

	private final Path path;

	private final boolean fsync;

	private final ReentrantLock lock = new ReentrantLock();

	private final AtomicBoolean replayed = new AtomicBoolean();

	private @Nullable FileChannel channel;

	/** A log at this path, without fsync; parent directories are created. */
	public WalEventBusMiddleware(Path path) {
		this(path, false);
	}

	/**
	 * A log at this path; parent directories are created.
	 * @param fsync force every line to the disk (survives power loss, slower)
	 */
	public WalEventBusMiddleware(Path path, boolean fsync) {
		this.path = path.toAbsolutePath();
		this.fsync = fsync;
		try {
			Path parent = this.path.getParent();
			if (parent != null) {
				Files.createDirectories(parent);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot create the directory of the WAL " + this.path, ex);
		}
	}

	/** The log file. */
	public Path path() {
		return this.path;
	}

	@Override
	public void onEventChange(EventBus bus, BaseEvent<?> event, EventStatus status) {
		if (status == EventStatus.STARTED) {
			return;
		}
		append(EventSnapshots.withoutResults(event));
	}

	private void append(String json) {
		ByteBuffer line = ByteBuffer.wrap((json + "\n").getBytes(StandardCharsets.UTF_8));
		this.lock.lock();
		try {
			FileChannel out = open();
			while (line.hasRemaining()) {
				out.write(line);
			}
			if (this.fsync) {
				out.force(false);
			}
		}
		catch (IOException ex) {
			log.warn("Could not append to the WAL {}: {}", this.path, ex.getMessage(), ex);
		}
		finally {
			this.lock.unlock();
		}
	}

	private FileChannel open() throws IOException {
		FileChannel out = this.channel;
		if (out != null && out.isOpen()) {
			return out;
		}
		boolean tornTail = endsMidLine();
		out = FileChannel.open(this.path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
				StandardOpenOption.APPEND);
		if (tornTail) {
			// a process killed mid-write left half a line: start on a fresh one
			out.write(ByteBuffer.wrap(new byte[] { '\n' }));
		}
		this.channel = out;
		return out;
	}

	private boolean endsMidLine() throws IOException {
		if (!Files.exists(this.path)) {
			return false;
		}
		try (FileChannel in = FileChannel.open(this.path, StandardOpenOption.READ)) {
			long size = in.size();
			if (size == 0) {
				return false;
			}
			ByteBuffer last = ByteBuffer.allocate(1);
			in.read(last, size - 1);
			return last.get(0) != '\n';
		}
	}

	/**
	 * Emits again, on this bus, every event the log shows as accepted but never
	 * completed, in the order they were first accepted, and returns them. Each keeps its
	 * id, payload, parent and the buses it passed before this one; its status, timestamps
	 * and results start over. Runs once per middleware instance.
	 * @throws IllegalStateException when called a second time (events replayed the first
	 * time may still be running and would run twice)
	 * @throws UncheckedIOException when the log cannot be read
	 */
	public List<BaseEvent<?>> replay(EventBus bus) {
		if (!this.replayed.compareAndSet(false, true)) {
			throw new IllegalStateException(
					"WAL " + this.path + " was already replayed; replay(bus) runs once, at startup");
		}
		Map<String, ObjectNode> unfinished = readUnfinished();
		List<BaseEvent<?>> emitted = new ArrayList<>(unfinished.size());
		for (ObjectNode line : unfinished.values()) {
			try {
				emitted.add(bus.emit(BaseEvent.fromJson(BubusJson.MAPPER.writeValueAsString(asAccepted(line)))));
			}
			catch (IllegalArgumentException ex) {
				log.warn("WAL {}: cannot replay event {}: {}", this.path, line.path("event_id").asString(),
						ex.getMessage());
			}
		}
		if (!emitted.isEmpty()) {
			log.info("WAL {}: replayed {} accepted but unfinished event(s) on {}", this.path, emitted.size(),
					bus.label());
		}
		return emitted;
	}

	/** Accepted lines (first one per id) of the events with no completed line. */
	private Map<String, ObjectNode> readUnfinished() {
		Map<String, ObjectNode> accepted = new LinkedHashMap<>();
		Set<String> completed = new HashSet<>();
		if (!Files.exists(this.path)) {
			return accepted;
		}
		try (BufferedReader reader = Files.newBufferedReader(this.path, StandardCharsets.UTF_8)) {
			int number = 0;
			for (String text; (text = reader.readLine()) != null;) {
				number++;
				ObjectNode line = parse(text, number);
				if (line == null) {
					continue;
				}
				String id = line.path("event_id").asString();
				if (EventStatus.COMPLETED.wireValue().equals(line.path("event_status").asString())) {
					completed.add(id);
				}
				else {
					accepted.putIfAbsent(id, line);
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read the WAL " + this.path, ex);
		}
		accepted.keySet().removeAll(completed);
		return accepted;
	}

	private @Nullable ObjectNode parse(String text, int number) {
		if (text.isBlank()) {
			return null;
		}
		try {
			JsonNode node = BubusJson.MAPPER.readTree(text);
			if (node instanceof ObjectNode object && object.hasNonNull("event_id")) {
				return object;
			}
		}
		catch (JacksonException ex) {
			// fall through: a line torn by a crash
		}
		log.warn("WAL {}: skipping malformed line {}", this.path, number);
		return null;
	}

	/**
	 * The line as an event this bus has not taken yet: pending, no timestamps or results,
	 * and without the last path entry, which is the bus that wrote it (a bus ignores
	 * events whose path already names it).
	 */
	private static ObjectNode asAccepted(ObjectNode line) {
		ObjectNode copy = line.deepCopy();
		copy.put("event_status", EventStatus.PENDING.wireValue());
		copy.putNull("event_started_at");
		copy.putNull("event_completed_at");
		copy.put("event_pending_bus_count", 0);
		copy.remove("event_results");
		JsonNode path = copy.get("event_path");
		if (path instanceof ArrayNode labels && !labels.isEmpty()) {
			labels.remove(labels.size() - 1);
		}
		return copy;
	}

	/** Closes the file; a later hook opens it again. */
	@Override
	public void close() {
		this.lock.lock();
		try {
			FileChannel out = this.channel;
			this.channel = null;
			if (out != null) {
				out.close();
			}
		}
		catch (IOException ex) {
			log.warn("Could not close the WAL {}: {}", this.path, ex.getMessage());
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public String toString() {
		return "WalEventBusMiddleware[" + this.path + "]";
	}

}
