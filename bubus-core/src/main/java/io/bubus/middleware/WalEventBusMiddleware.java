package io.bubus.middleware;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import io.bubus.BaseEvent;
import io.bubus.EventBus;
import io.bubus.EventBusMiddleware;
import io.bubus.EventHandler;
import io.bubus.EventHandlerAbortedException;
import io.bubus.EventHandlerCancelledException;
import io.bubus.EventResult;
import io.bubus.EventStatus;
import io.bubus.ResultStatus;
import io.bubus.internal.Timestamps;
import io.bubus.json.BubusJson;
import io.bubus.middleware.WalState.Entry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A write-ahead log of one bus's events in a JSON Lines file, and exactly-once recovery
 * from it: after a crash, every handler that had not finished runs once, every handler
 * that had finished does not run again, children included.
 *
 * <h2>What is written</h2> Three kinds of line, each one {@code write}:
 * <ul>
 * <li>the event's bubus JSON without {@code event_results} when the bus accepts it
 * ({@code "event_status":"pending"}, before it is queued, so before any handler runs) and
 * when it completes on the bus ({@code "completed"}); readers that want finished events
 * (as the Python WAL holds) keep the {@code completed} lines;</li>
 * <li>{@code {"wal_record":"result","event_id":..,"handler_key":..,"row":{..}}} when a
 * handler finishes (its result row: status, result or error, timestamps);</li>
 * <li>{@code {"wal_record":"handler","handler_id":..,"handler_key":..}} the first time a
 * handler of this run emits a child: the key names the handler across runs (bus name,
 * pattern, handler name, position among equal ones), where its id cannot.</li>
 * </ul>
 * A row ended by {@link EventBus#stop()} (aborted or cancelled while the bus stopped) is
 * not written, nor is the completed line of its event: that work did not finish, so it is
 * replayed.
 *
 * <h2>Recovery</h2> Call {@link #replay(EventBus)} once at startup, after building the
 * bus and registering its handlers and before emitting new events. An unfinished event is
 * emitted again with its id and payload and the rows of its finished handlers, so only
 * the unfinished handlers run. A child is not replayed on its own when the handler that
 * emitted it is re-run: that handler emits it again, and the bus gives the new emission
 * the recorded id and finished rows (the n-th event of that type the handler emits is the
 * n-th it emitted before; see {@link #recordedEmission}). So a parent, child and
 * grandchild interrupted anywhere each run their unfinished handlers once, under their
 * first ids. Re-linking a child rather than replaying it on its own is what keeps a
 * re-run parent from emitting a second copy of work already queued; requiring the child
 * to be emitted again keeps the parent's handler in charge of it (a re-run that no longer
 * emits it does not run it).
 * <p>
 * What can still repeat: a handler killed after its side effect but before its row was
 * written (microseconds) runs again; since ids survive replay, an idempotency check by
 * event id catches that.
 *
 * <h2>Durability</h2> {@link Fsync#OFF} (the default) hands each line to the operating
 * system before the hook returns: a killed JVM loses nothing, a power loss may lose the
 * last seconds. {@link Fsync#PER_EVENT} forces every line to the disk before its hook
 * returns (one disk flush per line); {@link Fsync#PER_BATCH} gives the same guarantee
 * with one flush for all the lines written while the previous flush ran (group commit),
 * which is cheaper when several threads emit. Measured costs are in the write-ahead log
 * section of {@code docs/middlewares.md} ({@code WalBenchmark}). Write failures are
 * logged, never thrown into the bus.
 *
 * <h2>Compaction</h2> The file keeps only the event trees whose root has not completed.
 * It is rewritten (to a temporary file, forced, then moved over the log in one step) when
 * it is first used in a process, when {@link #compact()} is called and whenever
 * {@code compactAfterBytes} were appended since the last rewrite.
 *
 * {@snippet :
 * WalEventBusMiddleware wal = new WalEventBusMiddleware(Path.of("data/orders.wal.jsonl"));
 * EventBus bus = EventBus.builder("Orders").middleware(wal).build();
 * bus.on(OrderPlaced.class, this::ship);
 * wal.replay(bus);     // finishes what the last run accepted but never completed
 * }
 *
 * Use one file per bus. A line torn by a crash in the middle of a write is skipped.
 */
public final class WalEventBusMiddleware implements EventBusMiddleware, AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(WalEventBusMiddleware.class);

	/** Rewrite the file after this many appended bytes, by default. */
	public static final long DEFAULT_COMPACT_AFTER_BYTES = 16L * 1024 * 1024;

	/** When lines are forced to the disk. */
	public enum Fsync {

		/** Never: each line is handed to the OS (survives a killed process). */
		OFF,

		/**
		 * Once per group of lines written concurrently; each hook waits for its flush.
		 */
		PER_BATCH,

		/** Once per line, before its hook returns. */
		PER_EVENT

	}

	private final Path path;

	private final Fsync fsync;

	private final WalFile file;

	private final WalHandlerKeys keys = new WalHandlerKeys();

	private final AtomicBoolean replayed = new AtomicBoolean();

	private volatile @Nullable WalReplay replay;

	/** Replayed roots still running: the re-link table is dropped when none is left. */
	private final Set<String> openReplays = ConcurrentHashMap.newKeySet();

	/** Events with a row the stopping bus ended: their completed line is not written. */
	private final Set<String> stoppedMidway = ConcurrentHashMap.newKeySet();

	/** A log at this path, without fsync; parent directories are created. */
	public WalEventBusMiddleware(Path path) {
		this(path, Fsync.OFF);
	}

	/**
	 * A log at this path; parent directories are created.
	 * @param fsync force every line to the disk ({@link Fsync#PER_EVENT}) or not
	 */
	public WalEventBusMiddleware(Path path, boolean fsync) {
		this(path, fsync ? Fsync.PER_EVENT : Fsync.OFF);
	}

	/** A log at this path with this fsync policy; parent directories are created. */
	public WalEventBusMiddleware(Path path, Fsync fsync) {
		this(path, fsync, DEFAULT_COMPACT_AFTER_BYTES);
	}

	/**
	 * A log at this path; parent directories are created.
	 * @param fsync when lines are forced to the disk
	 * @param compactAfterBytes rewrite the file after this many appended bytes
	 */
	public WalEventBusMiddleware(Path path, Fsync fsync, long compactAfterBytes) {
		if (compactAfterBytes <= 0) {
			throw new IllegalArgumentException("compactAfterBytes must be positive, got " + compactAfterBytes);
		}
		this.path = path.toAbsolutePath();
		this.fsync = fsync;
		this.file = new WalFile(this.path, fsync, compactAfterBytes);
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

	/** When lines are forced to the disk. */
	public Fsync fsync() {
		return this.fsync;
	}

	@Override
	public void onEventChange(EventBus bus, BaseEvent<?> event, EventStatus status) {
		if (status == EventStatus.PENDING) {
			accepted(event);
		}
		else if (status == EventStatus.COMPLETED) {
			completed(event);
		}
	}

	private void accepted(BaseEvent<?> event) {
		String emitter = event.eventEmittedByHandlerId();
		String emitterKey = (emitter != null) ? this.keys.keyFor(emitter) : null;
		ObjectNode json = EventSnapshots.tree(event);
		json.remove("event_results");
		String line = BubusJson.MAPPER.writeValueAsString(json);
		this.file.append((state) -> {
			if (state.entry(event.eventId()) != null) {
				// replayed or re-linked: its accepted line is already there
				return null;
			}
			StringBuilder text = new StringBuilder();
			if (emitter != null && emitterKey != null && !state.knowsHandler(emitter)) {
				String handler = handlerLine(emitter, emitterKey);
				state.handler(emitter, emitterKey, handler);
				text.append(handler).append('\n');
			}
			state.accepted(json, line);
			return text.append(line).append('\n').toString();
		});
	}

	private void completed(BaseEvent<?> event) {
		String id = event.eventId();
		if (this.stoppedMidway.remove(id)) {
			return;
		}
		if (this.openReplays.remove(id) && this.openReplays.isEmpty()) {
			this.replay = null;
		}
		String line = EventSnapshots.withoutResults(event);
		this.file.append((state) -> {
			Entry entry = state.entry(id);
			if (entry != null && entry.completed()) {
				// a re-linked child that had completed before the restart
				return null;
			}
			state.completed(id, line);
			return line + "\n";
		});
	}

	@Override
	public void onEventResultChange(EventBus bus, BaseEvent<?> event, EventResult<?> result, ResultStatus status) {
		if (status == ResultStatus.STARTED) {
			// the key is needed when this run emits a child; derive it while
			// bus.handlers()
			// still lists the handler
			this.keys.remember(result.handler().id(), this.keys.keyOf(bus, result.handler()));
			return;
		}
		if (status != ResultStatus.COMPLETED) {
			return;
		}
		Throwable error = result.error();
		if (bus.isStopped()
				&& (error instanceof EventHandlerAbortedException || error instanceof EventHandlerCancelledException)) {
			this.stoppedMidway.add(event.eventId());
			return;
		}
		String key = this.keys.keyOf(bus, result.handler());
		ObjectNode row = resultRow(result);
		this.file.append((state) -> {
			Entry entry = state.entry(event.eventId());
			if (entry == null || entry.results.containsKey(key)) {
				return null;
			}
			ObjectNode record = BubusJson.MAPPER.createObjectNode();
			record.put(WalState.RECORD, "result");
			record.put("event_id", event.eventId());
			record.put("handler_key", key);
			record.set("row", row);
			String line = BubusJson.MAPPER.writeValueAsString(record);
			state.result(event.eventId(), key, row, line);
			return line + "\n";
		});
	}

	@Override
	public void onBusHandlersChange(EventBus bus, EventHandler handler, boolean registered) {
		if (!registered) {
			this.keys.forget(handler);
		}
	}

	/**
	 * Gives a child that a re-run handler emits again during a replay the id and finished
	 * rows it was recorded with; see the class comment.
	 */
	@Override
	public @Nullable BaseEvent<?> recordedEmission(EventBus bus, BaseEvent<?> parent, EventResult<?> emittedBy,
			BaseEvent<?> event) {
		WalReplay current = this.replay;
		return (current != null) ? current.recorded(bus, parent, emittedBy, event) : null;
	}

	private static String handlerLine(String handlerId, String key) {
		ObjectNode record = BubusJson.MAPPER.createObjectNode();
		record.put(WalState.RECORD, "handler");
		record.put("handler_id", handlerId);
		record.put("handler_key", key);
		return BubusJson.MAPPER.writeValueAsString(record);
	}

	private static ObjectNode resultRow(EventResult<?> result) {
		ObjectNode row = BubusJson.MAPPER.createObjectNode();
		row.put("id", result.id());
		row.put("handler_id", result.handlerId());
		row.put("handler_name", result.handlerName());
		row.put("handler_event_pattern", result.handler().eventPattern());
		row.put("status", result.status().wireValue());
		Object value = result.result();
		if (value == null || value instanceof BaseEvent<?>) {
			row.putNull("result");
		}
		else {
			try {
				row.set("result", BubusJson.payloadMapper().valueToTree(value));
			}
			catch (RuntimeException ex) {
				log.warn("WAL: the result of handler {} ({}) cannot be written as JSON; a replay restores it as null",
						result.handlerName(), value.getClass().getName());
				row.putNull("result");
			}
		}
		Throwable error = result.error();
		if (error != null) {
			ObjectNode json = row.putObject("error");
			json.put("type", EventResult.errorType(error));
			json.put("message", String.valueOf(error.getMessage()));
		}
		if (result.startedAt() != null) {
			row.put("started_at", Timestamps.format(result.startedAt()));
		}
		if (result.completedAt() != null) {
			row.put("completed_at", Timestamps.format(result.completedAt()));
		}
		return row;
	}

	/**
	 * Emits again, on this bus, every event the log shows as accepted but never completed
	 * whose emitting handler does not run again (the others are re-linked when it does),
	 * in the order they were first accepted, and returns them. Each keeps its id,
	 * payload, parent, the buses it passed before this one and the rows of its finished
	 * handlers; its status and timestamps start over. Runs once per middleware instance.
	 * @throws IllegalStateException when called a second time (events replayed the first
	 * time may still be running and would run twice)
	 * @throws UncheckedIOException when the log cannot be read
	 */
	public List<BaseEvent<?>> replay(EventBus bus) {
		if (!this.replayed.compareAndSet(false, true)) {
			throw new IllegalStateException(
					"WAL " + this.path + " was already replayed; replay(bus) runs once, at startup");
		}
		Map<String, EventHandler> live = this.keys.live(bus);
		WalReplay plan = this.file.read((state) -> new WalReplay(state, live, this.keys));
		List<BaseEvent<?>> events = new ArrayList<>(plan.roots().size());
		for (Entry root : plan.roots()) {
			try {
				events.add(plan.restore(root, bus));
			}
			catch (IllegalArgumentException ex) {
				log.warn("WAL {}: cannot replay event {} of type {}: {}", this.path, root.id, root.type,
						ex.getMessage());
			}
		}
		if (plan.relinks() && !events.isEmpty()) {
			events.forEach((event) -> this.openReplays.add(event.eventId()));
			this.replay = plan;
		}
		List<BaseEvent<?>> emitted = new ArrayList<>(events.size());
		for (BaseEvent<?> event : events) {
			emitted.add(bus.emit(event));
		}
		if (!emitted.isEmpty()) {
			log.info("WAL {}: replayed {} accepted but unfinished event(s) on {}", this.path, emitted.size(),
					bus.label());
		}
		return emitted;
	}

	/** Rewrites the file now with only what the unfinished event trees need. */
	public void compact() {
		this.file.compact();
	}

	/** Closes the file; a later hook opens it again. */
	@Override
	public void close() {
		this.file.close();
	}

	@Override
	public String toString() {
		return "WalEventBusMiddleware[" + this.path + "]";
	}

}
