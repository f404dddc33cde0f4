package io.bubus.bridge.postgres;

import io.bubus.bridge.BridgeWorker;
import io.bubus.bridge.EventBridge;

/** The listening bridge of the {@link BridgeWorker} JVM for {@code postgres}. */
public final class WorkerListener implements BridgeWorker.Listener {

	@Override
	public EventBridge create(String replyTo, String listenOn) {
		return new PostgresEventBridge(listenOn, replyTo, "WorkerBridge");
	}

}
