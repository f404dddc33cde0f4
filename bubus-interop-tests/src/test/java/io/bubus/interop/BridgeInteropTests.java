package io.bubus.interop;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import io.bubus.BaseEvent;
import io.bubus.EventBus;
import io.bubus.EventResult;
import io.bubus.bridge.EventBridge;
import io.bubus.interop.Transport.Endpoint;
import io.bubus.json.BubusJson;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A parent event whose handler emits and awaits a child, sent over each bridge between
 * Java and a real Python bubus or bubus-ts process, in both directions. The receiver sees
 * both events with the sender's type, payload, creation time and path, and the child
 * names the sender's parent id; nothing else is received.
 */
class BridgeInteropTests {

	/** Node compiles the TS peer with tsx at start: generous on a busy 2-core machine. */
	static final Duration READY = Duration.ofSeconds(90);

	static final Duration WAIT = Duration.ofSeconds(30);

	@TempDir
	Path dir;

	@BeforeAll
	static void registerEvents() {
		BaseEvent.register(InteropParentEvent.class);
		BaseEvent.register(InteropChildEvent.class);
	}

	static Stream<Arguments> cases() {
		List<Arguments> cases = new ArrayList<>();
		for (Transport transport : Transport.values()) {
			for (Peer peer : Peer.values()) {
				cases.add(Arguments.of(transport, peer));
			}
		}
		return cases.stream();
	}

	@ParameterizedTest(name = "Java → {1} over {0}")
	@MethodSource("cases")
	void javaToPeer(Transport transport, Peer peer) throws Exception {
		try (Endpoint endpoint = transport.open(this.dir)) {
			ObjectNode config = endpoint.peerListener()
				.put("role", "receive")
				.put("expect", 2)
				.put("timeout_seconds", WAIT.toSeconds());
			try (PeerProcess process = peer.start(config.toString())) {
				process.await("ready", READY);
				EventBus bus = EventBus.builder("JavaSender").build();
				EventBridge bridge = endpoint.javaSender(config, "JavaToPeer");
				try {
					AtomicReference<InteropChildEvent> child = new AtomicReference<>();
					// the forwarder first, as the peers' scripts do
					bus.on("*", bridge::emit);
					bus.on(InteropParentEvent.class, (event) -> {
						InteropChildEvent emitted = bus.emit(Payloads.child());
						child.set(emitted);
						return emitted.done(WAIT).eventId();
					});
					InteropParentEvent parent = bus.emit(Payloads.parent(peer));
					parent.done(WAIT);
					assertNoHandlerFailed(parent);
					assertNoHandlerFailed(child.get());
					JsonNode first = process.await("received", WAIT);
					JsonNode second = process.await("received", WAIT);
					JsonNode done = process.awaitMessage("done", WAIT);
					process.awaitSuccess(WAIT);
					assertThat(done.get("extra")).as("events received besides the two").isEmpty();
					JsonNode sentParent = BubusJson.MAPPER.readTree(parent.toJson());
					JsonNode sentChild = BubusJson.MAPPER.readTree(child.get().toJson());
					boolean parentFirst = "InteropParentEvent".equals(first.get("event_type").asString());
					assertSameEvent(transport, true, parentFirst ? first : second, sentParent, null);
					assertSameEvent(transport, true, parentFirst ? second : first, sentChild, parent.eventId());
					assertWireIds(endpoint, sentParent, sentChild);
				}
				finally {
					bridge.close();
					bus.stop(WAIT, true);
				}
			}
		}
	}

	@ParameterizedTest(name = "{1} → Java over {0}")
	@MethodSource("cases")
	void peerToJava(Transport transport, Peer peer) throws Exception {
		try (Endpoint endpoint = transport.open(this.dir)) {
			EventBridge bridge = endpoint.javaListener("PeerToJava");
			BlockingQueue<BaseEvent<?>> received = new LinkedBlockingQueue<>();
			try {
				bridge.on("*", (event) -> {
					received.add(event);
					return null;
				});
				ObjectNode config = endpoint.peerSender(bridge)
					.put("role", "send")
					.put("bus", peer + "Sender")
					.put("timeout_seconds", WAIT.toSeconds());
				config.set("payload", Payloads.parentJson(peer));
				config.set("child_payload", Payloads.childJson());
				try (PeerProcess process = peer.start(config.toString())) {
					JsonNode sent = process.await("sent", READY);
					process.awaitSuccess(WAIT);
					assertThat(sent.size()).as("events the peer sent").isEqualTo(2);
					JsonNode sentParent = sent.get(0);
					JsonNode sentChild = sent.get(1);
					BaseEvent<?> first = poll(received, peer);
					BaseEvent<?> second = poll(received, peer);
					BaseEvent<?> parent = (first instanceof InteropParentEvent) ? first : second;
					BaseEvent<?> child = (first instanceof InteropParentEvent) ? second : first;
					assertThat(parent).isInstanceOf(InteropParentEvent.class);
					assertThat(child).isInstanceOf(InteropChildEvent.class);
					assertSameEvent(transport, false, BubusJson.MAPPER.readTree(parent.toJson()), sentParent, null);
					assertSameEvent(transport, false, BubusJson.MAPPER.readTree(child.toJson()), sentChild,
							sentParent.get("event_id").asString());
					assertThat(((InteropParentEvent) parent).text).isEqualTo(Payloads.parent(peer).text);
					assertThat(((InteropParentEvent) parent).big).isEqualTo(Payloads.parent(peer).big);
					assertThat(((InteropChildEvent) child).count).isEqualTo(42);
					assertWireIds(endpoint, sentParent, sentChild);
					assertThat(received.poll(200, TimeUnit.MILLISECONDS)).as("nothing else received").isNull();
				}
			}
			finally {
				bridge.close();
			}
		}
	}

	/**
	 * What the receiver shows equals what the sender sent: type, payload, parent id,
	 * creation time, and the sender's bus at the head of the path.
	 */
	private static void assertSameEvent(Transport transport, boolean javaSent, JsonNode received, JsonNode sent,
			@Nullable String parentId) {
		String type = sent.get("event_type").asString();
		assertThat(received.get("event_type").asString()).isEqualTo(type);
		ObjectNode payload = Payloads.payload(received);
		if (javaSent && transport == Transport.REDIS) {
			// Java numbers its pub/sub messages in a top-level key; a peer keeps it as a
			// payload field
			assertThat(payload.remove(EventBridge.SEQUENCE_FIELD)).as(type + " " + EventBridge.SEQUENCE_FIELD)
				.isNotNull();
		}
		assertThat(payload).as(type + " payload").isEqualTo(Payloads.payload(sent));
		JsonNode receivedParent = received.get("event_parent_id");
		if (parentId == null) {
			assertThat(receivedParent == null || receivedParent.isNull()).as(type + " has no parent").isTrue();
		}
		else {
			assertThat(receivedParent.asString()).as(type + " parent id").isEqualTo(parentId);
		}
		assertThat(Instant.parse(received.get("event_created_at").asString())).as(type + " event_created_at")
			.isEqualTo(Instant.parse(sent.get("event_created_at").asString()));
		assertThat(received.get("event_path").get(0).asString()).as(type + " path")
			.isEqualTo(sent.get("event_path").get(0).asString());
	}

	/**
	 * Where the transport keeps what was sent (a file, a table), it holds the sender's
	 * event ids: a receiver gives each event a new id of its own.
	 */
	private static void assertWireIds(Endpoint endpoint, JsonNode sentParent, JsonNode sentChild) throws Exception {
		List<String> ids = endpoint.wireIds();
		if (ids != null) {
			assertThat(ids).as("event ids on the wire")
				.containsExactlyInAnyOrder(sentParent.get("event_id").asString(), sentChild.get("event_id").asString());
		}
	}

	private static void assertNoHandlerFailed(BaseEvent<?> event) {
		assertThat(event).as("event").isNotNull();
		for (EventResult<?> row : event.eventResults().values()) {
			assertThat(row.error()).as(row.handlerName() + " on " + event.eventType()).isNull();
		}
	}

	private static BaseEvent<?> poll(BlockingQueue<BaseEvent<?>> received, Peer peer) throws InterruptedException {
		BaseEvent<?> event = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
		assertThat(event).as("an event from the " + peer + " peer within " + WAIT).isNotNull();
		return event;
	}

}
