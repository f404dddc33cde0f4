package io.bubus.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Memory readings for the scenario harness: resident set size from
 * {@code /proc/self/status} (VmRSS; committed heap + non-heap where there is no
 * {@code /proc}) and heap in use from the {@link MemoryMXBean}.
 */
final class Memory {

	private static final Path STATUS = Path.of("/proc/self/status");

	private static final MemoryMXBean MX = ManagementFactory.getMemoryMXBean();

	private Memory() {
	}

	/** Resident set size in bytes. */
	static long rss() {
		if (Files.isReadable(STATUS)) {
			try {
				for (String line : Files.readAllLines(STATUS, StandardCharsets.US_ASCII)) {
					if (line.startsWith("VmRSS:")) {
						String kb = line.substring(6).trim();
						return Long.parseLong(kb.substring(0, kb.indexOf(' '))) * 1024;
					}
				}
			}
			catch (IOException | RuntimeException ex) {
				// fall through to the MXBean estimate
			}
		}
		return MX.getHeapMemoryUsage().getCommitted() + MX.getNonHeapMemoryUsage().getCommitted();
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
