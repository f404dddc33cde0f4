package io.bubus.bridge.nats;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.bubus.BaseEvent;
import io.bubus.bridge.BadInput;
import io.bubus.bridge.BatchedSends;
import io.bubus.bridge.BridgeTesting;
import io.bubus.bridge.BridgeTracing;
import io.bubus.bridge.EventBridge;
import io.bubus.bridge.KilledReceiver;
import io.bubus.bridge.Tally;
import io.bubus.bridge.TcpProxy;
import io.bubus.internal.Closeables;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.Nats;
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
 * The JetStream delivery contract against the real server, through loopback proxies: at
 * least once with duplicates suppressed, work shared by a durable consumer, resume.
 */
@Tag("services")
class NatsJetStreamDeliveryTests {

	private static final String SERVER = "nats://127.0.0.1:4222";

	private static final int EVENTS = 10_000;

	static final Duration ACK_WAIT = Duration.ofSeconds(3);

	private final String subject = BridgeTesting.randomName("js") + ".events";

	private final String stream = BridgeTesting.randomName("stream").toUpperCase();

	@TempDir
	Path dir;

	private Connection admin;

	@BeforeAll
	static void natsIsRunning() {
		BridgeTesting.requireService("NATS", 4222,
				"start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log");
	}

	@BeforeEach
	void connectAdmin() throws Exception {
		this.admin = Nats.connect(SERVER);
	}

	@AfterEach
	void deleteStream() throws Exception {
		try {
			this.admin.jetStreamManagement().deleteStream(this.stream);
		}
		catch (JetStreamApiException ex) {
			// the test made none
		}
		this.admin.close();
	}

	@Test
	void eventsTravelInOrderAreAcknowledgedAndAnEventPublishedTwiceIsStoredOnce() throws Exception {
		try (NatsJetStreamEventBridge listener = bridge(SERVER, "JsListener");
				NatsJetStreamEventBridge sender = bridge(SERVER, "JsSender")) {
			List<Object> labels = noteLabels(listener);
			BaseEvent<?> twice = note("e0");
			sender.emit(twice);
			// a publish retried after a lost acknowledgement carries the same message id
			sender.emit(twice);
			for (int i = 1; i < 100; i++) {
				sender.emit(note("e" + i));
			}
			await().atMost(Duration.ofSeconds(30)).until(() -> labels.size() >= 100);
			assertThat(labels).containsExactlyElementsOf(labels(100));
			assertThat(this.admin.jetStreamManagement().getStreamInfo(this.stream).getStreamState().getMsgCount())
				.isEqualTo(100);
			await().atMost(Duration.ofSeconds(10)).until(() -> pending("JsListener") == 0);
		}
	}

	@Test
	void garbageMessagesAreLoggedCountedAcknowledgedAndTheNextGoodEventArrives() throws Exception {
		try (NatsJetStreamEventBridge bridge = bridge(SERVER, "JsBad")) {
			bridge.start();
			BadInput.Wire publish = (message) -> this.admin.jetStream()
				.publish(this.subject, message.getBytes(java.nio.charset.StandardCharsets.UTF_8));
			BadInput.check(bridge, publish, publish);
			await().atMost(Duration.ofSeconds(10)).until(() -> pending("JsBad") == 0);
		}
	}

	@Test
	void theTraceContextTravelsInHeaders() {
		List<Map<String, String>> extracted = new CopyOnWriteArrayList<>();
		BridgeTracing tracing = new BridgeTracing() {

			@Override
			public Map<String, String> inject(EventBridge bridge, BaseEvent<?> event) {
				return Map.of("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
			}

			@Override
			public Scope extract(EventBridge bridge, Map<String, String> fields) {
				extracted.add(fields);
				return Scope.NOOP;
			}

		};
		try (NatsJetStreamEventBridge listener = bridge(SERVER, "JsTraceListener");
				NatsJetStreamEventBridge sender = bridge(SERVER, "JsTraceSender")) {
			listener.tracing(tracing);
			sender.tracing(tracing);
			BridgeTesting.deliver(sender, noteLabels(listener), "traced");
			assertThat(extracted).singleElement()
				.satisfies((fields) -> assertThat(fields).containsEntry("traceparent",
						"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));
		}
	}

	@Test
	void tenThousandEventsThroughCutAndFrozenLinksAreEachHandledOnce() throws Exception {
		Tally tally = new Tally();
		try (TcpProxy listenerProxy = new TcpProxy(4222);
				TcpProxy senderProxy = new TcpProxy(4222);
				NatsJetStreamEventBridge listener = tally.count(bridge(via(listenerProxy), "JsFaultListener"));
				NatsJetStreamEventBridge sender = bridge(via(senderProxy), "JsFaultSender")
					.batchSends(BatchedSends.BATCHING)) {
			listener.start();
			// cut while the listener holds handled and unacknowledged messages: they come
			// again, suppressed; lost publish acknowledgements: the sender publishes
			// again, the stream stores each once
			TcpProxy.sendThroughFaults(sender, tally, listenerProxy, senderProxy, EVENTS);
			await().atMost(Duration.ofSeconds(60)).until(() -> tally.distinct() == EVENTS);
			await().atMost(Duration.ofSeconds(30)).until(() -> pending("JsFaultListener") == 0);
			assertThat(tally.missing(EVENTS)).isEmpty();
			assertThat(tally.repeated()).as("redeliveries are suppressed").isEmpty();
			assertThat(tally.total()).isEqualTo(EVENTS);
			assertThat(this.admin.jetStreamManagement().getStreamInfo(this.stream).getStreamState().getMsgCount())
				.as("stored once each")
				.isEqualTo(EVENTS);
			System.out.println("NATS JetStream faults: " + EVENTS + " sent, 0 lost, " + listener.duplicateMessages()
					+ " duplicate deliveries suppressed, " + listener.receivedMessages()
					+ " handled, listener connections " + listenerProxy.accepted() + ", sender connections "
					+ senderProxy.accepted());
		}
	}

	@Test
	void threeInstancesOfOneDurableShareTenThousandEventsEachHandledOnceWhenOneStopsMidStream() {
		Tally tally = new Tally();
		List<NatsJetStreamEventBridge> listeners = new ArrayList<>();
		try (NatsJetStreamEventBridge sender = bridge(SERVER, "JsShareSender").batchSends(BatchedSends.BATCHING)) {
			for (int i = 0; i < 3; i++) {
				NatsJetStreamEventBridge listener = tally.count(bridge(SERVER, "JsShare" + i).durable("shared"));
				listener.start();
				listeners.add(listener);
			}
			for (int i = 0; i < EVENTS; i++) {
				sender.emit(note("e" + i));
				if (i == EVENTS / 3) {
					await().atMost(Duration.ofSeconds(30)).until(() -> listeners.get(0).receivedMessages() > 0);
					// what it runs finishes and is acknowledged, what it fetched and did
					// not start is handed back to the others
					listeners.get(0).close();
				}
			}
			assertThat(sender.flush()).succeedsWithin(Duration.ofSeconds(60));
			await().atMost(Duration.ofSeconds(60)).until(() -> tally.distinct() == EVENTS);
			await().atMost(Duration.ofSeconds(30)).until(() -> pending("shared") == 0);
			assertThat(tally.missing(EVENTS)).isEmpty();
			assertThat(tally.repeated()).isEmpty();
			assertThat(tally.total()).isEqualTo(EVENTS);
			assertThat(listeners.get(1).receivedMessages()).isPositive();
			assertThat(listeners.get(2).receivedMessages()).isPositive();
			System.out.println("NATS JetStream work sharing: handled per instance "
					+ listeners.get(0).receivedMessages() + " (stopped), " + listeners.get(1).receivedMessages() + ", "
					+ listeners.get(2).receivedMessages());
		}
		finally {
			listeners.forEach(Closeables::closeQuietly);
		}
	}

	@Test
	void aRestartedListenerResumesWithWhatWasPublishedWhileItWasDown() {
		try (NatsJetStreamEventBridge sender = bridge(SERVER, "JsResumeSender")) {
			try (NatsJetStreamEventBridge first = bridge(SERVER, "JsResume")) {
				BridgeTesting.deliver(sender, noteLabels(first), "before");
			}
			for (int i = 0; i < 500; i++) {
				sender.emit(note("e" + i));
			}
			try (NatsJetStreamEventBridge again = bridge(SERVER, "JsResume")) {
				List<Object> labels = noteLabels(again);
				await().atMost(Duration.ofSeconds(30)).until(() -> labels.size() >= 500);
				assertThat(labels).containsExactlyElementsOf(labels(500));
			}
		}
	}

	@Test
	void anInstanceKilledMidStreamLosesNothingAndOnlyItsUnacknowledgedEventsRunAgain() throws Exception {
		try (NatsJetStreamEventBridge sender = bridge(SERVER, "JsKillSender").batchSends(BatchedSends.BATCHING)) {
			// its unacknowledged messages come again after the ack wait, to the
			// restarted instance of the durable
			KilledReceiver.of(this.dir, ChildReceiver.class, SERVER, this.subject, this.stream)
				.repeatsAtMost(2 * NatsJetStreamEventBridge.PREFETCH)
				.settledWhen(() -> pending("kill") == 0)
				.run("NATS JetStream", sender);
		}
	}

	/** The child JVM's listener: server, subject, stream; durable {@code kill}. */
	public static final class ChildReceiver implements KilledReceiver.Receiver {

		@Override
		public EventBridge create(List<String> args) {
			return new NatsJetStreamEventBridge(args.get(0), args.get(1), "JsKillReceiver").stream(args.get(2))
				.durable("kill")
				.ackWait(ACK_WAIT);
		}

	}

	private NatsJetStreamEventBridge bridge(String server, String name) {
		return new NatsJetStreamEventBridge(server, this.subject, name).stream(this.stream).ackWait(ACK_WAIT);
	}

	private long pending(String durable) throws Exception {
		var info = this.admin.jetStreamManagement().getConsumerInfo(this.stream, durable);
		return info.getNumAckPending() + info.getNumPending();
	}

	private static String via(TcpProxy proxy) {
		return "nats://127.0.0.1:" + proxy.port();
	}

}
