package io.bubus.bridge.rabbitmq;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.bubus.bridge.BatchedSends;
import io.bubus.bridge.BridgeTesting;
import io.bubus.bridge.EventBridge;
import io.bubus.bridge.KilledReceiver;
import io.bubus.bridge.Tally;
import io.bubus.bridge.TcpProxy;
import io.bubus.internal.Closeables;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.bubus.bridge.BridgeTesting.note;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The delivery contract under faults, against the real broker through loopback proxies:
 * at least once with duplicates suppressed, and work shared by competing consumers.
 */
@Tag("services")
class RabbitMqDeliveryTests {

	private static final URI SERVER = URI.create("amqp://guest:guest@127.0.0.1:5672");

	private static final int EVENTS = 10_000;

	private final String queue = BridgeTesting.randomName("q");

	@TempDir
	Path dir;

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
	void deleteQueue() throws Exception {
		this.adminChannel.queueDelete(this.queue);
		this.admin.close();
	}

	@Test
	void tenThousandEventsThroughCutAndFrozenLinksAreEachHandledOnce() throws Exception {
		Tally tally = new Tally();
		try (TcpProxy listenerProxy = new TcpProxy(5672);
				TcpProxy senderProxy = new TcpProxy(5672);
				RabbitMqEventBridge listener = tally
					.count(new RabbitMqEventBridge(viaProxy(listenerProxy), null, this.queue, "RabbitFaultListener"));
				RabbitMqEventBridge sender = new RabbitMqEventBridge(viaProxy(senderProxy), this.queue, null,
						"RabbitFaultSender")
					.batchSends(BatchedSends.BATCHING)) {
			// cut while the listener holds handled and unacknowledged messages: they come
			// again, suppressed; a lost confirm: the sender publishes the batch again
			TcpProxy.sendThroughFaults(sender, tally, listenerProxy, senderProxy, EVENTS);
			await().atMost(Duration.ofSeconds(120)).until(() -> tally.distinct() == EVENTS);
			await().atMost(Duration.ofSeconds(30))
				.until(() -> this.adminChannel.queueDeclarePassive(this.queue).getMessageCount() == 0);
			assertThat(tally.missing(EVENTS)).isEmpty();
			assertThat(tally.repeated()).as("redeliveries are suppressed").isEmpty();
			assertThat(tally.total()).isEqualTo(EVENTS);
			System.out.println("RabbitMQ faults: " + EVENTS + " sent, 0 lost, " + listener.duplicateMessages()
					+ " duplicate deliveries suppressed, " + listener.receivedMessages()
					+ " handled, listener connections " + listenerProxy.accepted() + ", sender connections "
					+ senderProxy.accepted());
		}
	}

	@Test
	void threeCompetingConsumersShareTenThousandEventsEachHandledOnceWhenOneStopsMidStream() throws Exception {
		Tally tally = new Tally();
		List<RabbitMqEventBridge> listeners = new ArrayList<>();
		try (RabbitMqEventBridge sender = new RabbitMqEventBridge(SERVER, this.queue, null, "RabbitShareSender")
			.batchSends(BatchedSends.BATCHING)) {
			for (int i = 0; i < 3; i++) {
				RabbitMqEventBridge listener = tally
					.count(new RabbitMqEventBridge(SERVER, null, this.queue, "RabbitShare" + i));
				listener.start();
				listeners.add(listener);
			}
			long[] perListener = new long[3];
			for (int i = 0; i < EVENTS; i++) {
				sender.emit(note("e" + i));
				if (i == EVENTS / 3) {
					await().atMost(Duration.ofSeconds(30)).until(() -> listeners.get(0).receivedMessages() > 0);
					// stopped mid-stream: what it had running finishes and is
					// acknowledged, what it had prefetched goes to the others
					listeners.get(0).close();
				}
			}
			assertThat(sender.flush()).succeedsWithin(Duration.ofSeconds(60));
			await().atMost(Duration.ofSeconds(120)).until(() -> tally.distinct() == EVENTS);
			await().atMost(Duration.ofSeconds(30))
				.until(() -> this.adminChannel.queueDeclarePassive(this.queue).getMessageCount() == 0);
			for (int i = 0; i < 3; i++) {
				perListener[i] = listeners.get(i).receivedMessages();
			}
			assertThat(tally.missing(EVENTS)).isEmpty();
			assertThat(tally.repeated()).isEmpty();
			assertThat(tally.total()).isEqualTo(EVENTS);
			assertThat(perListener[1]).isPositive();
			assertThat(perListener[2]).isPositive();
			System.out.println("RabbitMQ work sharing: handled per listener " + perListener[0] + " (stopped), "
					+ perListener[1] + ", " + perListener[2]);
		}
		finally {
			listeners.forEach(Closeables::closeQuietly);
		}
	}

	@Test
	void aConsumerKilledMidStreamLosesNothingAndOnlyItsUnacknowledgedMessagesRunAgain() throws Exception {
		try (RabbitMqEventBridge sender = new RabbitMqEventBridge(SERVER, this.queue, null, "RabbitKillSender")
			.batchSends(BatchedSends.BATCHING)) {
			// the broker requeues what the dead connection had not acknowledged, at
			// most the prefetch
			KilledReceiver.of(this.dir, ChildReceiver.class, SERVER.toString(), this.queue)
				.repeatsAtMost(RabbitMqEventBridge.PREFETCH)
				.settledWhen(() -> this.adminChannel.queueDeclarePassive(this.queue).getMessageCount() == 0)
				.run("RabbitMQ", sender);
		}
	}

	/** The child JVM's consumer: broker URI, queue. */
	public static final class ChildReceiver implements KilledReceiver.Receiver {

		@Override
		public EventBridge create(List<String> args) {
			return new RabbitMqEventBridge(URI.create(args.get(0)), null, args.get(1), "RabbitKillReceiver");
		}

	}

	@Test
	void aSilentBrokerFailsTheEmitNamingTheBridgeAndTheWait() throws Exception {
		try (TcpProxy proxy = new TcpProxy(5672);
				RabbitMqEventBridge sender = new RabbitMqEventBridge(viaProxy(proxy), this.queue, null, "RabbitSilent")
					.sendTimeout(Duration.ofSeconds(2))) {
			sender.emit(note("before"));
			proxy.freeze(true);
			CompletableFuture<Object> emit = CompletableFuture.supplyAsync(() -> sender.emit(note("during")));
			assertThat(emit).failsWithin(Duration.ofSeconds(20));
			assertThat(emit.handle((ok, failure) -> failure.getCause().getMessage()).join())
				.contains("bridge RabbitSilent could not publish 1 event(s) to queue " + this.queue)
				.contains("no publisher confirm within PT2S");
			proxy.freeze(false);
		}
	}

	private static URI viaProxy(TcpProxy proxy) {
		return URI.create("amqp://guest:guest@127.0.0.1:" + proxy.port());
	}

}
