package io.bubus.retry;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A semaphore shared by every JVM on the machine ({@link SemaphoreScope#MULTIPROCESS}):
 * {@code limit} lock files {@code <key>.<NN>.lock} in one directory, a slot being an
 * exclusive OS lock ({@link FileChannel#tryLock()}) on any one of them. The OS drops a
 * dead process's locks, so its slots free up by themselves. Lock files are never deleted
 * (deleting a held one would let a second holder in); a missing directory or file is
 * created again.
 * <p>
 * Within one JVM a local semaphore of the same limit queues the threads, and each file is
 * touched by one thread at a time: a JVM holds at most one channel per lock file, because
 * closing any channel of a file drops all of the JVM's locks on it. Across JVMs there is
 * no notification when a lock is released, so a waiter polls the files with a short
 * backoff (1 ms doubling to 50 ms).
 */
final class FileSemaphore {

	private static final Logger log = LoggerFactory.getLogger(FileSemaphore.class);

	private static final long MAX_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

	private static final Map<Path, FileSemaphore> SEMAPHORES = new ConcurrentHashMap<>();

	private final Path directory;

	private final String fileKey;

	private final int limit;

	private final Semaphore local;

	/** Slots this JVM holds or is trying, guarded by this. */
	private final boolean[] busy;

	private FileSemaphore(Path directory, String key, int limit) {
		this.directory = directory;
		this.fileKey = fileKey(key);
		this.limit = limit;
		this.local = new Semaphore(limit, true);
		this.busy = new boolean[limit];
	}

	/**
	 * The semaphore for the key in the directory; the first limit used in this JVM wins.
	 */
	static FileSemaphore of(Path directory, String key, int limit) {
		Path absolute = directory.toAbsolutePath().normalize();
		return SEMAPHORES.computeIfAbsent(absolute.resolve(fileKey(key)),
				(k) -> new FileSemaphore(absolute, key, limit));
	}

	/**
	 * A file-name-safe form of the key; keys that needed changes get a hash against
	 * clashes.
	 */
	static String fileKey(String key) {
		String safe = key.replaceAll("[^A-Za-z0-9._-]", "_");
		return safe.equals(key) ? key : safe + "-" + Integer.toHexString(key.hashCode());
	}

	/**
	 * A slot, or {@code null} when none freed up within the timeout ({@code null} = wait
	 * as long as it takes).
	 */
	@Nullable Slot acquire(@Nullable Duration timeout) throws InterruptedException {
		long deadline = (timeout != null) ? System.nanoTime() + timeout.toNanos() : Long.MAX_VALUE;
		if (timeout == null) {
			this.local.acquire();
		}
		else if (!this.local.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
			return null;
		}
		boolean acquired = false;
		try {
			long backoff = TimeUnit.MILLISECONDS.toNanos(1);
			while (true) {
				Slot slot = tryAnyFile();
				if (slot != null) {
					acquired = true;
					return slot;
				}
				long remaining = deadline - System.nanoTime();
				if (remaining <= 0) {
					return null;
				}
				LockSupport.parkNanos(Math.min(backoff, remaining));
				if (Thread.interrupted()) {
					throw new InterruptedException("interrupted while waiting for a slot of " + this.fileKey);
				}
				backoff = Math.min(backoff * 2, MAX_BACKOFF_NANOS);
			}
		}
		finally {
			if (!acquired) {
				this.local.release();
			}
		}
	}

	private @Nullable Slot tryAnyFile() {
		int start = ThreadLocalRandom.current().nextInt(this.limit);
		for (int i = 0; i < this.limit; i++) {
			int index = (start + i) % this.limit;
			if (!claim(index)) {
				continue;
			}
			Slot slot = tryFile(index);
			if (slot != null) {
				return slot;
			}
			unclaim(index);
		}
		return null;
	}

	private @Nullable Slot tryFile(int index) {
		Path file = this.directory.resolve(String.format("%s.%02d.lock", this.fileKey, index));
		FileChannel channel = null;
		try {
			Files.createDirectories(this.directory);
			channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
			FileLock lock = channel.tryLock();
			if (lock != null) {
				FileChannel held = channel;
				return () -> release(index, held);
			}
		}
		catch (IOException ex) {
			log.debug("Could not lock {}: {}", file, ex.toString());
		}
		closeQuietly(channel);
		return null;
	}

	private void release(int index, FileChannel channel) {
		// closing the channel releases its lock
		closeQuietly(channel);
		unclaim(index);
		this.local.release();
	}

	private static void closeQuietly(@Nullable FileChannel channel) {
		if (channel == null) {
			return;
		}
		try {
			channel.close();
		}
		catch (IOException ex) {
			log.debug("Could not close a semaphore lock file: {}", ex.toString());
		}
	}

	private synchronized boolean claim(int index) {
		if (this.busy[index]) {
			return false;
		}
		this.busy[index] = true;
		return true;
	}

	private synchronized void unclaim(int index) {
		this.busy[index] = false;
	}

}
