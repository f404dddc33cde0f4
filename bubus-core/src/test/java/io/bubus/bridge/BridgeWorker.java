package io.bubus.bridge;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.bubus.BaseEvent;

/**
 * The second JVM of the bridge tests: listens on a bridge, answers every {@link Ping}
 * with a {@link Pong} carrying the received payload, writes a ready file once listening,
 * and exits after the first reply (or after 60 s).
 */
public final class BridgeWorker {

	private BridgeWorker() {
	}

	public static void main(String[] args) throws Exception {
		String kind = args[0];
		Path target = Path.of(args[1]);
		Path ready = Path.of(args[2]);
		BaseEvent.register(Ping.class);
		BaseEvent.register(Pong.class);
		CountDownLatch replied = new CountDownLatch(1);
		try (EventBridge bridge = open(kind, target)) {
			bridge.on(Ping.class, (ping) -> {
				Pong pong = new Pong();
				pong.label = ping.label;
				pong.count = ping.count;
				pong.receivedType = ping.getClass().getSimpleName();
				bridge.emit(pong);
				replied.countDown();
				return "pong sent";
			});
			Files.writeString(ready, "ready");
			replied.await(60, TimeUnit.SECONDS);
		}
		System.exit(0);
	}

	private static EventBridge open(String kind, Path target) {
		return switch (kind) {
			case "jsonl" -> new JsonlEventBridge(target, Duration.ofMillis(10), "WorkerBridge", false);
			default -> throw new IllegalArgumentException("unknown bridge kind " + kind);
		};
	}

}
