package io.bubus.bridge.postgres;

import java.time.Duration;
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
 * The PostgreSQL bridge's work sharing across a real restart of the database: a
 * PostgreSQL cluster of the test's own, stopped and started again mid-stream.
 */
@Tag("services")
class PostgresRestartTests {

	private static final int EVENTS = 10_000;

	@RegisterExtension
	static final PrivateServer server = PrivateServer.of(PrivateServer.Kind.POSTGRES);

	@Test
	void threeInstancesOfOneGroupHandleTenThousandEventsOnceEachAcrossADatabaseRestart() throws Exception {
		String url = "postgresql://postgres@127.0.0.1:" + server.port() + "/postgres";
		String channel = BridgeTesting.randomName("ch");
		Tally tally = new Tally();
		List<PostgresEventBridge> instances = new ArrayList<>();
		try (PostgresEventBridge sender = new PostgresEventBridge(url, channel, "PgRestartSender")
			.batchSends(BatchedSends.BATCHING)) {
			for (int i = 0; i < 3; i++) {
				PostgresEventBridge instance = tally
					.count(new PostgresEventBridge(url, channel, "PgRestart" + i).group("shared")
						.claimTimeout(Duration.ofSeconds(2)));
				instance.start();
				instances.add(instance);
			}
			// claims whose delete the restart lost run out and are taken over by any
			// instance of the group
			PrivateServer.Restart restart = server.sendThroughRestart(sender, instances, tally, EVENTS,
					3 * 2 * PostgresEventBridge.PREFETCH);
			assertThat(sender.failedSends()).isEqualTo(restart.failed());
			System.out.println("PostgreSQL group server restart, 3 instances: " + restart.describe()
					+ "; handled per instance " + instances.get(0).receivedMessages() + ", "
					+ instances.get(1).receivedMessages() + ", " + instances.get(2).receivedMessages()
					+ "; listener reconnects " + instances.get(0).reconnects() + ", " + instances.get(1).reconnects()
					+ ", " + instances.get(2).reconnects());
		}
		finally {
			instances.forEach(Closeables::closeQuietly);
		}
	}

}
