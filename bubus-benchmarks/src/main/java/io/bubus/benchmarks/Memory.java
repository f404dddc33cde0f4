package io.bubus.benchmarks;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

import org.jspecify.annotations.Nullable;

/**
 * Memory readings for the scenario harness: resident set size from
 * {@code /proc/self/statm} (resident pages; committed heap + non-heap where there is no
 * {@code /proc}) and heap in use from the {@link MemoryMXBean}.
 */
final class Memory {

	/** The page size of Linux on x86-64 and most arm64 kernels. */
	private static final long PAGE_BYTES = 4096;

	private static final byte[] STATM_BUFFER = new byte[128];

	private static final @Nullable RandomAccessFile STATM = openStatm();

	private static final MemoryMXBean MX = ManagementFactory.getMemoryMXBean();

	private Memory() {
	}

	/**
	 * Resident set size in bytes: the second field of {@code /proc/self/statm} (pages),
	 * read through a file kept open, so a sample costs a few microseconds and not the
	 * scenario's time (the scenarios sample as often as the reference harnesses, which
	 * read a counter in memory).
	 */
	static long rss() {
		synchronized (STATM_BUFFER) {
			if (STATM != null) {
				try {
					STATM.seek(0);
					int length = STATM.read(STATM_BUFFER);
					long pages = 0;
					int field = 0;
					for (int i = 0; i < length; i++) {
						byte b = STATM_BUFFER[i];
						if (b == ' ') {
							if (++field > 1) {
								return pages * PAGE_BYTES;
							}
						}
						else if (field == 1) {
							pages = pages * 10 + (b - '0');
						}
					}
				}
				catch (IOException | RuntimeException ex) {
					// fall through to the MXBean estimate
				}
			}
		}
		return MX.getHeapMemoryUsage().getCommitted() + MX.getNonHeapMemoryUsage().getCommitted();
	}

	private static @Nullable RandomAccessFile openStatm() {
		try {
			return new RandomAccessFile("/proc/self/statm", "r");
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}

	/** Heap in use (live objects and not yet collected garbage) in bytes. */
	static long heapUsed() {
		return MX.getHeapMemoryUsage().getUsed();
	}

	/**
	 * The smallest heap-in-use over several rounds of a full GC and a short sleep (the TS
	 * leak check: 8 rounds before a scenario, 24 after, 12 ms each).
	 */
	static long heapAfterGc(int rounds, long sleepMillis) {
		long min = Long.MAX_VALUE;
		for (int i = 0; i < rounds; i++) {
			System.gc();
			sleep(sleepMillis);
			min = Math.min(min, heapUsed());
		}
		return min;
	}

	static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	static double mb(long bytes) {
		return bytes / (1024.0 * 1024.0);
	}

	/**
	 * Records a baseline at creation and keeps the peak of every sample: the explicit
	 * samples the scenarios take at the points the reference harnesses do, and a
	 * background sample every 10 ms so a peak between those points is not missed.
	 */
	static final class Tracker implements AutoCloseable {

		private final long baselineRss;

		private final long baselineHeap;

		private volatile long peakRss;

		private volatile long peakHeap;

		private final Thread sampler;

		private volatile boolean running = true;

		Tracker() {
			this.baselineRss = rss();
			this.baselineHeap = heapUsed();
			this.peakRss = this.baselineRss;
			this.peakHeap = this.baselineHeap;
			this.sampler = Thread.ofPlatform().daemon().name("perf-memory-sampler").start(() -> {
				while (this.running) {
					sample();
					Memory.sleep(10);
				}
			});
		}

		synchronized void sample() {
			long r = rss();
			long h = heapUsed();
			if (r > this.peakRss) {
				this.peakRss = r;
			}
			if (h > this.peakHeap) {
				this.peakHeap = h;
			}
		}

		/** {@code max(0, peak - baseline) / 1024 / units}. */
		double peakRssKbPer(long units) {
			return Math.max(0, this.peakRss - this.baselineRss) / 1024.0 / units;
		}

		double peakHeapKbPer(long units) {
			return Math.max(0, this.peakHeap - this.baselineHeap) / 1024.0 / units;
		}

		long baselineRss() {
			return this.baselineRss;
		}

		long peakRss() {
			return this.peakRss;
		}

		@Override
		public void close() {
			this.running = false;
			sample();
			try {
				this.sampler.join();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

	}

}
