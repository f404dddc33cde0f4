package io.bubus.bridge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.bubus.BaseEvent;
import io.bubus.EventBus;
import io.bubus.EventHandlerAbortedException;
import io.bubus.EventHandlerCancelledException;
import io.bubus.EventResult;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the read position of a {@link ResumableBridge} (a {@link JsonlEventBridge}, an
 * {@code SqliteEventBridge}) in a file, so that a restarted application receives, once,
 * what was written while it was down: the position after the last received event the bus
 * has handled, stored every save interval and when the position is closed.
 *
 * {@snippet lang = java :
 * JsonlEventBridge bridge = new JsonlEventBridge(Path.of("events.jsonl"));
 * BridgeReadPosition position = BridgeReadPosition.resume(bridge, Path.of("state/events.pos"), bus);
 * bridge.on("*", bus::emit);
 * // ... at shutdown: close the bridge, stop the bus, then
 * position.close();
 * }
 * <p>
 * The stored position never passes an event that is not completed on the bus, or that the
 * bus did not take (stopped, or the bridge closed first): such an event and every later
 * one are read again after a restart. So a clean shutdown neither loses nor repeats an
 * event, and a crash repeats at most what was handled since the last save
 * (at-least-once).
 * <p>
 * Concurrency: the bridge's listener thread calls {@link #read}, event completions call
 * back on the bus's threads, one virtual thread saves regularly. {@code reads} (the
 * monitor of the queue of read events) guards the queue and the handled position;
 * {@code saveLock} serializes writes of the file and is taken before {@code reads}, never
 * inside it. Neither is held while calling out of this class.
 *
 * @author bubus-java
 * @since 0.1.0
 */
public final class BridgeReadPosition implements ReadPositionListener, AutoCloseable {

	/** How often the position is stored by default while events are received. */
	public static final Duration DEFAULT_SAVE_INTERVAL = Duration.ofSeconds(1);

	private static final Logger logger = LoggerFactory.getLogger(BridgeReadPosition.class);

	/** How long closing waits for events the stopping bus is still finishing. */
	private static final long SETTLE_NANOS = TimeUnit.SECONDS.toNanos(1);

	private final String name;

	private final Path file;

	private final EventBus bus;

	private final Duration saveInterval;

	/** Read events not yet handled (or never to be), in reading order. */
	private final ArrayDeque<Read> reads = new ArrayDeque<>();

	private final Object saveLock = new Object();

	/** The position after the last event handled with every earlier one (-1: none). */
	private long handled = -1;

	private long saved = -1;

	private volatile @Nullable Thread saver;

	private BridgeReadPosition(String name, Path file, EventBus bus, Duration saveInterval) {
		this.name = name;
		this.file = file;
		this.bus = bus;
		this.saveInterval = saveInterval;
	}

	/**
	 * Resumes the bridge at the position stored in {@code file}, when the file exists
	 * (otherwise the bridge starts where it was told to, at the end by default), and
	 * tracks its position from now on, storing it every {@link #DEFAULT_SAVE_INTERVAL}.
	 * Call before the bridge starts listening.
	 * @param bridge the bridge, not yet listening
	 * @param file where the position is kept (one application per file)
	 * @param bus the bus the bridge's received events are emitted on and handled by
	 * @return the position, saving regularly until {@link #close()}
	 * @throws IllegalStateException when the file does not hold a position or the bridge
	 * is already listening
	 * @throws UncheckedIOException when the file cannot be read
	 */
	public static BridgeReadPosition resume(ResumableBridge bridge, Path file, EventBus bus) {
		return resume(bridge, file, bus, DEFAULT_SAVE_INTERVAL);
	}

	/**
	 * Like {@link #resume(ResumableBridge, Path, EventBus)}, storing the position every
	 * {@code saveInterval}.
	 * @param bridge the bridge, not yet listening
	 * @param file where the position is kept (one application per file)
	 * @param bus the bus the bridge's received events are emitted on and handled by
	 * @param saveInterval how often the position is stored while it moves (&gt; 0)
	 * @return the position, saving regularly until {@link #close()}
	 */
	public static BridgeReadPosition resume(ResumableBridge bridge, Path file, EventBus bus, Duration saveInterval) {
		Objects.requireNonNull(bus, "bus");
		if (saveInterval.isNegative() || saveInterval.isZero()) {
			throw new IllegalArgumentException("saveInterval must be > 0, got " + saveInterval);
		}
		Long stored = stored(file);
		if (stored != null) {
			logger.info("bridge {} resumes at {} {} stored in {}", bridge.name(), bridge.positionUnit(), stored, file);
			bridge.resumeFrom(stored);
		}
		BridgeReadPosition position = new BridgeReadPosition(bridge.name(), file.toAbsolutePath(), bus, saveInterval);
		bridge.onRead(position);
		position.start();
		return position;
	}

	/**
	 * The position stored in the file, or {@code null} when the file does not exist.
	 * @param file a position file
	 * @return the stored position (&gt;= 0), or {@code null}
	 * @throws IllegalStateException when the file holds something else; its message
	 * starts with the file name and ends {@code "; correct it, or delete it"}
	 * @throws UncheckedIOException when the file cannot be read
	 */
	public static @Nullable Long stored(Path file) {
		String text;
		try {
			text = Files.readString(file, StandardCharsets.UTF_8).strip();
		}
		catch (NoSuchFileException ex) {
			return null;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("read position file " + file + " cannot be read: " + ex, ex);
		}
		try {
			long position = Long.parseLong(text);
			if (position >= 0) {
				return position;
			}
		}
		catch (NumberFormatException ex) {
			// reported below
		}
		String found = (text.length() > 40) ? text.substring(0, 40) + "..." : text;
		throw new IllegalStateException(file + " does not hold a read position (a whole number >= 0) but '" + found
				+ "'; correct it, or delete it");
	}

	/** Starts saving every save interval. */
	private void start() {
		Thread thread = Thread.ofVirtual().name("bubus-position-" + this.name).unstarted(this::saveRegularly);
		this.saver = thread;
		thread.start();
	}

	/**
	 * Stops saving regularly and saves the position (the bridge is closed, its bus
	 * stopped). A handler the stopping bus aborted finishes a moment later: the events
	 * still open get up to {@link #SETTLE_NANOS} to complete, so that an event whose
	 * handlers ran is not read again after the restart. Call after the bridge is closed.
	 */
	@Override
	public void close() {
		Thread thread = this.saver;
		this.saver = null;
		if (thread != null) {
			thread.interrupt();
		}
		long deadline = System.nanoTime() + SETTLE_NANOS;
		synchronized (this.reads) {
			while (this.reads.stream().anyMatch((read) -> !read.settled)) {
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					break;
				}
				try {
					TimeUnit.NANOSECONDS.timedWait(this.reads, left);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					break;
				}
			}
		}
		save();
	}

	@Override
	public void read(long position, @Nullable BaseEvent<?> event) {
		Read read = new Read(position);
		synchronized (this.reads) {
			if (event == null && this.reads.isEmpty()) {
				this.handled = position;
				return;
			}
			read.done = (event == null);
			read.settled = read.done;
			this.reads.add(read);
		}
		if (event != null) {
			event.completion().whenComplete((completed, failure) -> completed(read, event));
		}
	}

	/**
	 * The position after the last event handled with every earlier one.
	 * @return the position, or -1 before any
	 */
	public long handled() {
		synchronized (this.reads) {
			return this.handled;
		}
	}

	private void completed(Read read, BaseEvent<?> event) {
		synchronized (this.reads) {
			read.settled = true;
			this.reads.notifyAll();
		}
		if (!tookPart(event)) {
			logger.debug("bridge {}: {} did not handle {} {}; it is read again after a restart", this.name,
					this.bus.label(), event.eventType(), event.eventId());
			return;
		}
		synchronized (this.reads) {
			read.done = true;
			while (!this.reads.isEmpty() && this.reads.peek().done) {
				this.handled = this.reads.poll().position;
			}
		}
	}

	/**
	 * Whether the bus took the event and ran its handlers to the end: not when it refused
	 * the event (stopped), cancelled it before its handlers ran, or aborted a running
	 * handler when it stopped (that handler's work is unfinished, so the event is
	 * received again after the restart).
	 */
	private boolean tookPart(BaseEvent<?> event) {
		if (!event.eventPath().contains(this.bus.label())) {
			return false;
		}
		if (this.bus.isStopped()) {
			for (EventResult<?> result : event.eventResults().values()) {
				if (result.error() instanceof EventHandlerCancelledException
						|| result.error() instanceof EventHandlerAbortedException) {
					return false;
				}
			}
		}
		return true;
	}

	private void saveRegularly() {
		while (this.saver == Thread.currentThread()) {
			LockSupport.parkNanos(this.saveInterval.toNanos());
			if (Thread.interrupted()) {
				return;
			}
			save();
		}
	}

	/**
	 * Writes the position when it moved: to a temporary file, synced, then moved over. A
	 * failure is logged; the next save tries again.
	 */
	public void save() {
		Path target = this.file;
		synchronized (this.saveLock) {
			long position = handled();
			if (position < 0 || position == this.saved) {
				return;
			}
			Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
			try {
				if (target.getParent() != null) {
					Files.createDirectories(target.getParent());
				}
				try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
						StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
					channel.write(ByteBuffer.wrap((position + "\n").getBytes(StandardCharsets.UTF_8)));
					channel.force(true);
				}
				try {
					Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
				}
				catch (AtomicMoveNotSupportedException ex) {
					Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
				}
				this.saved = position;
			}
			catch (IOException | RuntimeException ex) {
				logger.warn("bridge {} could not store its read position {} in {}: {}", this.name, position, target,
						ex.toString());
			}
		}
	}

	@Override
	public String toString() {
		return "BridgeReadPosition(" + this.name + " -> " + this.file + ")";
	}

	/** One read event and the position after it. */
	private static final class Read {

		final long position;

		boolean done;

		/** Whether the event completed (handled or not); under the reads lock. */
		boolean settled;

		Read(long position) {
			this.position = position;
		}

	}

}
