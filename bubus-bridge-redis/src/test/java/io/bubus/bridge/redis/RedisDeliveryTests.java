package io.bubus.bridge.redis;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.bubus.bridge.AtMostOnceLosses;
import io.bubus.bridge.BridgeTesting;
import io.bubus.bridge.EventBridge;
import io.bubus.bridge.KilledReceiver;
import io.bubus.bridge.Tally;
import io.bubus.bridge.TcpProxy;
import io.bubus.internal.Closeables;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.bubus.bridge.BridgeTesting.labels;
import static io.bubus.bridge.BridgeTesting.note;
import static io.bubus.bridge.BridgeTesting.noteLabels;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The delivery contracts under faults against the real server, through loopback proxies:
 * Redis Streams at least once (duplicates suppressed, work shared by a consumer group,
 * resume), pub/sub at most once with every loss counted and logged.
 */
@Tag("services")
class RedisDeliveryTests {

	private static final String SERVER = "redis://127.0.0.1:6379/0";

	private static final int EVENTS = 10_000;

	private static final Duration CLAIM_IDLE = Duration.ofSeconds(2);

	private final String stream = "bubus:" + BridgeTesting.randomName("stream");

	@TempDir
	Path dir;

	private RedisClient admin;

	private StatefulRedisConnection<String, String> adminConnection;

	@BeforeAll
	static void redisIsRunning() {
		BridgeTesting.requireService("Redis", 6379,
				"redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save \"\" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log");
	}

	@BeforeEach
	void connectAdmin() {
		this.admin = RedisClient.create(SERVER);
		this.adminConnection = this.admin.connect();
	}

	@AfterEach
	void deleteStream() {
		this.adminConnection.sync().del(this.stream);
		this.adminConnection.close();
		this.admin.shutdown();
	}

	@Test
	void streamEntriesTravelInOrderWithTheirTraceFieldsAndAreAcknowledged() {
		try (RedisStreamEventBridge listener = new RedisStreamEventBridge(SERVER, this.stream, "StreamListener");
				RedisStreamEventBridge sender = new RedisStreamEventBridge(SERVER, this.stream, "StreamSender")) {
			List<Object> labels = noteLabels(listener);
			for (int i = 0; i < 100; i++) {
				sender.emit(note("e" + i));
			}
			await().atMost(Duration.ofSeconds(30)).until(() -> labels.size() >= 100);
			assertThat(labels).containsExactlyElementsOf(labels(100));
			await().atMost(Duration.ofSeconds(10)).until(() -> pending("StreamListener") == 0);
			assertThat(this.adminConnection.sync().xlen(this.stream)).isEqualTo(100);
		}
	}

	@Test
	void threeConsumersOfOneGroupShareTenThousandEntriesEachHandledOnceWhenOneStopsMidStream() {
		Tally tally = new Tally();
		List<RedisStreamEventBridge> listeners = new ArrayList<>();
		try (RedisStreamEventBridge sender = new RedisStreamEventBridge(SERVER, this.stream, "StreamShareSender")) {
			for (int i = 0; i < 3; i++) {
				RedisStreamEventBridge listener = tally
					.count(new RedisStreamEventBridge(SERVER, this.stream, "StreamShare" + i).group("shared")
						.claimIdle(CLAIM_IDLE));
				listener.start();
				listeners.add(listener);
			}
			for (int i = 0; i < EVENTS; i++) {
				sender.emit(note("e" + i));
				if (i == EVENTS / 3) {
					await().atMost(Duration.ofSeconds(30)).until(() -> listeners.get(0).receivedMessages() > 0);
					// what it read and did not handle stays pending: claimed by the
					// others
					listeners.get(0).close();
				}
			}
			await().atMost(Duration.ofSeconds(120)).until(() -> tally.distinct() == EVENTS);
			assertThat(tally.missing(EVENTS)).isEmpty();
			assertThat(tally.repeated()).isEmpty();
			assertThat(tally.total()).isEqualTo(EVENTS);
			assertThat(listeners.get(1).receivedMessages()).isPositive();
			assertThat(listeners.get(2).receivedMessages()).isPositive();
			System.out.println("Redis Streams work sharing: handled per consumer " + listeners.get(0).receivedMessages()
					+ " (stopped), " + listeners.get(1).receivedMessages() + ", "
					+ listeners.get(2).receivedMessages());
		}
		finally {
			listeners.forEach(Closeables::closeQuietly);
		}
	}

	@Test
	void tenThousandEntriesThroughCutAndFrozenLinksAreEachHandledOnce() throws Exception {
		Tally tally = new Tally();
		try (TcpProxy listenerProxy = new TcpProxy(6379);
				TcpProxy senderProxy = new TcpProxy(6379);
				RedisStreamEventBridge listener = tally
					.count(new RedisStreamEventBridge(via(listenerProxy), this.stream, "StreamFaultListener")
						.claimIdle(CLAIM_IDLE));
				RedisStreamEventBridge sender = new RedisStreamEventBridge(via(senderProxy), this.stream,
						"StreamFaultSender")) {
			// cut while the listener holds read and unacknowledged entries: they stay
			// pending and are claimed again, suppressed; a lost reply: the client sends
			// the XADD again, so an entry may be added twice
			TcpProxy.sendThroughFaults(sender, tally, listenerProxy, senderProxy, EVENTS);
			await().atMost(Duration.ofSeconds(60)).until(() -> tally.distinct() == EVENTS);
			await().atMost(Duration.ofSeconds(30)).until(() -> pending("StreamFaultListener") == 0);
			assertThat(tally.missing(EVENTS)).isEmpty();
			assertThat(tally.repeated()).as("redeliveries are suppressed").isEmpty();
			assertThat(tally.total()).isEqualTo(EVENTS);
			System.out.println("Redis Streams faults: " + EVENTS + " sent, 0 lost, "
					+ this.adminConnection.sync().xlen(this.stream) + " entries, " + listener.duplicateMessages()
					+ " duplicate deliveries suppressed, listener connections " + listenerProxy.accepted()
					+ ", sender connections " + senderProxy.accepted());
		}
	}

	@Test
	void aConsumerKilledMidStreamLosesNothingAndOnlyItsUnacknowledgedEntriesRunAgain() throws Exception {
		try (RedisStreamEventBridge sender = new RedisStreamEventBridge(SERVER, this.stream, "StreamKillSender")) {
			// restarted with the same consumer name, it reads its own pending entries
			// first: those it had handled and not acknowledged run again
			KilledReceiver.of(this.dir, ChildReceiver.class, SERVER, this.stream)
				.repeatsAtMost(2 * RedisStreamEventBridge.PREFETCH)
				.settledWhen(() -> pending("kill") == 0)
				.run("Redis Streams", sender);
		}
	}

	/** The child JVM's consumer: server, stream; group {@code kill}, a fixed name. */
	public static final class ChildReceiver implements KilledReceiver.Receiver {

		@Override
		public EventBridge create(List<String> args) {
			return new RedisStreamEventBridge(args.get(0), args.get(1), "StreamKillReceiver").group("kill")
				.consumer("kill-receiver")
				.claimIdle(CLAIM_IDLE);
		}

	}

	@Test
	void aRestartedListenerResumesWithWhatWasAddedWhileItWasDown() {
		try (RedisStreamEventBridge sender = new RedisStreamEventBridge(SERVER, this.stream, "StreamResumeSender")) {
			try (RedisStreamEventBridge first = new RedisStreamEventBridge(SERVER, this.stream, "StreamResume")) {
				List<Object> labels = noteLabels(first);
				BridgeTesting.deliver(sender, labels, "before");
			}
			for (int i = 0; i < 500; i++) {
				sender.emit(note("e" + i));
			}
			try (RedisStreamEventBridge again = new RedisStreamEventBridge(SERVER, this.stream, "StreamResume")) {
				List<Object> labels = noteLabels(again);
				await().atMost(Duration.ofSeconds(30)).until(() -> labels.size() >= 500);
				assertThat(labels).containsExactlyElementsOf(labels(500));
			}
		}
	}

	@Test
	void pubSubLossesWhileAListenerIsCutOffAreCountedAndLogged() throws Exception {
		String channel = "bubus:" + BridgeTesting.randomName("ch");
		try (TcpProxy proxy = new TcpProxy(6379);
				RedisEventBridge listener = new RedisEventBridge(via(proxy), channel, "PubSubLossListener");
				RedisEventBridge sender = new RedisEventBridge(SERVER, channel, "PubSubLossSender")) {
			System.out.println("Redis pub/sub: " + AtMostOnceLosses.countedAndLogged(proxy, listener, sender)
					+ " (no subscriber)");
		}
	}

	private long pending(String group) {
		return this.adminConnection.sync().xpending(this.stream, group).getCount();
	}

	private static String via(TcpProxy proxy) {
		return "redis://127.0.0.1:" + proxy.port() + "/0";
	}

}
