package io.bubus.bridge.rabbitmq;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import io.bubus.bridge.BatchedSends;
import io.bubus.bridge.BridgeTesting;
import io.bubus.bridge.PrivateServer;
import io.bubus.bridge.Tally;
import io.bubus.internal.Closeables;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The RabbitMQ bridge across a real restart of its broker: a RabbitMQ node of the test's
 * own, stopped and started again mid-stream.
 */
@Tag("services")
class RabbitMqRestartTests {

	private static final int EVENTS = 10_000;

	@RegisterExtension
	static final PrivateServer server = PrivateServer.of(PrivateServer.Kind.RABBITMQ);

	@Test
	void threeCompetingConsumersHandleTenThousandEventsOnceEachAcrossABrokerRestart() throws Exception {
		URI url = URI.create("amqp://guest:guest@127.0.0.1:" + server.port());
		String queue = BridgeTesting.randomName("q");
		Tally tally = new Tally();
		List<RabbitMqEventBridge> instances = new ArrayList<>();
		try (RabbitMqEventBridge sender = new RabbitMqEventBridge(url, queue, null, "RabbitRestartSender")
			.batchSends(BatchedSends.BATCHING)) {
			for (int i = 0; i < 3; i++) {
				RabbitMqEventBridge instance = tally
					.count(new RabbitMqEventBridge(url, null, queue, "RabbitRestart" + i));
				instance.start();
				instances.add(instance);
			}
			// what a consumer held unacknowledged when the broker stopped is requeued,
			// to any consumer; a publish whose confirm was lost is published again
			PrivateServer.Restart restart = server.sendThroughRestart(sender, instances, tally, EVENTS,
					3 * RabbitMqEventBridge.PREFETCH + PrivateServer.WHILE_DOWN);
			assertThat(sender.failedSends()).isEqualTo(restart.failed());
			System.out.println("RabbitMQ broker restart, 3 competing consumers: " + restart.describe()
					+ "; handled per consumer " + instances.get(0).receivedMessages() + ", "
					+ instances.get(1).receivedMessages() + ", " + instances.get(2).receivedMessages());
		}
		finally {
			instances.forEach(Closeables::closeQuietly);
		}
	}

}
