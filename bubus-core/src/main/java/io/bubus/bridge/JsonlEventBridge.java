package io.bubus.bridge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import io.bubus.BaseEvent;
import org.jspecify.annotations.Nullable;

/**
 * A bridge over an append-only JSON Lines file: {@link #emit} appends
 * {@code <compact JSON>\n}; listening tails the file from its size at {@link #start()}
 * (or from a given offset), polling every {@code pollInterval}. A file that shrinks is
 * read again from the start. Blank lines are skipped and malformed lines dropped (logged
 * and counted).
 * <p>
 * Delivery: durable. Every appended line stays in the file, so a listener started with
 * {@link #fromOffset(long)} at its last {@link #offset()} receives everything written
 * while it was away. {@link #onRead(ReadPositionListener)} tells the offset after each
 * line, with the event received for it, so that an application can store the offset of
 * the last event it has handled. Appends are not fsynced unless {@code fsync} is set.
 * <p>
 * A file shorter than the offset (truncated, replaced, or a stored offset from another
 * file) is read again from the start, with a warning.
 */
public class JsonlEventBridge extends EventBridge implements ResumableBridge {

	/** The default poll interval. */
	public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(250);

	private static final int CHUNK_BYTES = 8 << 20;

	private final Path path;

	private final Duration pollInterval;

	private final boolean fsync;

	private final Object writeLock = new Object();

	private final SendQueue<byte[]> sends = new SendQueue<>(this,
			(event) -> (toWire(event) + "\n").getBytes(StandardCharsets.UTF_8), this::append);

	private volatile long offset = -1;

	/** Bytes of an over-long, still unterminated line skipped so far (0 = none). */
	private long skipping;

	private volatile @Nullable Thread poller;

	/** A bridge on this file with the default poll interval and a generated name. */
	public JsonlEventBridge(Path path) {
		this(path, DEFAULT_POLL_INTERVAL, null, false);
	}

	/** A bridge on this file. */
	public JsonlEventBridge(Path path, Duration pollInterval, @Nullable String name, boolean fsync) {
		super(name, DEFAULT_MAX_MESSAGE_BYTES);
		try {
			if (pollInterval.isNegative() || pollInterval.isZero()) {
				throw new IllegalArgumentException("pollInterval must be > 0, got " + pollInterval);
			}
			this.path = path.toAbsolutePath();
			this.pollInterval = pollInterval;
			this.fsync = fsync;
		}
		catch (RuntimeException ex) {
			throw abandon(ex);
		}
	}

	/** Starts listening from this byte offset instead of the end of the file (resume). */
	public JsonlEventBridge fromOffset(long startOffset) {
		if (isStarted()) {
			throw new IllegalStateException("fromOffset must be called before the bridge starts");
		}
		this.offset = startOffset;
		return this;
	}

	/** Same as {@link #fromOffset(long)}. */
	@Override
	public JsonlEventBridge resumeFrom(long position) {
		return fromOffset(position);
	}

	/** {@code "offset"}: positions are byte offsets in the file. */
	@Override
	public String positionUnit() {
		return "offset";
	}

	/**
	 * Tells this listener the offset after each line read, with the event received for it
	 * (see {@link ReadPositionListener}); before the bridge starts.
	 * @param listener the listener
	 * @return this bridge
	 */
	@Override
	public JsonlEventBridge onRead(ReadPositionListener listener) {
		readPositions("onRead", listener);
		return this;
	}

	/**
	 * The byte offset up to which lines were read and handed to the inbound bus (to
	 * resume from later).
	 */
	public long offset() {
		return this.offset;
	}

	/** The file. */
	public Path path() {
		return this.path;
	}

	@Override
	public BaseEvent<?> emit(BaseEvent<?> event) {
		return this.sends.emit(event);
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * Each batch is one append (and, with {@code fsync}, one sync).
	 */
	@Override
	public JsonlEventBridge batchSends(SendBatching batching) {
		super.batchSends(batching);
		return this;
	}

	@Override
	protected SendQueue<?> sends() {
		return this.sends;
	}

	private void append(List<byte[]> lines) {
		int size = 0;
		for (byte[] line : lines) {
			size += line.length;
		}
		ByteBuffer buffer = ByteBuffer.allocate(size);
		lines.forEach(buffer::put);
		buffer.flip();
		try {
			synchronized (this.writeLock) {
				Files.createDirectories(this.path.getParent());
				try (FileChannel channel = FileChannel.open(this.path, StandardOpenOption.CREATE,
						StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
					while (buffer.hasRemaining()) {
						channel.write(buffer);
					}
					if (this.fsync) {
						channel.force(false);
					}
				}
			}
		}
		catch (IOException ex) {
			throw new BridgeException("bridge " + name() + " could not append to " + this.path + ": " + ex, ex);
		}
	}

	@Override
	protected void startListening() {
		try {
			Files.createDirectories(this.path.getParent());
			if (!Files.exists(this.path)) {
				Files.createFile(this.path);
			}
			if (this.offset < 0) {
				this.offset = Files.size(this.path);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("bridge " + name() + " could not open " + this.path, ex);
		}
		reportPosition(this.offset, null);
		Thread thread = Thread.ofVirtual().name("bubus-jsonl-" + name()).unstarted(this::poll);
		this.poller = thread;
		thread.start();
	}

	@Override
	protected void stopListening() {
		Thread thread = this.poller;
		this.poller = null;
		if (thread != null) {
			thread.interrupt();
		}
	}

	private void poll() {
		while (this.poller == Thread.currentThread()) {
			try {
				readNewLines();
			}
			catch (IOException | RuntimeException ex) {
				org.slf4j.LoggerFactory.getLogger(JsonlEventBridge.class)
					.debug("bridge {} could not read {}: {}", name(), this.path, ex.toString());
			}
			LockSupport.parkNanos(this.pollInterval.toNanos());
		}
	}

	/**
	 * Reads complete lines after the offset; an unterminated last line waits for its
	 * newline, unless it is already over {@link #maxMessageBytes()}: then it is skipped
	 * as it grows and dropped once its newline arrives, so no line can stall the reader.
	 */
	private void readNewLines() throws IOException {
		if (!Files.exists(this.path)) {
			startOver(-1);
			return;
		}
		try (FileChannel channel = FileChannel.open(this.path, StandardOpenOption.READ)) {
			long size = channel.size();
			if (size < this.offset) {
				startOver(size);
			}
			if (size == this.offset) {
				return;
			}
			long chunk = Math.max(CHUNK_BYTES, maxMessageBytes() + 2L);
			ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(size - this.offset, chunk));
			channel.read(buffer, this.offset);
			buffer.flip();
			byte[] bytes = new byte[buffer.remaining()];
			buffer.get(bytes);
			int lastNewline = lastIndexOf(bytes, (byte) '\n');
			if (lastNewline < 0) {
				if (this.skipping > 0 || bytes.length > maxMessageBytes()) {
					this.skipping += bytes.length;
					this.offset += bytes.length;
				}
				return;
			}
			// the offset moves past each line once it is handed over, so it never runs
			// ahead of what the inbound bus took
			long start = this.offset;
			int lineStart = 0;
			for (int end = 0; end <= lastNewline; end++) {
				if (bytes[end] != '\n') {
					continue;
				}
				BaseEvent<?> event = null;
				if (this.skipping > 0) {
					dropOversized(this.skipping + end - lineStart);
					this.skipping = 0;
				}
				else {
					String trimmed = new String(bytes, lineStart, end - lineStart, StandardCharsets.UTF_8).trim();
					if (!trimmed.isEmpty()) {
						try {
							event = receiveEvent(trimmed);
						}
						catch (IllegalStateException closing) {
							return;
						}
					}
				}
				lineStart = end + 1;
				this.offset = start + lineStart;
				reportPosition(this.offset, event);
			}
		}
	}

	/** Reads the file again from the start ({@code size} -1: it is gone). */
	private void startOver(long size) {
		boolean moved = this.offset != 0;
		if (moved && size >= 0) {
			org.slf4j.LoggerFactory.getLogger(JsonlEventBridge.class)
				.warn("bridge {}: {} is {} bytes, shorter than the offset {} (truncated or replaced); "
						+ "reading it again from the start", name(), this.path, size, this.offset);
		}
		this.offset = 0;
		this.skipping = 0;
		if (moved) {
			reportPosition(0, null);
		}
	}

	private static int lastIndexOf(byte[] bytes, byte value) {
		for (int i = bytes.length - 1; i >= 0; i--) {
			if (bytes[i] == value) {
				return i;
			}
		}
		return -1;
	}

}
