package io.bubus.bridge.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import io.bubus.bridge.BridgeException;
import io.bubus.bridge.EventBridge;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consuming side of a {@link KafkaEventBridge}: one platform thread polls the
 * consumer, hands each record to the bridge, and commits, for each partition, the offset
 * up to which every record's event is settled.
 * <p>
 * Concurrency: the consumer (not thread-safe) is used only by the poll thread, after
 * {@link #start()} set it up on the caller's. Settlements arrive on bus threads; they go
 * through a queue that the poll thread drains, so the {@link PartitionProgress} objects
 * are touched by the poll thread alone. Rebalance callbacks run on the poll thread inside
 * {@code poll}.
 */
final class KafkaListener {

	/** Receives one record: its value, headers, and how to settle it. */
	interface Dispatcher {

		void dispatch(String json, Map<String, String> fields, Runnable done, Runnable notDone);

	}

	private static final Logger log = LoggerFactory.getLogger(KafkaEventBridge.class);

	private static final Duration POLL = Duration.ofMillis(100);

	private static final Duration RETRY_PAUSE = Duration.ofMillis(500);

	/** How often a fan-out listener looks for partitions added to the topic. */
	private static final Duration PARTITION_REFRESH = Duration.ofSeconds(10);

	private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

	/** Headers the bridge writes for other consumers; not trace fields. */
	private static final Set<String> PLAIN_HEADERS = Set.of(KafkaEventBridge.EVENT_TYPE_HEADER, "content-type");

	private final EventBridge bridge;

	private final String servers;

	private final String topic;

	private final @Nullable String group;

	private final boolean fromBeginning;

	private final Map<String, Object> settings;

	private final Dispatcher dispatcher;

	private final Duration drainTimeout;

	private final KafkaConsumer<byte[], byte[]> consumer;

	/** Poll thread only. */
	private final Map<TopicPartition, PartitionProgress> progress = new HashMap<>();

	private final ConcurrentLinkedQueue<Settled> settled = new ConcurrentLinkedQueue<>();

	private final AtomicInteger inFlight = new AtomicInteger();

	private volatile boolean receiving = true;

	private volatile boolean running = true;

	private @Nullable Thread thread;

	/** Poll thread only: whether an asynchronous commit is out. */
	private boolean committing;

	private long nextPartitionRefresh;

	KafkaListener(EventBridge bridge, String servers, String topic, @Nullable String group, boolean fromBeginning,
			String clientId, Map<String, Object> settings, Duration drainTimeout, Dispatcher dispatcher) {
		this.bridge = bridge;
		this.servers = servers;
		this.topic = topic;
		this.group = group;
		this.fromBeginning = fromBeginning;
		this.settings = settings;
		this.dispatcher = dispatcher;
		this.drainTimeout = drainTimeout;
		Map<String, Object> config = new HashMap<>(settings);
		config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
		config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
		config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, KafkaEventBridge.PREFETCH);
		if (group != null) {
			config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
			// the consumer group protocol of Kafka 4 (KIP-848): each member gives up the
			// partitions that move only once it has finished and committed them, without
			// a
			// group-wide barrier; group.protocol=classic for brokers before 4.0
			config.putIfAbsent(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
			if ("classic".equalsIgnoreCase(String.valueOf(config.get(ConsumerConfig.GROUP_PROTOCOL_CONFIG)))) {
				config.putIfAbsent(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
						CooperativeStickyAssignor.class.getName());
			}
			// a partition without a committed offset is one added after the group was
			// placed (startGroupAtEnd): all of it was sent while the group was reading
			config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		}
		else {
			config.remove(ConsumerConfig.GROUP_ID_CONFIG);
			config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, fromBeginning ? "earliest" : "latest");
		}
		config.putIfAbsent(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) KafkaTopics.TIMEOUT.toMillis());
		this.consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
	}

	/**
	 * Places a new group at the end of the topic (or subscribes from the beginning), or,
	 * fanning out, assigns every partition at its end, then starts the poll thread. When
	 * this returns, every event sent from then on is received.
	 */
	void start() {
		try {
			if (this.group != null) {
				if (!this.fromBeginning) {
					KafkaTopics.startGroupAtEnd(this.bridge, this.servers, this.settings, this.topic, this.group);
				}
				this.consumer.subscribe(List.of(this.topic), new Rebalance());
			}
			else {
				assignNewPartitions(true);
			}
		}
		catch (RuntimeException ex) {
			closeConsumer();
			throw ex;
		}
		Thread poller = Thread.ofPlatform()
			.daemon()
			.name("bubus-kafka-" + this.bridge.name())
			.unstarted(this::pollLoop);
		this.thread = poller;
		poller.start();
	}

	int inFlight() {
		return this.inFlight.get();
	}

	/** Stops handing out records; settling and committing go on. */
	void stopReceiving() {
		this.receiving = false;
	}

	/** Stops the poll thread, which commits what is settled and leaves the group. */
	void stop() {
		this.receiving = false;
		this.running = false;
		Thread poller = this.thread;
		if (poller == null) {
			return;
		}
		try {
			poller.join(CLOSE_TIMEOUT.multipliedBy(3).toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		if (poller.isAlive()) {
			log.warn("bridge {} consumer of topic {} did not stop within {}", this.bridge.name(), this.topic,
					CLOSE_TIMEOUT.multipliedBy(3));
			poller.interrupt();
		}
	}

	private void pollLoop() {
		boolean failing = false;
		try {
			while (this.running) {
				try {
					applySettled();
					commitAsync();
					if (this.group == null && System.nanoTime() - this.nextPartitionRefresh >= 0) {
						assignNewPartitions(false);
					}
					flowControl();
					ConsumerRecords<byte[], byte[]> records = this.consumer.poll(POLL);
					for (ConsumerRecord<byte[], byte[]> record : records) {
						if (!this.receiving) {
							// not taken: never committed past, so read again by the next
							// owner
							break;
						}
						dispatch(record);
					}
					if (failing) {
						log.info("bridge {} reads topic {} again", this.bridge.name(), this.topic);
						failing = false;
					}
				}
				catch (InterruptException ex) {
					return;
				}
				catch (KafkaException ex) {
					if (!this.running) {
						return;
					}
					if (!failing) {
						log.warn("bridge {} could not read topic {} on {}, retrying: {}", this.bridge.name(),
								this.topic, this.servers, ex.toString());
						failing = true;
					}
					LockSupport.parkNanos(RETRY_PAUSE.toNanos());
				}
			}
		}
		finally {
			finish();
		}
	}

	/** Pauses fetching while too many records are in flight, or when closing. */
	private void flowControl() {
		Set<TopicPartition> assigned = this.consumer.assignment();
		if (!this.receiving || this.inFlight.get() >= KafkaEventBridge.PREFETCH) {
			this.consumer.pause(assigned);
		}
		else if (!this.consumer.paused().isEmpty()) {
			this.consumer.resume(this.consumer.paused());
		}
	}

	private void dispatch(ConsumerRecord<byte[], byte[]> record) {
		TopicPartition partition = new TopicPartition(record.topic(), record.partition());
		PartitionProgress owner = this.progress.computeIfAbsent(partition, PartitionProgress::new);
		long offset = record.offset();
		owner.taken(offset);
		this.inFlight.incrementAndGet();
		byte[] value = record.value();
		String json = (value != null) ? new String(value, StandardCharsets.UTF_8) : "";
		this.dispatcher.dispatch(json, fields(record), () -> settle(owner, offset, true),
				() -> settle(owner, offset, false));
	}

	private static Map<String, String> fields(ConsumerRecord<byte[], byte[]> record) {
		Map<String, String> fields = new HashMap<>();
		for (Header header : record.headers()) {
			if (header.value() != null && !PLAIN_HEADERS.contains(header.key())) {
				fields.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
			}
		}
		return fields;
	}

	/** On a bus thread: queues the settlement for the poll thread. */
	private void settle(PartitionProgress owner, long offset, boolean done) {
		this.settled.add(new Settled(owner, offset, done));
		this.inFlight.decrementAndGet();
	}

	private void applySettled() {
		Settled next;
		while ((next = this.settled.poll()) != null) {
			// settlements for an earlier assignment of the partition are for its old
			// owner
			if (this.progress.get(next.owner.partition) == next.owner) {
				next.owner.settled(next.offset, next.done);
			}
		}
	}

	/** Commits the settled positions, one asynchronous commit at a time. */
	private void commitAsync() {
		if (this.group == null || this.committing) {
			return;
		}
		Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
		Map<PartitionProgress, Long> sent = new HashMap<>();
		for (PartitionProgress owner : this.progress.values()) {
			long offset = owner.toCommit();
			if (offset >= 0) {
				offsets.put(owner.partition, new OffsetAndMetadata(offset));
				owner.committing(offset);
				sent.put(owner, offset);
			}
		}
		if (offsets.isEmpty()) {
			return;
		}
		this.committing = true;
		this.consumer.commitAsync(offsets, (done, failure) -> {
			this.committing = false;
			if (failure != null) {
				sent.forEach(PartitionProgress::commitFailed);
				log.debug("bridge {} could not commit offsets of topic {} (committed again later): {}",
						this.bridge.name(), this.topic, failure.toString());
			}
		});
	}

	/** Commits the settled positions of these partitions and waits, bounded. */
	private void commitSync(Collection<TopicPartition> partitions) {
		if (this.group == null) {
			return;
		}
		Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
		for (TopicPartition partition : partitions) {
			PartitionProgress owner = this.progress.get(partition);
			long offset = (owner != null) ? owner.toCommit() : -1;
			if (offset >= 0) {
				offsets.put(partition, new OffsetAndMetadata(offset));
				owner.committing(offset);
			}
		}
		if (offsets.isEmpty()) {
			return;
		}
		try {
			this.consumer.commitSync(offsets, CLOSE_TIMEOUT);
		}
		catch (KafkaException ex) {
			log.warn("bridge {} could not commit {} partitions of topic {}; their records since the last commit "
					+ "are read again: {}", this.bridge.name(), offsets.size(), this.topic, ex.toString());
		}
	}

	/**
	 * Lets the running events of these partitions finish (at most the bridge's drain
	 * timeout), so that a rebalance or close commits them rather than repeating them.
	 */
	private void awaitSettled(Collection<TopicPartition> partitions, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			applySettled();
			boolean idle = true;
			for (TopicPartition partition : partitions) {
				PartitionProgress owner = this.progress.get(partition);
				if (owner != null && !owner.idle()) {
					idle = false;
					break;
				}
			}
			if (idle || System.nanoTime() - deadline >= 0) {
				return;
			}
			LockSupport.parkNanos(Duration.ofMillis(2).toNanos());
		}
	}

	/** Fan-out: assigns every partition of the topic not assigned yet. */
	private void assignNewPartitions(boolean starting) {
		this.nextPartitionRefresh = System.nanoTime() + PARTITION_REFRESH.toNanos();
		List<PartitionInfo> infos = this.consumer.partitionsFor(this.topic);
		if (infos == null || infos.isEmpty()) {
			if (starting) {
				throw new BridgeException("bridge " + this.bridge.name() + " found no topic " + this.topic + " on "
						+ this.servers + "; create it (partitions(n) does) before fanning out from it");
			}
			return;
		}
		Set<TopicPartition> all = new HashSet<>(this.consumer.assignment());
		List<TopicPartition> added = new ArrayList<>();
		for (PartitionInfo info : infos) {
			TopicPartition partition = new TopicPartition(info.topic(), info.partition());
			if (all.add(partition)) {
				added.add(partition);
			}
		}
		if (added.isEmpty()) {
			return;
		}
		this.consumer.assign(all);
		if (starting) {
			// resolves the start positions now, so what is sent from here on is read
			for (TopicPartition partition : added) {
				this.consumer.position(partition);
			}
		}
		else {
			// partitions added while listening: everything in them is new
			this.consumer.seekToBeginning(added);
		}
	}

	/** On the poll thread as it ends: commits what is settled and leaves the group. */
	private void finish() {
		try {
			applySettled();
			commitSync(new ArrayList<>(this.progress.keySet()));
		}
		catch (RuntimeException ex) {
			log.debug("bridge {} could not commit at close: {}", this.bridge.name(), ex.toString());
		}
		finally {
			closeConsumer();
		}
	}

	private void closeConsumer() {
		try {
			this.consumer.close(CLOSE_TIMEOUT);
		}
		catch (RuntimeException ex) {
			log.debug("bridge {} could not close its consumer: {}", this.bridge.name(), ex.toString());
		}
	}

	/** Commits what moves away, after letting it finish. */
	private final class Rebalance implements ConsumerRebalanceListener {

		@Override
		public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
			if (partitions.isEmpty()) {
				return;
			}
			awaitSettled(partitions, KafkaListener.this.drainTimeout);
			commitSync(partitions);
			partitions.forEach(KafkaListener.this.progress::remove);
		}

		@Override
		public void onPartitionsLost(Collection<TopicPartition> partitions) {
			// already owned by another member: what was not committed is read there again
			partitions.forEach(KafkaListener.this.progress::remove);
		}

		@Override
		public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
			if (!partitions.isEmpty()) {
				log.debug("bridge {} was assigned {} partitions of {}", KafkaListener.this.bridge.name(),
						partitions.size(), KafkaListener.this.topic);
			}
		}

	}

	/** A settlement on its way to the poll thread. */
	private record Settled(PartitionProgress owner, long offset, boolean done) {
	}

}
