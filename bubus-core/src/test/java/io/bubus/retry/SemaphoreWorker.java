package io.bubus.retry;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;

/**
 * One JVM of the multiprocess semaphore tests. It prints {@code ready}, waits for a line
 * on standard input (the go signal), then runs one call under a {@code MULTIPROCESS}
 * semaphore that appends {@code acquired <id> <instant>} to the timeline file, prints
 * {@code acquired}, holds the slot for the hold time (a negative hold: until a second
 * line on standard input), appends {@code released <id> <instant>} and returns. Exit code
 * 0 on success, 2 when no slot was free in time (strict mode).
 * <p>
 * Arguments: semaphore directory, semaphore name, limit, semaphore timeout in ms, hold in
 * ms, timeline file, worker id.
 */
public final class SemaphoreWorker {

	private SemaphoreWorker() {
	}

	public static void main(String[] args) throws Exception {
		Path directory = Path.of(args[0]);
		String name = args[1];
		int limit = Integer.parseInt(args[2]);
		Duration semaphoreTimeout = Duration.ofMillis(Long.parseLong(args[3]));
		Duration hold = Duration.ofMillis(Long.parseLong(args[4]));
		Path timeline = Path.of(args[5]);
		String id = args[6];
		Retry retry = Retry.builder()
			.semaphoreLimit(limit)
			.semaphoreName(name)
			.semaphoreScope(SemaphoreScope.MULTIPROCESS)
			.semaphoreDirectory(directory)
			.semaphoreLax(false)
			.semaphoreTimeout(semaphoreTimeout)
			.build();
		System.out.println("ready");
		System.out.flush();
		BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		stdin.readLine();
		try {
			retry.call(() -> {
				append(timeline, "acquired " + id + " " + Instant.now());
				System.out.println("acquired");
				System.out.flush();
				if (hold.isNegative()) {
					stdin.readLine();
				}
				else {
					Thread.sleep(hold);
				}
				append(timeline, "released " + id + " " + Instant.now());
				return null;
			});
		}
		catch (SemaphoreTimeoutException ex) {
			System.out.println("timeout " + ex.getMessage());
			System.exit(2);
		}
		System.exit(0);
	}

	private static void append(Path timeline, String line) throws Exception {
		Files.writeString(timeline, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
				StandardOpenOption.APPEND);
	}

}
