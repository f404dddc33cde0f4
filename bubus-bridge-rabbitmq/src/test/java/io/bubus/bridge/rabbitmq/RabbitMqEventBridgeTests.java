package io.bubus.bridge.rabbitmq;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.bubus.bridge.BadInput;
import io.bubus.bridge.BatchedSends;
import io.bubus.bridge.BridgeRoundTrip;
import io.bubus.bridge.BridgeTesting;
import io.bubus.bridge.TcpProxy;
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
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

@Tag("services")
class RabbitMqEventBridgeTests {

	private static final URI SERVER = URI.create("amqp://guest:guest@127.0.0.1:5672");

	@TempDir
	Path dir;

	private final String queue = BridgeTesting.randomName("q");

	private final String otherQueue = BridgeTesting.randomName("q");

	private Connection admin;

	private Channel adminChannel;

	@BeforeAll
	static void rabbitMqIsRunning() {
		BridgeTesting.requireService("RabbitMQ", 5672, "rabbitmq-server -detached");
	}

	@BeforeEach
	void connectAdmin() throws Exception {
		ConnectionFactory factory = new ConnectionFactory();
		factory.setUri(SERVER);
		this.admin = factory.newConnection("bubus-test-admin");
		this.adminChannel = this.admin.createChannel();
	}

	@AfterEach
	void deleteQueues() throws Exception {
		this.adminChannel.queueDelete(this.queue);
		this.adminChannel.queueDelete(this.otherQueue);
		this.admin.close();
	}

	@Test
	void typedEventsTravelBothWaysBetweenTwoJvms() throws Exception {
		// each side listens on its own queue and sends to the other's
		RabbitMqEventBridge listener = new RabbitMqEventBridge(SERVER, null, this.queue, "ParentBridge");
		BridgeRoundTrip.run(this.dir, "rabbitmq", SERVER + "#" + this.queue, SERVER + "#" + this.otherQueue, listener,
				(ready) -> new RabbitMqEventBridge(SERVER, this.otherQueue, null, "ParentSender"));
	}

	@Test
	void garbageMessagesAreLoggedCountedAcknowledgedAndDroppedAndTheNextGoodEventArrives() throws Exception {
		try (RabbitMqEventBridge bridge = new RabbitMqEventBridge(SERVER, this.queue, this.queue, "RabbitBad")) {
			bridge.start();
			BadInput.check(bridge,
					(message) -> this.adminChannel.basicPublish("", this.queue, null,
							message.getBytes(StandardCharsets.UTF_8)),
					(good) -> bridge.emit(io.bubus.BaseEvent.fromJson(good)));
			await().atMost(Duration.ofSeconds(10))
				.until(() -> this.adminChannel.queueDeclarePassive(this.queue).getMessageCount() == 0);
		}
	}

	@Test
	void eventsSentWhileNoListenerRunsWaitInTheQueue() {
		try (RabbitMqEventBridge sender = new RabbitMqEventBridge(SERVER, this.queue, null, "RabbitSender")) {
			for (int i = 0; i < 50; i++) {
				sender.emit(note("e" + i));
			}
		}
		try (RabbitMqEventBridge listener = new RabbitMqEventBridge(SERVER, null, this.queue, "RabbitLate")) {
			List<Object> labels = noteLabels(listener);
			await().atMost(Duration.ofSeconds(10)).until(() -> labels.size() >= 50);
			assertThat(labels).containsExactlyElementsOf(labels(50));
		}
	}

	@Test
	void cutConnectionsRecoverAndEveryEventArrives() throws Exception {
		try (TcpProxy listenerProxy = new TcpProxy(5672);
				TcpProxy senderProxy = new TcpProxy(5672);
				RabbitMqEventBridge listener = new RabbitMqEventBridge(viaProxy(listenerProxy), null, this.queue,
						"RabbitListener");
				RabbitMqEventBridge sender = new RabbitMqEventBridge(viaProxy(senderProxy), this.queue, null,
						"RabbitSender")) {
			List<Object> labels = noteLabels(listener);
			for (int i = 0; i < 50; i++) {
				sender.emit(note("e" + i));
			}
			listenerProxy.refuse(true);
			listenerProxy.cut();
			senderProxy.cut();
			// the sender's emits wait for its recovery; the listener stays away meanwhile
			for (int i = 50; i < 100; i++) {
				sender.emit(note("e" + i));
			}
			assertThat(senderProxy.accepted()).isGreaterThanOrEqualTo(2);
			listenerProxy.refuse(false);

			await().atMost(Duration.ofSeconds(30)).until(() -> labels.containsAll(labels(100)));
			// at least once: a message whose ack was cut off may come again
			assertThat(labels).containsAll(labels(100)).hasSizeGreaterThanOrEqualTo(100);
		}
	}

	@Test
	void batchedSendsArriveCompleteAndInOrder() throws Exception {
		try (RabbitMqEventBridge listener = new RabbitMqEventBridge(SERVER, null, this.queue, "RabbitListener");
				RabbitMqEventBridge sender = new RabbitMqEventBridge(SERVER, this.queue, null, "RabbitBatcher")
					.batchSends(BatchedSends.BATCHING)) {
			BatchedSends.arriveCompleteAndInOrder(sender, listener, 2000);
		}
	}

	@Test
	void closePublishesTheQueuedEvents() {
		try (RabbitMqEventBridge listener = new RabbitMqEventBridge(SERVER, null, this.queue, "RabbitListener")) {
			RabbitMqEventBridge sender = new RabbitMqEventBridge(SERVER, this.queue, null, "RabbitCloser")
				.batchSends(BatchedSends.LINGERING);
			BatchedSends.closeSendsWhatIsQueued(sender, listener, 500);
		}
	}

	@Test
	void aBatchingSenderWhoseConnectionIsCutPublishesTheUnconfirmedBatchAgain() throws Exception {
		try (TcpProxy senderProxy = new TcpProxy(5672);
				RabbitMqEventBridge listener = new RabbitMqEventBridge(SERVER, null, this.queue, "RabbitListener");
				RabbitMqEventBridge sender = new RabbitMqEventBridge(viaProxy(senderProxy), this.queue, null,
						"RabbitCutSender")
					.batchSends(BatchedSends.BATCHING)) {
			List<Object> labels = noteLabels(listener);
			for (int i = 0; i < 50; i++) {
				sender.emit(note("e" + i));
			}
			senderProxy.cut();
			for (int i = 50; i < 100; i++) {
				sender.emit(note("e" + i));
			}
			assertThat(sender.flush()).succeedsWithin(Duration.ofSeconds(60));
			assertThat(sender.failedSends()).isZero();
			await().atMost(Duration.ofSeconds(30)).until(() -> labels.containsAll(labels(100)));
			// at least once: a batch published again may repeat events, never reorder
			// them
			assertThat(labels.stream().distinct().toList()).containsExactlyElementsOf(labels(100));
		}
	}

	@Test
	void rejectsBadQueueNamesAndSchemes() {
		assertThatThrownBy(() -> new RabbitMqEventBridge(SERVER, "bad queue", null, null))
			.hasMessage("Invalid queue name: 'bad queue'. Use only [A-Za-z0-9_] and start with a letter/_");
		assertThatThrownBy(() -> new RabbitMqEventBridge(URI.create("http://x"), "q", null, null))
			.hasMessageContaining("amqp://");
		try (RabbitMqEventBridge listenOnly = new RabbitMqEventBridge(SERVER, null, this.queue, null)) {
			assertThatThrownBy(() -> listenOnly.emit(note("x"))).hasMessageContaining("requires sendQueue");
		}
	}

	private static URI viaProxy(TcpProxy proxy) {
		return URI.create("amqp://guest:guest@127.0.0.1:" + proxy.port());
	}

}
