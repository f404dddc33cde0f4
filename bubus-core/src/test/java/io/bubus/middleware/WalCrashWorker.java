package io.bubus.middleware;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import io.bubus.BaseEvent;
import io.bubus.EventBus;

/**
 * The JVM the WAL crash test kills: a bus with a {@link WalEventBusMiddleware} whose
 * handler takes 20 ms for each of the first five {@link WalJob}s and 5 s for the others;
 * it emits {@code count} jobs, writes the ready file and then waits to be killed.
 * <p>
 * Arguments: WAL path, ready file, count.
 */
public final class WalCrashWorker {

	private WalCrashWorker() {
	}

	public static void main(String[] args) throws Exception {
		Path wal = Path.of(args[0]);
		Path ready = Path.of(args[1]);
		int count = Integer.parseInt(args[2]);
		BaseEvent.register(WalJob.class);
		EventBus bus = EventBus.builder("WalWorker")
			.maxHistorySize(null)
			.middleware(new WalEventBusMiddleware(wal))
			.build();
		bus.on(WalJob.class, (job) -> {
			// a few quick jobs, then slow ones, so the kill always finds jobs in flight
			Thread.sleep((job.index < 5) ? 20 : 5_000);
			return "worker-" + job.index;
		});
		for (int i = 0; i < count; i++) {
			bus.emit(new WalJob(i));
		}
		Files.writeString(ready, "emitted " + count);
		new CountDownLatch(1).await();
	}

}
