package io.bubus.bridge.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import io.bubus.BaseEvent;
import io.bubus.bridge.BridgeException;
import io.bubus.bridge.BridgeTracing;
import io.bubus.bridge.DuplicateWindow;
import io.bubus.bridge.EventBridge;
import io.bubus.bridge.SendBatching;
import io.bubus.bridge.SendQueue;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;

/**
 * A bridge over a Kafka topic: {@link #emit} produces the event's compact JSON as one
 * record to {@code sendTopic} and waits until every in-sync replica has it; listening
 * consumes {@code listenTopic} and commits a record's offset once the bus completed its
 * event.
 * <p>
 * The servers are {@code host:port[,host:port…]} (the client's
 * {@code bootstrap.servers}), optionally written {@code kafka://host:port}.
 *
 * {@snippet :
 * KafkaEventBridge orders = new KafkaEventBridge("127.0.0.1:9092", "orders", "orders").partitions(6);
 * bus.on("*", orders::emit);                 // every event of the bus goes to the topic
 * orders.on("*", bus::emit);                 // and what other instances send comes in
 * }
 * <p>
 * <strong>Records.</strong> The value is the event JSON (UTF-8); the key is the event's
 * root event id, so that a whole causal tree (an event, its children, theirs) goes to one
 * partition and is received in the order it was sent; {@link #partitionKey} chooses
 * another key per event type. Headers: {@value #EVENT_TYPE_HEADER} (the event type),
 * {@code content-type} ({@code application/json}) and the
 * {@link #tracing(io.bubus.bridge.BridgeTracing) trace context} ({@code traceparent},
 * {@code tracestate}). The root is known for events whose parent this bridge sent (it
 * remembers the last 10,000); a child whose parent it never saw is keyed by its parent
 * id.
 * <p>
 * <strong>Sending.</strong> The producer is idempotent ({@code enable.idempotence},
 * {@code acks=all}): the broker writes a record retried after a lost acknowledgement
 * once, and one producer's records stay in order. {@code emit} waits for the
 * acknowledgement up to {@link #sendTimeout(Duration)} (default 30 s: the producer's
 * {@code delivery.timeout.ms}, and the longest wait for the topic's metadata), then fails
 * with a {@link BridgeException} naming the bridge, the topic and the cause; the event
 * was then not written, or (after a wait that timed out) may still be. With
 * {@link #batchSends(SendBatching)} a sender thread produces up to a batch of queued
 * events and waits for all their acknowledgements at once; one that fails is counted in
 * {@link #failedSends()}, logged, and reported to {@link #flush()} and
 * {@link #emitAsync}.
 * <p>
 * <strong>Work sharing and fan-out.</strong> The consumer group decides, as in Kafka:
 * bridges reading with the same {@link #group(String) group} share the topic's
 * partitions, each event handled by one of them (N instances of an application); bridges
 * of different groups each get every event. The group defaults to the bridge name, so
 * instances configured alike share. A group first used creates its position at the end of
 * the topic when the bridge starts ({@link #fromBeginning()}: at the beginning), and
 * remembers it in the broker: a restarted listener resumes with what was sent while it
 * was down. {@link #fanOut()} instead makes every instance receive every event: the
 * bridge reads all partitions without a group, from the end when it starts, and commits
 * nothing. No more instances of a group receive than the topic has partitions
 * ({@link #partitions(int)} creates the topic with that many when it does not exist).
 * <p>
 * <strong>Delivery: at least once.</strong> An offset is committed only once the bus
 * completed the event of that record and of every earlier record of its partition
 * (whatever the handlers returned or threw); whatever was not committed when an instance
 * died, lost its partitions or closed without finishing is read again by the partition's
 * next owner. A record read again by the same bridge is recognised by its sender's event
 * id in {@link #duplicateWindow()} and not handled twice; one handled by an instance that
 * died before committing is handled again by the next. When partitions move to another
 * instance (a rebalance), the bridge first lets their running events finish, up to
 * {@link #drainTimeout(Duration)}, and commits them, so a rebalance repeats nothing. At
 * most {@value #PREFETCH} records per bridge are in flight; beyond that it pauses
 * fetching. A record that is not an event (malformed, oversized, no value) is logged
 * without its content, counted in {@link #droppedMessages()} and committed.
 * <p>
 * <strong>Ordering.</strong> One partition is received in order by one instance at a
 * time; events of one tree share a partition, so they arrive in the order they were sent.
 * Across partitions there is no order.
 * <p>
 * <strong>Failures.</strong> The client reconnects by itself. A broker that goes away
 * makes emits wait (at most the send timeout) and listeners wait; what was committed
 * stays committed, and the records sent meanwhile are received after the broker is back.
 * {@link #close()} stops fetching, waits up to the drain timeout for the running events,
 * commits their offsets and leaves the group (each step bounded).
 * <p>
 * <strong>Group protocol.</strong> Groups use Kafka 4's consumer group protocol
 * ({@code group.protocol=consumer}, KIP-848): a member gives up only the partitions that
 * move, once it has finished and committed them, and no rebalance waits for the whole
 * group. How soon a member that died loses its partitions is the broker's
 * {@code group.consumer.session.timeout.ms} (45 s by default). For brokers before 4.0 set
 * {@code consumerProperty("group.protocol", "classic")} (the bridge then uses the
 * cooperative sticky assignor, and {@code session.timeout.ms} on the client).
 * <p>
 * Other client settings can be given with {@link #producerProperty} and
 * {@link #consumerProperty} (security, compression, …). Requires
 * {@code org.apache.kafka:kafka-clients}.
 */
public class KafkaEventBridge extends EventBridge {

	/** How long an emit waits for the broker's acknowledgement by default. */
	public static final Duration DEFAULT_SEND_TIMEOUT = Duration.ofSeconds(30);

	/** The most records a listener holds whose events are not completed. */
	public static final int PREFETCH = 256;

	/** The record header holding the event type. */
	public static final String EVENT_TYPE_HEADER = "event_type";

	private static final String CONTENT_TYPE_HEADER = "content-type";

	private static final byte[] JSON = "application/json".getBytes(StandardCharsets.UTF_8);

	/** Waiting for acknowledgements beyond the producer's own delivery timeout. */
	private static final Duration SEND_GRACE = Duration.ofSeconds(5);

	private final String servers;

	private final @Nullable String sendTopic;

	private final @Nullable String listenTopic;

	private final String clientId;

	private volatile @Nullable String group;

	private volatile boolean fromBeginning;

	private volatile @Nullable Integer partitions;

	private volatile Duration sendTimeout = DEFAULT_SEND_TIMEOUT;

	private volatile Duration drainTimeout = DEFAULT_DRAIN_TIMEOUT;

	private final Map<String, String> producerProperties = new LinkedHashMap<>();

	private final Map<String, String> consumerProperties = new LinkedHashMap<>();

	private final Map<String, Function<? super BaseEvent<?>, @Nullable String>> keys = new HashMap<>();

	private final RootIds roots = new RootIds();

	private final SendQueue<ProducerRecord<String, byte[]>> sends = new SendQueue<>(this, this::encode, this::produce);

	private @Nullable KafkaProducer<String, byte[]> producer;

	private volatile @Nullable KafkaListener listener;

	/** A bridge that sends to and listens on one topic. */
	public KafkaEventBridge(String bootstrapServers, String topic, @Nullable String name) {
		this(bootstrapServers, topic, topic, name);
	}

	/**
	 * A bridge that sends to {@code sendTopic} and/or listens on {@code listenTopic}
	 * (either may be {@code null}).
	 */
	public KafkaEventBridge(String bootstrapServers, @Nullable String sendTopic, @Nullable String listenTopic,
			@Nullable String name) {
		super(name, DEFAULT_MAX_MESSAGE_BYTES);
		try {
			this.servers = KafkaNames.bootstrapServers(bootstrapServers);
			this.sendTopic = (sendTopic != null) ? KafkaNames.topic(sendTopic) : null;
			this.listenTopic = (listenTopic != null) ? KafkaNames.topic(listenTopic) : null;
			this.group = KafkaNames.group(name());
			this.clientId = "bubus-" + name() + "-" + UUID.randomUUID().toString().substring(0, 8);
		}
		catch (RuntimeException ex) {
			throw abandon(ex);
		}
	}

	/** The bootstrap servers. */
	public String bootstrapServers() {
		return this.servers;
	}

	/** The topic sent to, or {@code null}. */
	public @Nullable String sendTopic() {
		return this.sendTopic;
	}

	/** The topic listened on, or {@code null}. */
	public @Nullable String listenTopic() {
		return this.listenTopic;
	}

	/** The consumer group, or {@code null} with {@link #fanOut()}. */
	public @Nullable String group() {
		return this.group;
	}

	/**
	 * Reads with this consumer group (default: the bridge name), before the bridge
	 * starts.
	 * @param group bridges with the same group share the events
	 * @return this bridge
	 */
	public KafkaEventBridge group(String group) {
		requireNotStarted("group");
		this.group = KafkaNames.group(group);
		return this;
	}

	/**
	 * Makes this bridge receive every event of the topic, whatever other instances do: it
	 * reads every partition without a consumer group, from the end when it starts, and
	 * commits nothing (so events sent while it is down are not received). Before the
	 * bridge starts. For fan-out that resumes after a restart, give each instance a
	 * consumer group of its own named by a stable instance id instead
	 * ({@code group("orders-" + instanceId)}): each group gets every event, and the
	 * broker keeps each instance's committed offsets while it is down.
	 * @return this bridge
	 */
	public KafkaEventBridge fanOut() {
		requireNotStarted("fanOut");
		this.group = null;
		return this;
	}

	/**
	 * When the group has no position yet in a partition (it was never used), reads the
	 * records already there too (default: only those sent from when the bridge started).
	 * Before the bridge starts.
	 * @return this bridge
	 */
	public KafkaEventBridge fromBeginning() {
		requireNotStarted("fromBeginning");
		this.fromBeginning = true;
		return this;
	}

	/**
	 * Creates the topics with this many partitions when they do not exist (default: the
	 * broker creates them on first use with its {@code num.partitions}). Before the
	 * bridge sends or starts.
	 * @param partitions at least 1; as many as instances that should share the work
	 * @return this bridge
	 */
	public KafkaEventBridge partitions(int partitions) {
		if (partitions < 1) {
			throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
		}
		this.partitions = partitions;
		return this;
	}

	/**
	 * Keys the records of this event type with this function instead of the root event id
	 * (a {@code null} key spreads them over the partitions).
	 * @param eventType the event type
	 * @param key the record key of an event
	 * @return this bridge
	 */
	public KafkaEventBridge partitionKey(String eventType, Function<? super BaseEvent<?>, @Nullable String> key) {
		synchronized (this.keys) {
			this.keys.put(Objects.requireNonNull(eventType, "eventType"), Objects.requireNonNull(key, "key"));
		}
		return this;
	}

	/**
	 * Sets how long an emit waits for the broker's acknowledgement (default
	 * {@link #DEFAULT_SEND_TIMEOUT}): the producer's {@code delivery.timeout.ms} and
	 * {@code max.block.ms}. Before the first send.
	 * @param timeout the longest wait, at least 1 s
	 * @return this bridge
	 */
	public KafkaEventBridge sendTimeout(Duration timeout) {
		if (timeout.compareTo(Duration.ofSeconds(1)) < 0) {
			throw new IllegalArgumentException("sendTimeout must be at least 1s, got " + timeout);
		}
		this.sendTimeout = timeout;
		return this;
	}

	/**
	 * Sets a producer setting of the Kafka client (security, compression, …); the
	 * bridge's own ({@code acks}, idempotence, serializers, timeouts) win. Before the
	 * first send.
	 * @param key the client setting
	 * @param value its value
	 * @return this bridge
	 */
	public KafkaEventBridge producerProperty(String key, String value) {
		synchronized (this.producerProperties) {
			this.producerProperties.put(key, value);
		}
		return this;
	}

	/**
	 * Sets a consumer (and admin) setting of the Kafka client (security,
	 * {@code group.protocol}, …); the bridge's own (group, offsets, deserializers) win.
	 * Before the bridge starts.
	 * @param key the client setting
	 * @param value its value
	 * @return this bridge
	 */
	public KafkaEventBridge consumerProperty(String key, String value) {
		requireNotStarted("consumerProperty");
		synchronized (this.consumerProperties) {
			this.consumerProperties.put(key, value);
		}
		return this;
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * Each batch is handed to the producer at once and waited for as a whole.
	 */
	@Override
	public KafkaEventBridge batchSends(SendBatching batching) {
		super.batchSends(batching);
		return this;
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * Also how long a rebalance waits for the running events of the partitions that move
	 * away before it commits them.
	 */
	@Override
	public KafkaEventBridge drainTimeout(Duration timeout) {
		super.drainTimeout(timeout);
		this.drainTimeout = timeout;
		return this;
	}

	@Override
	public KafkaEventBridge tracing(BridgeTracing tracing) {
		super.tracing(tracing);
		return this;
	}

	@Override
	public KafkaEventBridge duplicateWindow(DuplicateWindow window) {
		super.duplicateWindow(window);
		return this;
	}

	@Override
	public BaseEvent<?> emit(BaseEvent<?> event) {
		return this.sends.emit(event);
	}

	@Override
	protected SendQueue<?> sends() {
		return this.sends;
	}

	/**
	 * The events' records that this bridge's listener received from the topic and whose
	 * events are not completed yet.
	 */
	public int inFlight() {
		KafkaListener current = this.listener;
		return (current != null) ? current.inFlight() : 0;
	}

	private ProducerRecord<String, byte[]> encode(BaseEvent<?> event) {
		String topic = this.sendTopic;
		if (topic == null) {
			throw new IllegalStateException("KafkaEventBridge.emit() requires sendTopic=...");
		}
		byte[] value = toWire(event).getBytes(StandardCharsets.UTF_8);
		List<Header> headers = new ArrayList<>(4);
		headers.add(new RecordHeader(EVENT_TYPE_HEADER, event.eventType().getBytes(StandardCharsets.UTF_8)));
		headers.add(new RecordHeader(CONTENT_TYPE_HEADER, JSON));
		outboundFields(event)
			.forEach((field, text) -> headers.add(new RecordHeader(field, text.getBytes(StandardCharsets.UTF_8))));
		return new ProducerRecord<>(topic, null, key(event), value, headers);
	}

	private @Nullable String key(BaseEvent<?> event) {
		String root = this.roots.rootOf(event);
		Function<? super BaseEvent<?>, @Nullable String> custom;
		synchronized (this.keys) {
			custom = this.keys.get(event.eventType());
		}
		return (custom != null) ? custom.apply(event) : root;
	}

	/** Produces the records and waits for all their acknowledgements. */
	private void produce(List<ProducerRecord<String, byte[]>> records) {
		String topic = Objects.requireNonNull(this.sendTopic);
		Duration timeout = this.sendTimeout;
		long deadline = System.nanoTime() + timeout.plus(SEND_GRACE).toNanos();
		List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
		try {
			KafkaProducer<String, byte[]> client = producer();
			for (ProducerRecord<String, byte[]> record : records) {
				acks.add(client.send(record));
			}
			for (Future<RecordMetadata> ack : acks) {
				ack.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
			}
		}
		catch (ExecutionException ex) {
			throw sendFailure(records.size(), topic, String.valueOf(ex.getCause()), ex.getCause());
		}
		catch (TimeoutException ex) {
			throw sendFailure(records.size(), topic,
					"no acknowledgement within " + timeout.plus(SEND_GRACE) + " (the event may still be written)", ex);
		}
		catch (KafkaException ex) {
			throw sendFailure(records.size(), topic, ex.toString(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new BridgeException("bridge " + name() + " was interrupted sending to topic " + topic, ex);
		}
	}

	private BridgeException sendFailure(int count, String topic, String why, @Nullable Throwable cause) {
		return new BridgeException("bridge " + name() + " could not send " + count + " event(s) to topic " + topic
				+ " on " + this.servers + " within " + this.sendTimeout + ": " + why, cause);
	}

	private synchronized KafkaProducer<String, byte[]> producer() {
		if (this.producer == null) {
			Integer count = this.partitions;
			if (count != null) {
				KafkaTopics.ensure(this, this.servers, consumerSettings(), Objects.requireNonNull(this.sendTopic),
						count);
			}
			this.producer = new KafkaProducer<>(producerSettings(), new StringSerializer(), new ByteArraySerializer());
		}
		return this.producer;
	}

	private Map<String, Object> producerSettings() {
		Map<String, Object> settings;
		synchronized (this.producerProperties) {
			settings = new HashMap<>(this.producerProperties);
		}
		long timeout = this.sendTimeout.toMillis();
		long request = Math.min(30_000, timeout);
		settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, this.servers);
		settings.put(ProducerConfig.CLIENT_ID_CONFIG, this.clientId + "-producer");
		settings.put(ProducerConfig.ACKS_CONFIG, "all");
		settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
		settings.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
		// each emit is waited for: no lingering (batches form while requests are out)
		settings.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 0);
		settings.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) request);
		settings.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.max(timeout, request));
		settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout);
		return settings;
	}

	/** The settings of the consumer and the admin client, before the bridge's own. */
	Map<String, Object> consumerSettings() {
		synchronized (this.consumerProperties) {
			return new HashMap<>(this.consumerProperties);
		}
	}

	@Override
	protected void startListening() {
		String topic = this.listenTopic;
		if (topic == null) {
			return;
		}
		Integer count = this.partitions;
		if (count != null) {
			KafkaTopics.ensure(this, this.servers, consumerSettings(), topic, count);
		}
		KafkaListener created = new KafkaListener(this, this.servers, topic, this.group, this.fromBeginning,
				this.clientId + "-consumer", consumerSettings(), this.drainTimeout, this::dispatch);
		created.start();
		this.listener = created;
	}

	/** Hands one record to the inbound bus; settled once the bus completed its event. */
	private void dispatch(String json, Map<String, String> fields, Runnable done, Runnable notDone) {
		receive(json, fields, new Acknowledgement() {

			@Override
			public void ack() {
				done.run();
			}

			@Override
			public void redeliver() {
				notDone.run();
			}

		});
	}

	/** Stops fetching; the listener keeps committing what the running events settle. */
	@Override
	protected void stopReceiving() {
		KafkaListener current = this.listener;
		if (current != null) {
			current.stopReceiving();
		}
	}

	@Override
	protected void stopListening() {
		KafkaListener current = this.listener;
		this.listener = null;
		if (current != null) {
			current.stop();
		}
	}

	@Override
	public void close() {
		super.close();
		KafkaProducer<String, byte[]> client;
		synchronized (this) {
			client = this.producer;
			this.producer = null;
		}
		if (client != null) {
			try {
				client.close(Duration.ofSeconds(5));
			}
			catch (KafkaException ex) {
				// closing anyway
			}
		}
	}

	private void requireNotStarted(String method) {
		if (isStarted()) {
			throw new IllegalStateException(method + "() must be called before the bridge starts");
		}
	}

	@Override
	public String toString() {
		return "KafkaEventBridge(" + name() + " -> " + this.servers + " send " + this.sendTopic + ", listen "
				+ this.listenTopic + ((this.group != null) ? ", group " + this.group : ", fan-out") + ")";
	}

}
