package io.bubus.bridge.redis;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.bubus.bridge.BadInput;
import io.bubus.bridge.BridgeException;
import io.bubus.bridge.BridgeRoundTrip;
import io.bubus.bridge.BridgeTesting;
import io.bubus.bridge.TcpProxy;
import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.bubus.bridge.BridgeTesting.deliver;
import static io.bubus.bridge.BridgeTesting.note;
import static io.bubus.bridge.BridgeTesting.noteLabels;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

@Tag("services")
class RedisEventBridgeTests {

	private static final String SERVER = "redis://127.0.0.1:6379/0";

	@TempDir
	Path dir;

	private final String channel = BridgeTesting.randomName("ch");

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
	void closeAdmin() {
		this.adminConnection.close();
		this.admin.shutdown();
	}

	@Test
	void typedEventsTravelBothWaysBetweenTwoJvms() throws Exception {
		RedisEventBridge bridge = new RedisEventBridge(SERVER, this.channel, "ParentBridge");
		BridgeRoundTrip.run(this.dir, "redis", this.channel, SERVER, bridge, (ready) -> bridge);
	}

	@Test
	void garbageMessagesAreLoggedCountedAndDroppedAndTheNextGoodEventArrives() throws Exception {
		try (RedisEventBridge bridge = new RedisEventBridge(SERVER, this.channel, "RedisBad")) {
			BadInput.Wire publish = (message) -> this.adminConnection.sync().publish(this.channel, message);
			BadInput.check(bridge, publish, publish);
		}
	}

	@Test
	void killedConnectionsAreReopenedAndTheSubscriptionIsRestored() {
		try (RedisEventBridge listener = new RedisEventBridge(SERVER, this.channel, "RedisListener");
				RedisEventBridge sender = new RedisEventBridge(SERVER, this.channel, "RedisSender")) {
			List<Object> labels = noteLabels(listener);
			deliver(sender, labels, "before");
			List<String> killed = clientIds("bubus:RedisListener");
			killed.addAll(clientIds("bubus:RedisSender"));
			assertThat(killed).hasSize(3);
			for (String id : killed) {
				this.adminConnection.sync().clientKill(KillArgs.Builder.id(Long.parseLong(id)));
			}

			// fire-and-forget: what is published before the subscription is back is lost,
			// so keep publishing until one arrives
			AtomicInteger probe = new AtomicInteger();
			await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
				sender.emit(note("after-" + probe.incrementAndGet()));
				return labels.stream().anyMatch((label) -> String.valueOf(label).startsWith("after-"));
			});
			assertThat(clientIds("bubus:RedisListener")).hasSize(2).doesNotContainAnyElementsOf(killed);
			assertThat(listener.droppedMessages()).isZero();
		}
	}

	@Test
	void whileTheSenderIsCutOffEmitFailsClearlyAndNothingIsSentLater() throws Exception {
		try (TcpProxy proxy = new TcpProxy(6379);
				RedisEventBridge listener = new RedisEventBridge(SERVER, this.channel, "RedisListener");
				RedisEventBridge sender = new RedisEventBridge("redis://127.0.0.1:" + proxy.port() + "/0", this.channel,
						"RedisCutSender")) {
			List<Object> labels = noteLabels(listener);
			deliver(sender, labels, "before");

			proxy.refuse(true);
			proxy.cut();
			assertThatThrownBy(() -> sender.emit(note("while-down"))).isInstanceOf(BridgeException.class)
				.hasMessageContaining("bridge RedisCutSender could not PUBLISH to " + this.channel);
			proxy.refuse(false);

			// the failed publish is not sent after the reconnect: "after" comes alone
			await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
				sender.emit(note("after"));
				return true;
			});
			await().atMost(Duration.ofSeconds(10)).until(() -> labels.contains("after"));
			assertThat(labels).startsWith("before", "after").doesNotContain("while-down");
		}
	}

	@Test
	void rejectsBadUrlsAndChannels() {
		assertThatThrownBy(() -> new RedisEventBridge("redis://127.0.0.1:6379/0/a/b"))
			.hasMessageContaining("path must be /<db> or /<db>/<channel>");
		assertThatThrownBy(() -> new RedisEventBridge("redis://127.0.0.1:6379/zero"))
			.hasMessageContaining("must be a number");
		assertThatThrownBy(() -> new RedisEventBridge("http://127.0.0.1:6379/0")).hasMessageContaining("redis://");
		assertThatThrownBy(() -> new RedisEventBridge(SERVER, "bad channel", null))
			.hasMessage("Invalid channel name: 'bad channel'. Use 1 to 1024 characters without spaces or control "
					+ "characters (such as app:events)");
		assertThatThrownBy(() -> new RedisEventBridge(SERVER, "", null))
			.hasMessageContaining("Invalid channel name: ''");
		assertThat(new RedisEventBridge("redis://127.0.0.1:6379/0/from_url").channel()).isEqualTo("from_url");
		assertThat(new RedisEventBridge("redis://127.0.0.1:6379/0/app:events").channel()).isEqualTo("app:events");
		assertThat(new RedisEventBridge(SERVER, "orders.v1-eu", null).channel()).isEqualTo("orders.v1-eu");
		assertThat(new RedisEventBridge("redis://127.0.0.1:6379").channel()).isEqualTo("bubus_events");
	}

	/** The ids of the server's client connections with this name. */
	private List<String> clientIds(String name) {
		return new java.util.ArrayList<>(Arrays.stream(this.adminConnection.sync().clientList().split("\n"))
			.filter((line) -> line.contains(" name=" + name + " "))
			.map((line) -> line.replaceFirst("^id=(\\d+) .*$", "$1").strip())
			.toList());
	}

}
