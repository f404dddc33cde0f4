package io.bubus.retry;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code MULTIPROCESS} semaphore across real JVMs ({@link SemaphoreWorker}): the
 * limit holds, a strict waiter times out, waiting JVMs get the slots as holders release
 * them, and a killed holder's slot is freed (spec §3.4, §3.5).
 */
class RetryMultiprocessTests {

	@TempDir
	Path dir;

	private final List<Worker> workers = new ArrayList<>();

	@AfterEach
	void killWorkers() {
		this.workers.forEach((worker) -> worker.process.destroyForcibly());
	}

	/** A running worker JVM, its standard output and standard input. */
	private static final class Worker {

		final Process process;

		final BufferedReader out;

		final Writer in;

		Worker(Process process) {
			this.process = process;
			this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
			this.in = process.outputWriter(StandardCharsets.UTF_8);
		}

		/** Blocks until the worker prints a line starting with {@code prefix}. */
		void awaitLine(String prefix) throws Exception {
			CompletableFuture.runAsync(() -> {
				try {
					for (String line; (line = this.out.readLine()) != null;) {
						if (line.startsWith(prefix)) {
							return;
						}
					}
					throw new IllegalStateException("worker exited before printing " + prefix);
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			}).get(60, TimeUnit.SECONDS);
		}

		/**
		 * Sends a line: the go signal, or the release signal of a worker holding until
		 * told.
		 */
		void go() throws IOException {
			this.in.write("go\n");
			this.in.flush();
		}

		int exitCode() throws InterruptedException {
			assertThat(this.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
			return this.process.exitValue();
		}

	}

	private Worker start(String id, int limit, long semaphoreTimeoutMillis, long holdMillis) throws IOException {
		Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
				System.getProperty("java.class.path"), SemaphoreWorker.class.getName(),
				this.dir.resolve("locks").toString(), "test_mp", String.valueOf(limit),
				String.valueOf(semaphoreTimeoutMillis), String.valueOf(holdMillis), timeline().toString(), id)
			.redirectError(ProcessBuilder.Redirect.INHERIT)
			.start();
		Worker worker = new Worker(process);
		this.workers.add(worker);
		return worker;
	}

	private Path timeline() {
		return this.dir.resolve("timeline.txt");
	}

	private record Mark(String kind, String worker, Instant at) {

	}

	private List<Mark> marks() throws IOException {
		List<Mark> marks = new ArrayList<>();
		for (String line : Files.readAllLines(timeline())) {
			String[] parts = line.split(" ");
			marks.add(new Mark(parts[0], parts[1], Instant.parse(parts[2])));
		}
		return marks;
	}

	/** The most workers holding a slot at the same time, from the timeline. */
	private static int maxHolders(List<Mark> marks) {
		List<Mark> sorted = new ArrayList<>(marks);
		// a holder writes "released" before it lets go and the next one "acquired" after,
		// so at equal times the release comes first
		sorted.sort(Comparator.comparing(Mark::at).thenComparing((mark) -> mark.kind().equals("acquired")));
		int holders = 0;
		int max = 0;
		for (Mark mark : sorted) {
			holders += mark.kind().equals("acquired") ? 1 : -1;
			max = Math.max(max, holders);
		}
		return max;
	}

	@Test
	void sixJvmsStartedTogetherNeverHoldMoreThanThreeSlots() throws Exception {
		List<Worker> six = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			six.add(start("w" + i, 3, 60_000, 1_000));
		}
		for (Worker worker : six) {
			worker.awaitLine("ready");
		}
		for (Worker worker : six) {
			worker.go();
		}
		for (Worker worker : six) {
			assertThat(worker.exitCode()).isZero();
		}

		List<Mark> marks = marks();
		assertThat(marks).filteredOn((mark) -> mark.kind().equals("acquired")).hasSize(6);
		assertThat(marks).filteredOn((mark) -> mark.kind().equals("released")).hasSize(6);
		assertThat(maxHolders(marks)).isEqualTo(3);
	}

	@Test
	void aStrictFourthJvmTimesOutWhileThreeHoldTheSlots() throws Exception {
		List<Worker> holders = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			Worker holder = start("holder" + i, 3, 60_000, -1);
			holders.add(holder);
			holder.awaitLine("ready");
			holder.go();
		}
		for (Worker holder : holders) {
			holder.awaitLine("acquired");
		}
		Worker late = start("late", 3, 300, 100);
		late.awaitLine("ready");
		late.go();

		assertThat(late.exitCode()).isEqualTo(2);
		for (Worker holder : holders) {
			holder.go();
			assertThat(holder.exitCode()).isZero();
		}
		assertThat(marks()).extracting(Mark::worker).doesNotContain("late");
	}

	@Test
	void waitingJvmsAcquireOnlyAsHoldersReleaseAndAllGetASlot() throws Exception {
		List<Worker> holders = new ArrayList<>();
		for (int i = 0; i < 2; i++) {
			Worker holder = start("holder" + i, 2, 60_000, -1);
			holders.add(holder);
			holder.awaitLine("ready");
			holder.go();
			holder.awaitLine("acquired");
		}
		List<Worker> waiting = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			Worker worker = start("waiting" + i, 2, 60_000, 100);
			waiting.add(worker);
			worker.awaitLine("ready");
			worker.go();
		}
		// a strict JVM told to go after them times out: the slots stayed taken while the
		// waiting JVMs were asking for one
		Worker probe = start("probe", 2, 300, 100);
		probe.awaitLine("ready");
		probe.go();
		assertThat(probe.exitCode()).isEqualTo(2);

		for (Worker holder : holders) {
			holder.go();
			assertThat(holder.exitCode()).isZero();
		}
		for (Worker worker : waiting) {
			assertThat(worker.exitCode()).isZero();
		}

		List<Mark> marks = marks();
		List<Mark> acquired = marks.stream()
			.filter((mark) -> mark.kind().equals("acquired"))
			.sorted(Comparator.comparing(Mark::at))
			.toList();
		assertThat(acquired).extracting(Mark::worker).hasSize(5).doesNotContain("probe");
		assertThat(List.of(acquired.get(0).worker(), acquired.get(1).worker())).containsExactlyInAnyOrder("holder0",
				"holder1");
		Instant firstRelease = marks.stream()
			.filter((mark) -> mark.kind().equals("released"))
			.map(Mark::at)
			.min(Comparator.naturalOrder())
			.orElseThrow();
		assertThat(acquired.subList(2, 5)).allSatisfy((mark) -> assertThat(mark.at()).isAfterOrEqualTo(firstRelease));
		assertThat(maxHolders(marks)).isEqualTo(2);
	}

	@Test
	void slotsOfKilledJvmsAreFreedForNewOnes() throws Exception {
		List<Worker> doomed = new ArrayList<>();
		for (int i = 0; i < 2; i++) {
			Worker holder = start("doomed" + i, 2, 60_000, 60_000);
			doomed.add(holder);
			holder.awaitLine("ready");
			holder.go();
			holder.awaitLine("acquired");
		}
		for (Worker holder : doomed) {
			holder.process.destroyForcibly();
			assertThat(holder.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
		}

		List<Worker> next = List.of(start("next0", 2, 20_000, 100), start("next1", 2, 20_000, 100));
		for (Worker worker : next) {
			worker.awaitLine("ready");
			worker.go();
		}
		for (Worker worker : next) {
			assertThat(worker.exitCode()).isZero();
		}

		assertThat(marks()).filteredOn((mark) -> mark.kind().equals("acquired"))
			.extracting(Mark::worker)
			.containsExactlyInAnyOrder("doomed0", "doomed1", "next0", "next1");
	}

}
