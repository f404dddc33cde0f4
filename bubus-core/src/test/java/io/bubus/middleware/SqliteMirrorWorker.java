package io.bubus.middleware;

import java.nio.file.Path;
import java.time.Duration;

import io.bubus.EventBus;

/**
 * One of the JVMs of the shared-database test: a bus {@code WorkerBus<i>} mirrored into
 * the given database handles one {@link MirrorJob} and exits.
 * <p>
 * Arguments: database path, worker index.
 */
public final class SqliteMirrorWorker {

	private SqliteMirrorWorker() {
	}

	public static void main(String[] args) {
		Path db = Path.of(args[0]);
		String index = args[1];
		try (SqliteHistoryMirrorMiddleware mirror = new SqliteHistoryMirrorMiddleware(db);
				EventBus bus = EventBus.builder("WorkerBus" + index).middleware(mirror).build()) {
			bus.on(MirrorJob.class, (job) -> "ok from " + index);
			bus.emit(new MirrorJob()).done(Duration.ofSeconds(30));
			bus.waitUntilIdle(Duration.ofSeconds(30));
		}
		System.exit(0);
	}

}
