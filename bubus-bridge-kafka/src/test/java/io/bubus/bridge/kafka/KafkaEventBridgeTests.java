package io.bubus.bridge.kafka;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.bubus.BaseEvent;
import io.bubus.DynamicEvent;
import io.bubus.EventBus;
import io.bubus.bridge.BadInput;
import io.bubus.bridge.BatchedSends;
import io.bubus.bridge.BridgeException;
import io.bubus.bridge.BridgeRoundTrip;
import io.bubus.bridge.BridgeTesting;
import io.bubus.bridge.BridgeTracing;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.bubus.bridge.BridgeTesting.labels;
import static io.bubus.bridge.BridgeTesting.note;
import static io.bubus.bridge.BridgeTesting.noteLabels;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The Kafka bridge against a real broker ({@link KafkaTestBroker}, started in the test
 * JVM): records, keys and headers as a plain Kafka consumer sees them, a round trip
 * between two JVMs, bad input, resuming, batching.
 */
class KafkaEventBridgeTests {

	private static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

	@TempDir
	Path dir;

	private final KafkaTestBroker broker = KafkaTestBroker.shared();

	private final String servers = this.broker.bootstrapServers();

	private final String topic = BridgeTesting.randomName("t");

	private KafkaProducer<byte[], byte[]> raw;

	@BeforeEach
	void rawProducer() {
		this.raw = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, this.servers),
				new ByteArraySerializer(), new ByteArraySerializer());
	}

	@AfterEach
	void closeRawProducer() {
		this.raw.close(Duration.ofSeconds(5));
	}

	@Test
	void typedEventsTravelBothWaysBetweenTwoJvms() throws Exception {
		String reply = BridgeTesting.randomName("reply");
		KafkaEventBridge listener = new KafkaEventBridge(this.servers, null, reply, "ParentBridge").partitions(1);
		BridgeRoundTrip.run(this.dir, "kafka", this.servers + "#" + reply, this.servers + "#" + this.topic, listener,
				(ready) -> new KafkaEventBridge(this.servers, this.topic, null, "ParentSender"));
	}

	@Test
	void aTreeIsKeyedByItsRootIdAndArrivesInOrderWithItsTypeAndTraceHeaders() {
		List<Map<String, String>> extracted = new CopyOnWriteArrayList<>();
		BridgeTracing tracing = BridgeTesting.fixedTraceparent(TRACEPARENT, extracted);
		try (EventBus bus = EventBus.builder("TreeBus").build();
				KafkaEventBridge sender = new KafkaEventBridge(this.servers, this.topic, null, "TreeSender")
					.partitions(4)
					.tracing(tracing);
				KafkaEventBridge listener = new KafkaEventBridge(this.servers, null, this.topic, "TreeListener")
					.tracing(tracing)) {
			List<Object> labels = noteLabels(listener);
			bus.on("*", sender::emit);
			// each root emits two children, the first of which emits a grandchild
			bus.on("Root", (event) -> {
				String label = (String) ((DynamicEvent) event).get("label");
				bus.emit(new DynamicEvent("Note", Map.of("label", label + "-child1", "grand", true)));
				bus.emit(new DynamicEvent("Note", Map.of("label", label + "-child2")));
				return null;
			});
			bus.on("Note", (event) -> {
				DynamicEvent note = (DynamicEvent) event;
				if (Boolean.TRUE.equals(note.get("grand"))) {
					bus.emit(new DynamicEvent("Note", Map.of("label", note.get("label") + "-grandchild")));
				}
				return null;
			});
			List<BaseEvent<?>> roots = new ArrayList<>();
			for (int i = 0; i < 20; i++) {
				roots.add(bus.emit(new DynamicEvent("Root", Map.of("label", "r" + i))));
			}
			bus.waitUntilIdle(Duration.ofSeconds(30));
			await().atMost(Duration.ofSeconds(30)).until(() -> labels.size() >= 60);

			// a plain consumer sees one record per event: keyed by the root's id
			List<ConsumerRecord<String, byte[]>> records = readAll(this.topic, 80);
			assertThat(records).hasSize(80);
			for (int i = 0; i < 20; i++) {
				String rootId = roots.get(i).eventId();
				String label = "r" + i;
				List<ConsumerRecord<String, byte[]>> tree = records.stream()
					.filter((record) -> rootId.equals(record.key()))
					.toList();
				assertThat(tree).as("records keyed by root %s", label).hasSize(4);
				assertThat(tree.stream().map(ConsumerRecord::partition).distinct()).hasSize(1);
				assertThat(header(tree.get(0), "event_type")).isEqualTo("Root");
				assertThat(tree.stream().skip(1).map((record) -> header(record, "event_type"))).containsOnly("Note");
				assertThat(header(tree.get(0), "traceparent")).isEqualTo(TRACEPARENT);
				// received in the order sent within the tree
				List<Object> received = labels.stream().filter((l) -> ((String) l).startsWith(label + "-")).toList();
				assertThat(received).containsExactly(label + "-child1", label + "-child2",
						label + "-child1-grandchild");
			}
			assertThat(extracted).hasSizeGreaterThanOrEqualTo(80)
				.allSatisfy((fields) -> assertThat(fields).containsEntry("traceparent", TRACEPARENT)
					.doesNotContainKey("event_type"));
		}
	}

	@Test
	void aKeyChosenForAnEventTypeReplacesTheRootId() {
		try (KafkaEventBridge sender = new KafkaEventBridge(this.servers, this.topic, null, "KeySender")
			.partitionKey("Note", (event) -> "customer-" + ((DynamicEvent) event).get("label"))) {
			sender.emit(note("7"));
			sender.emit(new DynamicEvent("Other", Map.of()));
			List<ConsumerRecord<String, byte[]>> records = readAll(this.topic, 2);
			assertThat(records.get(0).key()).isEqualTo("customer-7");
			assertThat(records.get(1).key()).hasSize(36);
		}
	}

	@Test
	void garbageRecordsAreLoggedCountedCommittedAndTheNextGoodEventArrives() throws Exception {
		try (KafkaEventBridge bridge = new KafkaEventBridge(this.servers, this.topic, "KafkaBad").partitions(1)) {
			bridge.start();
			BadInput.check(bridge,
					(message) -> this.raw
						.send(new ProducerRecord<>(this.topic, message.getBytes(StandardCharsets.UTF_8)))
						.get(),
					(good) -> bridge.emit(BaseEvent.fromJson(good)));
			// a record without a value, and bytes that are not UTF-8
			this.raw.send(new ProducerRecord<>(this.topic, null)).get();
			this.raw.send(new ProducerRecord<>(this.topic, new byte[] { (byte) 0xC3, (byte) 0x28, '{' })).get();
			List<Object> labels = noteLabels(bridge);
			BridgeTesting.deliver(bridge, labels, "after");
			assertThat(bridge.droppedMessages()).isEqualTo(BadInput.garbage().size() + 2);
			await().atMost(Duration.ofSeconds(10)).until(() -> committed("KafkaBad") == endOffset());
		}
	}

	@Test
	void eventsSentWhileTheGroupsListenersAreDownAreReceivedWhenOneStarts() {
		try (KafkaEventBridge first = new KafkaEventBridge(this.servers, null, this.topic, "Resume")) {
			List<Object> labels = noteLabels(first);
			try (KafkaEventBridge sender = new KafkaEventBridge(this.servers, this.topic, null, "ResumeSender")) {
				BridgeTesting.deliver(sender, labels, "before");
			}
		}
		try (KafkaEventBridge sender = new KafkaEventBridge(this.servers, this.topic, null, "ResumeSender")) {
			for (int i = 0; i < 100; i++) {
				sender.emit(note("e" + i));
			}
		}
		try (KafkaEventBridge again = new KafkaEventBridge(this.servers, null, this.topic, "Resume")) {
			List<Object> labels = noteLabels(again);
			await().atMost(Duration.ofSeconds(30)).until(() -> labels.size() >= 100);
			assertThat(labels).containsExactlyElementsOf(labels(100));
		}
	}

	/**
	 * Fan-out that survives a restart: each instance reads with a consumer group of its
	 * own (a stable instance id in the group name), so each gets every event, and the
	 * broker keeps each instance's committed offsets while it is down.
	 */
	@Test
	void fanOutInstancesWithAGroupEachGetEveryEventOnceAndARestartedOneWhatWasSentWhileItWasDown() {
		String groupA = "fan_a_" + this.topic;
		String groupB = "fan_b_" + this.topic;
		List<Object> receivedB = new CopyOnWriteArrayList<>();
		try (KafkaEventBridge sender = new KafkaEventBridge(this.servers, this.topic, null, "FanSender").partitions(4);
				KafkaEventBridge instanceA = new KafkaEventBridge(this.servers, null, this.topic, "FanA").group(groupA)
					.partitions(4)) {
			List<Object> receivedA = noteLabels(instanceA);
			try (KafkaEventBridge instanceB = new KafkaEventBridge(this.servers, null, this.topic, "FanB")
				.group(groupB)) {
				instanceB.on("Note", (event) -> receivedB.add(((DynamicEvent) event).get("label")));
				for (int i = 0; i < 100; i++) {
					sender.emit(note("e" + i));
				}
				await().atMost(Duration.ofSeconds(30)).until(() -> receivedA.size() >= 100 && receivedB.size() >= 100);
			}
			// instance B is down
			for (int i = 100; i < 200; i++) {
				sender.emit(note("e" + i));
			}
			await().atMost(Duration.ofSeconds(30)).until(() -> receivedA.size() >= 200);
			assertThat(receivedB).hasSize(100);
			try (KafkaEventBridge restarted = new KafkaEventBridge(this.servers, null, this.topic, "FanB")
				.group(groupB)) {
				restarted.on("Note", (event) -> receivedB.add(((DynamicEvent) event).get("label")));
				await().atMost(Duration.ofSeconds(30)).until(() -> committed(groupB) == endOffset());
				await().atMost(Duration.ofSeconds(30)).until(() -> committed(groupA) == endOffset());
				assertThat(receivedB).containsExactlyInAnyOrderElementsOf(labels(200));
				assertThat(receivedA).containsExactlyInAnyOrderElementsOf(labels(200));
			}
		}
	}

	@Test
	void fanOutListenersEachReceiveEveryEventAndSharingOnesSplitThem() {
		try (KafkaEventBridge sender = new KafkaEventBridge(this.servers, this.topic, null, "SplitSender")
			.partitions(4);
				KafkaEventBridge fan1 = new KafkaEventBridge(this.servers, null, this.topic, "Fan1").fanOut();
				KafkaEventBridge fan2 = new KafkaEventBridge(this.servers, null, this.topic, "Fan2").fanOut();
				KafkaEventBridge share1 = new KafkaEventBridge(this.servers, null, this.topic, "Share1").group("split");
				KafkaEventBridge share2 = new KafkaEventBridge(this.servers, null, this.topic, "Share2")
					.group("split")) {
			sender.emit(note("create"));
			List<Object> fanned1 = noteLabels(fan1);
			List<Object> fanned2 = noteLabels(fan2);
			List<Object> shared1 = noteLabels(share1);
			List<Object> shared2 = noteLabels(share2);
			for (int i = 0; i < 200; i++) {
				sender.emit(note("e" + i));
			}
			await().atMost(Duration.ofSeconds(30))
				.until(() -> fanned1.size() >= 200 && fanned2.size() >= 200 && shared1.size() + shared2.size() >= 200);
			assertThat(fanned1).containsExactlyInAnyOrderElementsOf(labels(200));
			assertThat(fanned2).containsExactlyInAnyOrderElementsOf(labels(200));
			List<Object> shared = new ArrayList<>(shared1);
			shared.addAll(shared2);
			assertThat(shared).containsExactlyInAnyOrderElementsOf(labels(200));
		}
	}

	@Test
	void instancesOnTheClassicGroupProtocolShareTheEventsToo() {
		try (KafkaEventBridge sender = new KafkaEventBridge(this.servers, this.topic, null, "ClassicSender")
			.partitions(4);
				KafkaEventBridge first = classic("Classic1");
				KafkaEventBridge second = classic("Classic2")) {
			List<Object> labels1 = noteLabels(first);
			List<Object> labels2 = noteLabels(second);
			for (int i = 0; i < 200; i++) {
				sender.emit(note("e" + i));
			}
			await().atMost(Duration.ofSeconds(60)).until(() -> labels1.size() + labels2.size() >= 200);
			List<Object> shared = new ArrayList<>(labels1);
			shared.addAll(labels2);
			// at least once: a rebalance of the classic protocol may repeat what it was
			// committing
			assertThat(shared.stream().distinct().toList()).containsExactlyInAnyOrderElementsOf(labels(200));
		}
	}

	private KafkaEventBridge classic(String name) {
		return new KafkaEventBridge(this.servers, null, this.topic, name).group("classic_" + this.topic)
			.partitions(4)
			.consumerProperty("group.protocol", "classic");
	}

	@Test
	void batchedSendsArriveCompleteAndInOrder() throws Exception {
		try (KafkaEventBridge listener = new KafkaEventBridge(this.servers, null, this.topic, "BatchListener");
				KafkaEventBridge sender = new KafkaEventBridge(this.servers, this.topic, null, "Batcher").partitions(1)
					.batchSends(BatchedSends.BATCHING)) {
			BatchedSends.arriveCompleteAndInOrder(sender, listener, 2000);
		}
	}

	@Test
	void closeSendsTheQueuedEvents() {
		try (KafkaEventBridge listener = new KafkaEventBridge(this.servers, null, this.topic, "CloseListener")
			.partitions(1)) {
			KafkaEventBridge sender = new KafkaEventBridge(this.servers, this.topic, null, "Closer")
				.batchSends(BatchedSends.LINGERING);
			BatchedSends.closeSendsWhatIsQueued(sender, listener, 500);
		}
	}

	@Test
	void rejectsBadServersTopicsAndGroups() {
		assertThatThrownBy(() -> new KafkaEventBridge("localhost", "t", null)).hasMessageContaining("host:port");
		assertThatThrownBy(() -> new KafkaEventBridge(this.servers, "bad topic", null))
			.hasMessageContaining("Invalid Kafka topic name: 'bad topic'");
		try (KafkaEventBridge bridge = new KafkaEventBridge("kafka://127.0.0.1:9092,127.0.0.2:9093", "t", null)) {
			assertThat(bridge.bootstrapServers()).isEqualTo("127.0.0.1:9092,127.0.0.2:9093");
			assertThatThrownBy(() -> bridge.group("no spaces")).hasMessageContaining("consumer group name");
		}
		try (KafkaEventBridge listenOnly = new KafkaEventBridge(this.servers, null, this.topic, null)) {
			assertThatThrownBy(() -> listenOnly.emit(note("x"))).hasMessageContaining("requires sendTopic");
		}
	}

	@Test
	void aSendToABrokerThatIsNotThereFailsWithinTheSendTimeoutNamingTheTopic() {
		try (KafkaEventBridge sender = new KafkaEventBridge("127.0.0.1:1", this.topic, null, "Nowhere")
			.sendTimeout(Duration.ofSeconds(2))) {
			long start = System.nanoTime();
			assertThatThrownBy(() -> sender.emit(note("x"))).isInstanceOf(BridgeException.class)
				.hasMessageContaining("bridge Nowhere could not send 1 event(s) to topic " + this.topic);
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
		}
	}

	private List<ConsumerRecord<String, byte[]>> readAll(String topic, int count) {
		try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, this.servers, ConsumerConfig.GROUP_ID_CONFIG,
						BridgeTesting.randomName("reader"), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
				new StringDeserializer(), new ByteArrayDeserializer())) {
			consumer.subscribe(List.of(topic));
			List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
			await().atMost(Duration.ofSeconds(30)).until(() -> {
				consumer.poll(Duration.ofMillis(200)).forEach(records::add);
				return records.size() >= count;
			});
			// in partition order: sort by partition, then offset
			records.sort((a, b) -> (a.partition() != b.partition()) ? Integer.compare(a.partition(), b.partition())
					: Long.compare(a.offset(), b.offset()));
			return records;
		}
	}

	private static String header(ConsumerRecord<?, ?> record, String name) {
		return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
	}

	private long committed(String group) {
		return KafkaAdmin.committed(this.servers, group, this.topic);
	}

	private long endOffset() {
		return KafkaAdmin.endOffsets(this.servers, this.topic);
	}

}
