package io.bubus.bridge.nats;

import io.bubus.bridge.BridgeWorker;
import io.bubus.bridge.EventBridge;

/** The listening bridge of the {@link BridgeWorker} JVM for {@code nats}. */
public final class WorkerListener implements BridgeWorker.Listener {

	@Override
	public EventBridge create(String replyTo, String listenOn) {
		return new NatsEventBridge(listenOn, replyTo, "WorkerBridge");
	}

}
