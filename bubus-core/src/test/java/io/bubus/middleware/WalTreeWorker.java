package io.bubus.middleware;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import io.bubus.BaseEvent;
import io.bubus.EventBus;

/**
 * The JVM of the WAL tree crash test: a bus with a {@link WalEventBusMiddleware} and a
 * parent, child and grandchild handler. Each handler emits the next level and waits for
 * its result, then appends one line of work
 * ({@code level eventId result-of-the-level-below}) to the work file. In
 * {@code crash:<level>} mode the handler of that level, once the levels below it are
 * done, writes the ready file and blocks until the JVM is killed; in {@code recover} mode
 * the worker replays the WAL, waits until everything replayed completed and writes the
 * done file.
 * <p>
 * Arguments: WAL path, work file, ready or done file, mode.
 */
public final class WalTreeWorker {

	private WalTreeWorker() {
	}

	public static class TreeParent extends BaseEvent<String> {

	}

	public static class TreeChild extends BaseEvent<String> {

	}

	public static class TreeGrandchild extends BaseEvent<String> {

	}

	public static void main(String[] args) throws Exception {
		Path wal = Path.of(args[0]);
		Path work = Path.of(args[1]);
		Path signal = Path.of(args[2]);
		String mode = args[3];
		String blockAt = mode.startsWith("crash:") ? mode.substring("crash:".length()) : "";
		WalEventBusMiddleware log = new WalEventBusMiddleware(wal);
		EventBus bus = EventBus.builder("WalTree").maxHistorySize(null).middleware(log).build();
		bus.on(TreeParent.class, (parent) -> {
			String below = bus.emit(new TreeChild()).eventResult();
			return finish("parent", parent, below, blockAt, work, signal);
		});
		bus.on(TreeChild.class, (child) -> {
			String below = bus.emit(new TreeGrandchild()).eventResult();
			return finish("child", child, below, blockAt, work, signal);
		});
		bus.on(TreeGrandchild.class, (grandchild) -> finish("grandchild", grandchild, "-", blockAt, work, signal));
		if (blockAt.isEmpty()) {
			List<BaseEvent<?>> replayed = log.replay(bus);
			for (BaseEvent<?> event : replayed) {
				event.done(Duration.ofSeconds(60));
			}
			if (!bus.waitUntilIdle(Duration.ofSeconds(60))) {
				System.exit(2);
			}
			Files.writeString(signal, "replayed " + replayed.size());
			System.exit(0);
		}
		bus.emit(new TreeParent());
		new CountDownLatch(1).await();
	}

	private static String finish(String level, BaseEvent<?> event, String below, String blockAt, Path work, Path ready)
			throws Exception {
		if (level.equals(blockAt)) {
			Files.writeString(ready, level);
			new CountDownLatch(1).await();
		}
		Files.writeString(work, level + " " + event.eventId() + " " + below + "\n", StandardOpenOption.CREATE,
				StandardOpenOption.APPEND);
		return level + "-done";
	}

}
