package io.bubus.spring.autoconfigure.bridge;

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
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

import io.bubus.BaseEvent;
import io.bubus.EventBus;
import io.bubus.EventHandlerAbortedException;
import io.bubus.EventHandlerCancelledException;
import io.bubus.EventResult;
import io.bubus.bridge.EventBridge;
import io.bubus.bridge.JsonlEventBridge;
import io.bubus.bridge.ReadPositionListener;
import io.bubus.bridge.sqlite.SqliteEventBridge;
import io.bubus.spring.autoconfigure.BubusProperties;
import io.bubus.spring.autoconfigure.BubusProperties.Bridge.StartAt;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

/**
 * The read position of a jsonl or sqlite bridge entry: where it starts
 * ({@code position-file}, else {@code start-at}) and, with a {@code position-file}, the
 * position after the last received event the bus has handled, stored every
 * {@code position-save-interval} and when the bridge closes.
 * <p>
 * The stored position never passes an event that is not completed on the bus, or that the
 * bus did not take (stopped, or the bridge closed first): such an event and every later
 * one are read again after a restart. So a clean shutdown neither loses nor repeats an
 * event, and a crash repeats at most what was handled since the last save
 * (at-least-once).
 */
final class BridgeReadPosition implements ReadPositionListener {

	private static final Log logger = LogFactory.getLog(BridgeReadPosition.class);

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
	 * Sets where the bridge of this entry starts and, with a {@code position-file},
	 * tracks its position; {@code null} when the entry keeps no position and starts at
	 * the end (the default).
	 * @throws IllegalStateException naming the property when a setting cannot apply or
	 * the position file cannot be read
	 */
	static @Nullable BridgeReadPosition configure(String name, BubusProperties.Bridge settings, EventBridge bridge,
			EventBus bus) {
		Path file = settings.getPositionFile();
		StartAt startAt = settings.getStartAt();
		if (file == null && startAt == StartAt.END) {
			return null;
		}
		String property = "bubus.bridges." + name + ".";
		String setting = (file != null) ? "position-file" : "start-at";
		Source source = Source.of(bridge);
		if (source == null) {
			throw new IllegalStateException(property + setting + " is set, but a " + settings.getType()
					+ " bridge has no read position; jsonl and sqlite bridges do");
		}
		if (!settings.isReceive()) {
			throw new IllegalStateException(property + setting + " is set, but receive is false");
		}
		Duration interval = settings.getPositionSaveInterval();
		if (interval.isNegative() || interval.isZero()) {
			throw new IllegalStateException(property + "position-save-interval must be > 0, got " + interval);
		}
		Long stored = (file != null) ? stored(file, property, startAt) : null;
		if (stored != null) {
			logger.info("Bridge " + name + " resumes at " + source.unit + " " + stored + " stored in " + file);
			source.resumeFrom.accept(stored);
		}
		else if (startAt == StartAt.BEGINNING) {
			source.resumeFrom.accept(0);
		}
		if (file == null) {
			return null;
		}
		BridgeReadPosition position = new BridgeReadPosition(name, file.toAbsolutePath(), bus, interval);
		source.onRead.accept(position);
		return position;
	}

	/** The stored position, or {@code null} when the file does not exist. */
	private static @Nullable Long stored(Path file, String property, StartAt startAt) {
		String text;
		try {
			text = Files.readString(file, StandardCharsets.UTF_8).strip();
		}
		catch (NoSuchFileException ex) {
			return null;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(property + "position-file " + file + " cannot be read: " + ex, ex);
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
		throw new IllegalStateException(
				property + "position-file " + file + " does not hold a read position (a whole number >= 0) but '"
						+ found + "'; correct it, or delete it to start at " + property + "start-at ("
						+ startAt.name().toLowerCase(Locale.ROOT) + ")");
	}

	/** Starts saving every {@code position-save-interval}. */
	void start() {
		Thread thread = Thread.ofVirtual().name("bubus-position-" + this.name).unstarted(this::saveRegularly);
		this.saver = thread;
		thread.start();
	}

	/**
	 * Stops saving regularly and saves the position (the bridge is closed, its bus
	 * stopped). A handler the stopping bus aborted finishes a moment later: the events
	 * still open get up to {@link #SETTLE_NANOS} to complete, so that an event whose
	 * handlers ran is not read again after the restart.
	 */
	void close() {
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

	/** The position after the last event handled with every earlier one (-1: none). */
	long handled() {
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
			logger.debug("Bridge " + this.name + ": " + this.bus.label() + " did not handle " + event.eventType() + " "
					+ event.eventId() + "; it is read again after a restart");
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
	 * Writes the position when it moved: to a temporary file, synced, then moved over.
	 */
	void save() {
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
				logger.warn("Bridge " + this.name + " could not store its read position " + position + " in " + target
						+ " (bubus.bridges." + this.name + ".position-file): " + ex);
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

	/** How a bridge type is told where to start and whom to tell its position. */
	private record Source(String unit, LongConsumer resumeFrom, Consumer<ReadPositionListener> onRead) {

		/** Whether bubus-bridge-sqlite is on the class path. */
		private static final boolean SQLITE = ClassUtils.isPresent("io.bubus.bridge.sqlite.SqliteEventBridge",
				Source.class.getClassLoader());

		static @Nullable Source of(EventBridge bridge) {
			if (bridge instanceof JsonlEventBridge jsonl) {
				return new Source("offset", jsonl::fromOffset, jsonl::onRead);
			}
			return SQLITE ? SqliteSource.of(bridge) : null;
		}

	}

	/** Kept apart so that only an application with bubus-bridge-sqlite loads it. */
	private static final class SqliteSource {

		static @Nullable Source of(EventBridge bridge) {
			if (bridge instanceof SqliteEventBridge sqlite) {
				return new Source("cursor", sqlite::fromCursor, sqlite::onRead);
			}
			return null;
		}

	}

}
