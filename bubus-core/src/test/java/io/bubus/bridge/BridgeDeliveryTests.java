package io.bubus.bridge;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.bubus.BaseEvent;
import io.bubus.DynamicEvent;
import org.junit.jupiter.api.Test;

import static io.bubus.bridge.BridgeTesting.note;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the base class does for every transport: acknowledgement after the bus completed
 * the event, duplicate suppression by the sender's event id, loss counting from message
 * numbers, reserved JSON keys.
 */
class BridgeDeliveryTests {

	@Test
	void aMessageIsAcknowledgedOnlyOnceItsHandlerFinished() throws Exception {
		try (PipeBridge receiver = new PipeBridge("PipeAckReceiver", true, true);
				PipeBridge sender = new PipeBridge("PipeAckSender", true, true).to(receiver)) {
			CountDownLatch release = new CountDownLatch(1);
			CountDownLatch running = new CountDownLatch(1);
			receiver.on("Note", (event) -> {
				running.countDown();
				release.await(10, TimeUnit.SECONDS);
				return null;
			});
			sender.emit(note("a"));
			assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
			assertThat(receiver.settlements).isEmpty();
			release.countDown();
			await().atMost(Duration.ofSeconds(10)).until(() -> receiver.settlements.size() == 1);
			assertThat(receiver.settlements).containsExactly("ack");
		}
	}

	@Test
	void aHandlerThatThrowsStillCompletesTheEventSoTheMessageIsAcknowledged() {
		try (PipeBridge receiver = new PipeBridge("PipeThrowReceiver", true, true);
				PipeBridge sender = new PipeBridge("PipeThrowSender", true, true).to(receiver)) {
			receiver.on("Note", (event) -> {
				throw new IllegalStateException("handler failed");
			});
			sender.emit(note("a"));
			await().atMost(Duration.ofSeconds(10)).until(() -> receiver.settlements.size() == 1);
			assertThat(receiver.settlements).containsExactly("ack");
		}
	}

	@Test
	void aMessageDeliveredAgainIsHandledOnceAndBothDeliveriesAreAcknowledged() throws Exception {
		try (PipeBridge receiver = new PipeBridge("PipeDupReceiver", true, true)) {
			List<Object> handled = new CopyOnWriteArrayList<>();
			CountDownLatch release = new CountDownLatch(1);
			receiver.on("Note", (event) -> {
				release.await(10, TimeUnit.SECONDS);
				handled.add(((DynamicEvent) event).get("label"));
				return null;
			});
			String json = note("a").toJson();
			receiver.deliver(json, Map.of());
			receiver.deliver(json, Map.of());
			release.countDown();
			await().atMost(Duration.ofSeconds(10)).until(() -> receiver.settlements.size() == 2);
			receiver.deliver(json, Map.of());
			await().atMost(Duration.ofSeconds(10)).until(() -> receiver.settlements.size() == 3);
			assertThat(handled).containsExactly("a");
			assertThat(receiver.settlements).containsOnly("ack");
			assertThat(receiver.duplicateMessages()).isEqualTo(2);
			assertThat(receiver.receivedMessages()).isOne();
		}
	}

	@Test
	void badInputIsCountedAndAcknowledgedSoItIsNotDeliveredForever() {
		try (PipeBridge receiver = new PipeBridge("PipeBadReceiver", true, true)) {
			receiver.start();
			receiver.deliver("{not json", Map.of());
			assertThat(receiver.droppedMessages()).isOne();
			assertThat(receiver.settlements).containsExactly("ack");
		}
	}

	@Test
	void closingStopsARunningHandlerAndHasTheMessageDeliveredAgain() throws Exception {
		PipeBridge receiver = new PipeBridge("PipeCloseReceiver", true, true);
		receiver.drainTimeout(Duration.ofMillis(200));
		CountDownLatch running = new CountDownLatch(1);
		CountDownLatch never = new CountDownLatch(1);
		receiver.on("Note", (event) -> {
			running.countDown();
			never.await(30, TimeUnit.SECONDS);
			return null;
		});
		receiver.deliver(note("a").toJson(), Map.of());
		assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
		receiver.close();
		await().atMost(Duration.ofSeconds(10)).until(() -> !receiver.settlements.isEmpty());
		assertThat(receiver.settlements).containsExactly("redeliver");
		never.countDown();
	}

	@Test
	void closeWaitsForRunningHandlersSoTheirMessagesAreAcknowledged() throws Exception {
		PipeBridge receiver = new PipeBridge("PipeDrainReceiver", true, true);
		CountDownLatch running = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		receiver.on("Note", (event) -> {
			running.countDown();
			release.await(10, TimeUnit.SECONDS);
			return null;
		});
		receiver.deliver(note("a").toJson(), Map.of());
		assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
		Thread.ofVirtual().start(() -> {
			// once close() began, the handler may finish
			await().atMost(Duration.ofSeconds(10)).until(() -> !receiver.isStarted());
			release.countDown();
		});
		receiver.close();
		assertThat(receiver.settlements).containsExactly("ack");
	}

	@Test
	void missingMessageNumbersAreCountedAsLost() {
		try (PipeBridge receiver = new PipeBridge("PipeLossReceiver", true, false);
				PipeBridge sender = new PipeBridge("PipeLossSender", true, false)) {
			List<Object> labels = BridgeTesting.noteLabels(receiver);
			sender.to(receiver);
			sender.emit(note("e0"));
			sender.emit(note("e1"));
			// the transport loses three
			sender.to(new PipeBridge("PipeNowhere", true, false));
			sender.emit(note("e2"));
			sender.emit(note("e3"));
			sender.emit(note("e4"));
			sender.to(receiver);
			sender.emit(note("e5"));
			await().atMost(Duration.ofSeconds(10)).until(() -> labels.size() == 3);
			assertThat(receiver.lostMessages()).isEqualTo(3);
		}
	}

	@Test
	void withoutHeadersTheFieldsTravelAsReservedKeysAndAreNotPartOfTheReceivedEvent() {
		try (PipeBridge receiver = new PipeBridge("PipeKeysReceiver", false, false);
				PipeBridge sender = new PipeBridge("PipeKeysSender", false, false).to(receiver)) {
			List<String> wire = new CopyOnWriteArrayList<>();
			sender.wire = wire::add;
			List<BaseEvent<?>> received = new CopyOnWriteArrayList<>();
			receiver.on("Note", (event) -> received.add(event));
			sender.emit(note("a"));
			await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);
			assertThat(wire.get(0)).contains("\"" + EventBridge.SEQUENCE_FIELD + "\":\"");
			assertThat(received.get(0).toJson()).doesNotContain(EventBridge.SEQUENCE_FIELD).contains("\"label\":\"a\"");
		}
	}

}
