package io.bubus.middleware;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.function.Function;
import java.util.concurrent.locks.ReentrantLock;

import io.bubus.json.BubusJson;
import io.bubus.middleware.WalEventBusMiddleware.Fsync;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The WAL file: appends with the fsync policy, and compaction.
 *
 * <h2>Locks</h2> {@code appendLock} guards the channel, the {@link WalState} and the
 * counters; every append and the state change that goes with it happen under it, so the
 * file and the state see records in the same order. {@code forceLock} serializes
 * {@link FileChannel#force} for {@link Fsync#PER_BATCH}: a writer releases the append
 * lock before it forces, so others append meanwhile and one force covers them all (group
 * commit). Order: {@code forceLock} before {@code appendLock}, never the other way round;
 * neither is held while the bus or a handler runs.
 */
final class WalFile {

	private static final Logger log = LoggerFactory.getLogger(WalEventBusMiddleware.class);

	private final Path path;

	private final Fsync fsync;

	private final long compactAfterBytes;

	private final ReentrantLock appendLock = new ReentrantLock();

	private final ReentrantLock forceLock = new ReentrantLock();

	private final WalState state = new WalState();

	private @Nullable FileChannel channel;

	private boolean loaded;

	/** Appends so far, and the last of them known to be on the disk. */
	private long written;

	private volatile long forced;

	/** Bytes appended since the file was last compacted. */
	private long grown;

	WalFile(Path path, Fsync fsync, long compactAfterBytes) {
		this.path = path;
		this.fsync = fsync;
		this.compactAfterBytes = compactAfterBytes;
	}

	/**
	 * Runs {@code step} on the state and appends the lines it returns (none when it
	 * returns null), as one step under the lock; returns once the lines are as durable as
	 * the policy says. Write failures are logged, never thrown.
	 */
	void append(Function<WalState, @Nullable String> step) {
		long sequence;
		boolean compact;
		this.appendLock.lock();
		try {
			load();
			String text = step.apply(this.state);
			if (text == null) {
				return;
			}
			FileChannel out = open();
			ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
			this.grown += bytes.remaining();
			while (bytes.hasRemaining()) {
				out.write(bytes);
			}
			sequence = ++this.written;
			if (this.fsync == Fsync.PER_EVENT) {
				out.force(false);
				this.forced = sequence;
			}
			compact = this.grown >= this.compactAfterBytes;
		}
		catch (IOException | UncheckedIOException ex) {
			log.warn("Could not append to the WAL {}: {}", this.path, ex.getMessage(), ex);
			return;
		}
		finally {
			this.appendLock.unlock();
		}
		if (this.fsync == Fsync.PER_BATCH) {
			forceUpTo(sequence);
		}
		if (compact) {
			try {
				compact();
			}
			catch (UncheckedIOException ex) {
				log.warn("Could not compact the WAL {}: {}", this.path, ex.getMessage(), ex);
			}
		}
	}

	/** Forces the file once for every append up to now that is not on the disk yet. */
	private void forceUpTo(long sequence) {
		if (this.forced >= sequence) {
			return;
		}
		this.forceLock.lock();
		try {
			if (this.forced >= sequence) {
				// another writer's force covered this append
				return;
			}
			long upTo;
			FileChannel out;
			this.appendLock.lock();
			try {
				upTo = this.written;
				out = this.channel;
			}
			finally {
				this.appendLock.unlock();
			}
			if (out != null && out.isOpen()) {
				out.force(false);
			}
			this.forced = Math.max(this.forced, upTo);
		}
		catch (IOException ex) {
			log.warn("Could not force the WAL {} to the disk: {}", this.path, ex.getMessage(), ex);
		}
		finally {
			this.forceLock.unlock();
		}
	}

	/** Reads the state under the lock (loading the file first). */
	<T> T read(Function<WalState, T> reader) {
		this.appendLock.lock();
		try {
			load();
			return reader.apply(this.state);
		}
		finally {
			this.appendLock.unlock();
		}
	}

	/** Rewrites the file with only what the open event trees need. */
	void compact() {
		this.forceLock.lock();
		this.appendLock.lock();
		try {
			load();
			if (this.grown > 0) {
				rewrite();
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot compact the WAL " + this.path, ex);
		}
		finally {
			this.appendLock.unlock();
			this.forceLock.unlock();
		}
	}

	/**
	 * Writes the state to a temporary file, forces it and moves it over the log in one
	 * step, so a crash leaves either the old file or the new one. Under the append lock.
	 */
	private void rewrite() throws IOException {
		List<String> lines = this.state.lines();
		Path temp = this.path.resolveSibling(this.path.getFileName() + ".compacting");
		try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
				StandardOpenOption.TRUNCATE_EXISTING)) {
			StringBuilder text = new StringBuilder();
			for (String line : lines) {
				text.append(line).append('\n');
			}
			ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
			while (bytes.hasRemaining()) {
				out.write(bytes);
			}
			out.force(true);
		}
		closeChannel();
		try {
			Files.move(temp, this.path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		}
		catch (AtomicMoveNotSupportedException ex) {
			Files.move(temp, this.path, StandardCopyOption.REPLACE_EXISTING);
		}
		forceDirectory();
		this.grown = 0;
		this.forced = this.written;
	}

	private void forceDirectory() {
		Path dir = this.path.getParent();
		if (dir == null) {
			return;
		}
		try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
			directory.force(true);
		}
		catch (IOException ex) {
			// not every file system lets a directory be opened; the rename is
			// still atomic
		}
	}

	/**
	 * First use: reads the file into the state and compacts it. Under the append lock.
	 */
	private void load() {
		if (this.loaded) {
			return;
		}
		this.loaded = true;
		if (!Files.exists(this.path)) {
			return;
		}
		int lines = 0;
		try (BufferedReader reader = Files.newBufferedReader(this.path, StandardCharsets.UTF_8)) {
			int number = 0;
			for (String text; (text = reader.readLine()) != null;) {
				number++;
				ObjectNode line = parse(text, number);
				if (line != null) {
					this.state.apply(line, text);
					lines++;
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read the WAL " + this.path, ex);
		}
		try {
			rewrite();
		}
		catch (IOException ex) {
			log.warn("WAL {}: could not compact {} line(s) at startup, appending to the file as it is: {}", this.path,
					lines, ex.getMessage());
		}
	}

	private @Nullable ObjectNode parse(String text, int number) {
		if (text.isBlank()) {
			return null;
		}
		try {
			JsonNode node = BubusJson.MAPPER.readTree(text);
			if (node instanceof ObjectNode object
					&& (object.hasNonNull("event_id") || object.hasNonNull(WalState.RECORD))) {
				return object;
			}
		}
		catch (JacksonException ex) {
			// fall through: a line torn by a crash
		}
		log.warn("WAL {}: skipping malformed line {} ({} chars)", this.path, number, text.length());
		return null;
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

	/** Closes the channel; a later append opens it again. */
	void close() {
		this.appendLock.lock();
		try {
			closeChannel();
		}
		catch (IOException ex) {
			log.warn("Could not close the WAL {}: {}", this.path, ex.getMessage());
		}
		finally {
			this.appendLock.unlock();
		}
	}

	private void closeChannel() throws IOException {
		FileChannel out = this.channel;
		this.channel = null;
		if (out != null) {
			out.close();
		}
	}

}
