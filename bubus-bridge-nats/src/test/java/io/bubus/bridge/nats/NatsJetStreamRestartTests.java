package io.bubus.bridge.nats;

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
 * The JetStream bridge across a real restart of its server: a private
 * {@code nats-server -js} of the test's own, stopped and started again mid-stream.
 */
@Tag("services")
class NatsJetStreamRestartTests {

	private static final int EVENTS = 10_000;

	@RegisterExtension
	static final PrivateServer server = PrivateServer.of(PrivateServer.Kind.NATS);

	@Test
	void threeInstancesOfOneDurableHandleTenThousandEventsOnceEachAcrossAServerRestart() throws Exception {
		String url = "nats://127.0.0.1:" + server.port();
		String subject = BridgeTesting.randomName("js") + ".events";
		String stream = BridgeTesting.randomName("stream").toUpperCase();
		Tally tally = new Tally();
		List<NatsJetStreamEventBridge> instances = new ArrayList<>();
		try (NatsJetStreamEventBridge sender = new NatsJetStreamEventBridge(url, subject, "JsRestartSender")
			.stream(stream)
			.batchSends(BatchedSends.BATCHING)) {
			for (int i = 0; i < 3; i++) {
				NatsJetStreamEventBridge instance = tally
					.count(new NatsJetStreamEventBridge(url, subject, "JsRestart" + i).stream(stream)
						.durable("shared")
						.ackWait(NatsJetStreamDeliveryTests.ACK_WAIT));
				instance.start();
				instances.add(instance);
			}
			// acknowledgements on their way when the server stops are lost: those
			// messages come again, to any instance of the durable
			PrivateServer.Restart restart = server.sendThroughRestart(sender, instances, tally, EVENTS,
					3 * 2 * NatsJetStreamEventBridge.PREFETCH);
			assertThat(sender.failedSends()).isEqualTo(restart.failed());
			System.out.println("NATS JetStream server restart, 3 instances of one durable: " + restart.describe()
					+ "; handled per instance " + instances.get(0).receivedMessages() + ", "
					+ instances.get(1).receivedMessages() + ", " + instances.get(2).receivedMessages());
		}
		finally {
			instances.forEach(Closeables::closeQuietly);
		}
	}

}
