package io.bubus.bridge.sqlite;

import java.nio.file.Path;
import java.time.Duration;

import io.bubus.bridge.BridgeWorker;
import io.bubus.bridge.EventBridge;

/** The listening bridge of the {@link BridgeWorker} JVM for {@code sqlite}. */
public final class WorkerListener implements BridgeWorker.Listener {

	@Override
	public EventBridge create(String replyTo, String listenOn) {
		return new SqliteEventBridge(Path.of(listenOn), replyTo, Duration.ofMillis(10), "WorkerBridge");
	}

}
