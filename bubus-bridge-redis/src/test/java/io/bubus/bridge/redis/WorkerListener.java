package io.bubus.bridge.redis;

import io.bubus.bridge.BridgeWorker;
import io.bubus.bridge.EventBridge;

/** The listening bridge of the {@link BridgeWorker} JVM for {@code redis}. */
public final class WorkerListener implements BridgeWorker.Listener {

	@Override
	public EventBridge create(String replyTo, String listenOn) {
		return new RedisEventBridge(listenOn, replyTo, "WorkerBridge");
	}

}
