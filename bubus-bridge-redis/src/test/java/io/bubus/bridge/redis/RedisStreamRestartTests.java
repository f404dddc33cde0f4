package io.bubus.bridge.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.bubus.bridge.BridgeTesting;
import io.bubus.bridge.PrivateServer;
import io.bubus.bridge.Tally;
import io.bubus.internal.Closeables;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Redis Streams bridge across a real restart of its server: a private
 * {@code redis-server} of the test's own with an append-only file, stopped and started
 * again mid-stream.
 */
@Tag("services")
class RedisStreamRestartTests {

	private static final int EVENTS = 10_000;

	@RegisterExtension
	static final PrivateServer server = PrivateServer.of(PrivateServer.Kind.REDIS);

	@Test
	void threeConsumersOfOneGroupHandleTenThousandEventsOnceEachAcrossAServerRestart() throws Exception {
		String url = "redis://127.0.0.1:" + server.port() + "/0";
		String stream = "bubus:" + BridgeTesting.randomName("stream");
		Tally tally = new Tally();
		List<RedisStreamEventBridge> instances = new ArrayList<>();
		try (RedisStreamEventBridge sender = new RedisStreamEventBridge(url, stream, "StreamRestartSender")) {
			for (int i = 0; i < 3; i++) {
				RedisStreamEventBridge instance = tally
					.count(new RedisStreamEventBridge(url, stream, "StreamRestart" + i).group("shared")
						.claimIdle(Duration.ofSeconds(2)));
				instance.start();
				instances.add(instance);
			}
			// entries whose XACK the restart lost stay pending and are claimed by any
			// consumer of the group; an add that timed out and is sent again may be
			// stored twice
			PrivateServer.Restart restart = server.sendThroughRestart(sender, instances, tally, EVENTS,
					3 * 2 * RedisStreamEventBridge.PREFETCH + PrivateServer.WHILE_DOWN);
			System.out.println("Redis Streams server restart, 3 consumers of one group: " + restart.describe()
					+ "; handled per consumer " + instances.get(0).receivedMessages() + ", "
					+ instances.get(1).receivedMessages() + ", " + instances.get(2).receivedMessages());
		}
		finally {
			instances.forEach(Closeables::closeQuietly);
		}
	}

}
