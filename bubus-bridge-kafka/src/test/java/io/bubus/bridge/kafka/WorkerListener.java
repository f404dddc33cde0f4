package io.bubus.bridge.kafka;

import io.bubus.bridge.BridgeWorker;
import io.bubus.bridge.EventBridge;

/** The listening bridge of the {@link BridgeWorker} JVM for {@code kafka}. */
public final class WorkerListener implements BridgeWorker.Listener {

	/** Both arguments are {@code <bootstrap servers>#<topic>}. */
	@Override
	public EventBridge create(String replyTo, String listenOn) {
		String servers = listenOn.substring(0, listenOn.indexOf('#'));
		return new KafkaEventBridge(servers, replyTo.substring(replyTo.indexOf('#') + 1),
				listenOn.substring(listenOn.indexOf('#') + 1), "WorkerBridge")
			.fromBeginning();
	}

}
