package io.bubus.bridge.nats;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import io.bubus.bridge.BadInput;
import io.bubus.bridge.BridgeRoundTrip;
import io.bubus.bridge.BridgeTesting;
import io.bubus.bridge.TcpProxy;
import io.nats.client.Connection;
import io.nats.client.Nats;
import org.junit.jupiter.api.BeforeAll;
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
class NatsEventBridgeTests {

	private static final String SERVER = "nats://127.0.0.1:4222";

	@TempDir
	Path dir;

	private final String subject = BridgeTesting.randomName("subj") + ".events";

	@BeforeAll
	static void natsIsRunning() {
		BridgeTesting.requireService("NATS", 4222,
				"start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log");
	}

	@Test
	void typedEventsTravelBothWaysBetweenTwoJvms() throws Exception {
		NatsEventBridge bridge = new NatsEventBridge(SERVER, this.subject, "ParentBridge");
		BridgeRoundTrip.run(this.dir, "nats", this.subject, SERVER, bridge, (ready) -> bridge);
	}

	@Test
	void garbageMessagesAreLoggedCountedAndDroppedAndTheNextGoodEventArrives() throws Exception {
		try (NatsEventBridge bridge = new NatsEventBridge(SERVER, this.subject, "NatsBad");
				Connection raw = Nats.connect(SERVER)) {
			BadInput.Wire publish = (message) -> {
				raw.publish(this.subject, message.getBytes(StandardCharsets.UTF_8));
				raw.flush(Duration.ofSeconds(5));
			};
			BadInput.check(bridge, publish, publish);
		}
	}

	@Test
	void aCutConnectionIsReopenedAndTheSubscriptionIsRestored() throws Exception {
		try (TcpProxy proxy = new TcpProxy(4222);
				NatsEventBridge listener = new NatsEventBridge("nats://127.0.0.1:" + proxy.port(), this.subject,
						"NatsListener");
				NatsEventBridge sender = new NatsEventBridge(SERVER, this.subject, "NatsSender")) {
			List<Object> labels = noteLabels(listener);
			deliver(sender, labels, "before");

			proxy.cut();
			// fire-and-forget: what is published while the listener is away is lost, so
			// keep
			// publishing until one arrives
			AtomicInteger probe = new AtomicInteger();
			await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
				sender.emit(note("after-" + probe.incrementAndGet()));
				return labels.stream().anyMatch((label) -> String.valueOf(label).startsWith("after-"));
			});
			assertThat(proxy.accepted()).isGreaterThanOrEqualTo(2);
		}
	}

	@Test
	void eventsEmittedWhileTheSenderIsCutOffWaitForTheReconnectAndArriveInOrder() throws Exception {
		try (TcpProxy proxy = new TcpProxy(4222);
				NatsEventBridge listener = new NatsEventBridge(SERVER, this.subject, "NatsListener");
				NatsEventBridge sender = new NatsEventBridge("nats://127.0.0.1:" + proxy.port(), this.subject,
						"NatsCutSender")) {
			List<Object> labels = noteLabels(listener);
			deliver(sender, labels, "e0");

			proxy.refuse(true);
			proxy.cut();
			await().atMost(Duration.ofSeconds(10)).until(() -> proxy.accepted() >= 2);
			// each emit waits (up to the send timeout) for the server to have it
			CompletableFuture<Void> emits = CompletableFuture.runAsync(() -> {
				for (int i = 1; i < 50; i++) {
					sender.emit(note("e" + i));
				}
			});
			assertThat(emits).isNotDone();
			assertThat(labels).containsExactly("e0");
			proxy.refuse(false);

			assertThat(emits).succeedsWithin(Duration.ofSeconds(30));
			await().atMost(Duration.ofSeconds(30)).until(() -> labels.size() >= 50);
			assertThat(labels).containsExactlyElementsOf(IntStream.range(0, 50).mapToObj((i) -> "e" + i).toList());
			assertThat(listener.lostMessages()).isZero();
		}
	}

	@Test
	void rejectsSubjectsThatAreNotDottedIdentifiers() {
		assertThatThrownBy(() -> new NatsEventBridge(SERVER, "events.>"))
			.hasMessageStartingWith("Invalid subject: 'events.>'");
		assertThatThrownBy(() -> new NatsEventBridge(SERVER, "a..b")).hasMessageStartingWith("Invalid subject: 'a..b'");
		assertThat(new NatsEventBridge(SERVER, "bubus.orders_v2").subject()).isEqualTo("bubus.orders_v2");
	}

}
