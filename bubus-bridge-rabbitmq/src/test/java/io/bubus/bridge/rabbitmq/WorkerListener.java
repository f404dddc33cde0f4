package io.bubus.bridge.rabbitmq;

import java.net.URI;

import io.bubus.bridge.BridgeWorker;
import io.bubus.bridge.EventBridge;

/** The listening bridge of the {@link BridgeWorker} JVM for {@code rabbitmq}. */
public final class WorkerListener implements BridgeWorker.Listener {

	/** Both URIs name their queue in the fragment: {@code amqp://host:5672#queue}. */
	@Override
	public EventBridge create(String replyTo, String listenOn) {
		URI replyUri = URI.create(replyTo);
		URI listenUri = URI.create(listenOn);
		URI server = URI.create(listenOn.replaceFirst("#.*$", ""));
		return new RabbitMqEventBridge(server, replyUri.getFragment(), listenUri.getFragment(), "WorkerBridge");
	}

}
