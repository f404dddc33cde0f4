package io.bubus.bridge.redis;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.bubus.BaseEvent;
import io.bubus.bridge.BridgeException;
import io.bubus.bridge.EventBridge;
import io.bubus.internal.Closeables;
import io.bubus.internal.Durations;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.Consumer;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.models.stream.ClaimedMessages;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bridge over a Redis stream with consumer groups: {@link #emit} runs
 * {@code XADD <stream> * event <compact JSON> [traceparent …]}; listening reads the
 * stream as one consumer of a consumer group ({@code XREADGROUP}) and acknowledges each
 * entry ({@code XACK}) once the bus completed its event.
 * <p>
 * The URL is the one of {@link RedisEventBridge},
 * {@code redis[s]://user:pass@host:6379/<db>/<stream>}; the stream comes from the
 * constructor, else the URL, else {@value #DEFAULT_STREAM}. Names such as
 * {@code app:events} are accepted.
 * <p>
 * <strong>Work sharing and fan-out.</strong> The consumer group decides: bridges reading
 * with the same group share the entries, each handled by one of them (N instances of an
 * application); bridges with different groups each get every entry. The group defaults to
 * the bridge name, so instances configured alike share. Each bridge is one consumer of
 * its group, named {@code <bridge name>-<random>} unless {@link #consumer(String)} gives
 * it a stable name.
 * <p>
 * <strong>Delivery: at least once</strong>, as durable as the Redis server keeps its data
 * (AOF or RDB; a server without persistence loses the stream when it restarts). An entry
 * stays pending in the group until acknowledged: after a connection failure, the bridge's
 * own pending entries older than {@link #claimIdle(Duration)} (default 30 s) are claimed
 * again ({@code XAUTOCLAIM}) and handled, and so are those of a consumer that died, by
 * any live consumer of the group; a consumer restarted with the same name first reads its
 * own pending entries. The group remembers how far it has read, so a restarted listener
 * resumes with what was added while it was down. The first listener of a group creates it
 * at the end of the stream ({@link #fromBeginning()} reads the entries already there). A
 * redelivered entry is recognised by its sender's event id in {@link #duplicateWindow()}
 * and not handled twice by this bridge; one handled by a consumer that died before
 * acknowledging it is handled again by the consumer that claims it. Claim idle must be
 * longer than handling an event takes, or a slow event is claimed and handled twice. At
 * most {@value #PREFETCH} entries are in flight per bridge.
 * <p>
 * <strong>Ordering.</strong> The stream keeps the order of the adds; one consumer
 * receives in that order, except for claimed entries, which come later; consumers of one
 * group handle concurrently.
 * <p>
 * Reconnect: Lettuce's; a read or an emit during the outage waits for the reconnect up to
 * the 10 s command timeout, then the emit fails with a {@link BridgeException} naming the
 * bridge, the stream and the wait, and reading retries. An emit that timed out may still
 * have been added: sending it again is safe (the receiver suppresses the duplicate).
 * <p>
 * Requires {@code io.lettuce:lettuce-core}; Redis 6.2 or later.
 */
public class RedisStreamEventBridge extends EventBridge {

	/** The default stream. */
	public static final String DEFAULT_STREAM = "bubus_events";

	/** The entry field holding the event JSON. */
	public static final String EVENT_FIELD = "event";

	/** Entries a listener has in flight at most. */
	public static final int PREFETCH = 256;

	/** Default idle time after which a pending entry is claimed again. */
	public static final Duration DEFAULT_CLAIM_IDLE = Duration.ofSeconds(30);

	private static final Logger log = LoggerFactory.getLogger(RedisStreamEventBridge.class);

	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);

	private static final Duration BLOCK = Duration.ofSeconds(1);

	private static final int READ_COUNT = 64;

	private static final Duration RETRY_PAUSE = Duration.ofMillis(250);

	private final RedisURI uri;

	private final String stream;

	private final String address;

	private volatile String group;

	private volatile String consumer;

	private volatile Duration claimIdle = DEFAULT_CLAIM_IDLE;

	private volatile boolean fromBeginning;

	private volatile @Nullable Long maxLength;

	/** Free places for entries in flight; a settled entry gives its place back. */
	private final Semaphore room = new Semaphore(PREFETCH);

	private @Nullable RedisClient client;

	private @Nullable StatefulRedisConnection<String, String> commands;

	private volatile @Nullable Thread reader;

	private volatile boolean reading;

	/** A bridge on the stream of this URL (or the default stream). */
	public RedisStreamEventBridge(String redisUrl) {
		this(redisUrl, null, null);
	}

	/**
	 * A bridge on this stream ({@code null} = from the URL, else the default), reading
	 * with the consumer group named like the bridge.
	 */
	public RedisStreamEventBridge(String redisUrl, @Nullable String stream, @Nullable String name) {
		super(name, DEFAULT_MAX_MESSAGE_BYTES);
		try {
			RedisTarget target = RedisTarget.parse("RedisStreamEventBridge", redisUrl, stream, "stream", DEFAULT_STREAM,
					COMMAND_TIMEOUT);
			this.uri = target.uri();
			this.uri.setClientName("bubus:" + name());
			this.stream = target.key();
			this.address = target.address();
			this.group = RedisTarget.name("consumer group name", name());
			this.consumer = name() + "-" + UUID.randomUUID().toString().substring(0, 8);
		}
		catch (RuntimeException ex) {
			throw abandon(ex);
		}
	}

	/** The stream. */
	public String stream() {
		return this.stream;
	}

	/** The consumer group. */
	public String group() {
		return this.group;
	}

	/** This bridge's consumer name in the group. */
	public String consumer() {
		return this.consumer;
	}

	/**
	 * Reads with this consumer group (default: the bridge name), before the bridge
	 * starts.
	 * @param group bridges with the same group share the entries
	 * @return this bridge
	 */
	public RedisStreamEventBridge group(String group) {
		requireNotStarted("group");
		this.group = RedisTarget.name("consumer group name", group);
		return this;
	}

	/**
	 * Reads as this consumer of the group (default: the bridge name and a random suffix),
	 * before the bridge starts; a stable name lets a restarted instance read its own
	 * pending entries at once instead of after the claim idle time.
	 * @param consumer the consumer name, unique among the group's live consumers
	 * @return this bridge
	 */
	public RedisStreamEventBridge consumer(String consumer) {
		requireNotStarted("consumer");
		this.consumer = RedisTarget.name("consumer name", consumer);
		return this;
	}

	/**
	 * Claims pending entries idle for this long (default {@link #DEFAULT_CLAIM_IDLE}):
	 * this bridge's own that were not acknowledged and those of dead consumers.
	 * @param idle longer than handling one event takes
	 * @return this bridge
	 */
	public RedisStreamEventBridge claimIdle(Duration idle) {
		Durations.requirePositive("claimIdle", idle);
		this.claimIdle = idle;
		return this;
	}

	/**
	 * When this bridge creates its group, reads the entries already in the stream too
	 * (default: only those added from then on), before the bridge starts.
	 * @return this bridge
	 */
	public RedisStreamEventBridge fromBeginning() {
		requireNotStarted("fromBeginning");
		this.fromBeginning = true;
		return this;
	}

	/**
	 * Trims the stream to about this many entries on each add ({@code MAXLEN ~}); entries
	 * trimmed before a group read them are lost to it. Default: no trimming.
	 * @param entries the length to keep
	 * @return this bridge
	 */
	public RedisStreamEventBridge maxLength(long entries) {
		if (entries < 1) {
			throw new IllegalArgumentException("maxLength must be at least 1, got " + entries);
		}
		this.maxLength = entries;
		return this;
	}

	@Override
	public BaseEvent<?> emit(BaseEvent<?> event) {
		Map<String, String> body = new LinkedHashMap<>();
		body.put(EVENT_FIELD, toWire(event));
		outboundFields(event).forEach(body::putIfAbsent);
		Long length = this.maxLength;
		XAddArgs args = (length != null) ? XAddArgs.Builder.maxlen(length).approximateTrimming() : new XAddArgs();
		try {
			commands().sync().xadd(this.stream, args, body);
		}
		catch (RedisException ex) {
			throw new BridgeException("bridge " + name() + " could not XADD to stream " + this.stream + " on "
					+ this.address + " within " + COMMAND_TIMEOUT + ": " + ex.getMessage(), ex);
		}
		return event;
	}

	@Override
	protected void startListening() {
		RedisCommands<String, String> sync;
		try {
			sync = commands().sync();
			createGroup(sync);
		}
		catch (RedisException ex) {
			throw new BridgeException("bridge " + name() + " could not create consumer group " + this.group
					+ " on stream " + this.stream + " on " + this.address + ": " + ex.getMessage(), ex);
		}
		StatefulRedisConnection<String, String> reads = client().connect();
		this.reading = true;
		Thread thread = Thread.ofPlatform()
			.daemon()
			.name("bubus-redis-stream-" + name())
			.unstarted(() -> readLoop(reads));
		this.reader = thread;
		thread.start();
	}

	private void createGroup(RedisCommands<String, String> sync) {
		String start = this.fromBeginning ? "0" : "$";
		try {
			sync.xgroupCreate(XReadArgs.StreamOffset.from(this.stream, start), this.group,
					XGroupCreateArgs.Builder.mkstream());
		}
		catch (RedisBusyException ex) {
			// BUSYGROUP: the group exists and keeps its read position
		}
	}

	/**
	 * The reader thread: its own pending entries first, then new ones, claiming idle
	 * pending entries every half claim idle time. Reads only as many as there is room
	 * for.
	 */
	private void readLoop(StatefulRedisConnection<String, String> reads) {
		RedisCommands<String, String> sync = reads.sync();
		Consumer<String> me = Consumer.from(this.group, this.consumer);
		String ownPending = "0";
		long nextClaim = System.nanoTime();
		boolean failing = false;
		try {
			while (this.reading) {
				try {
					int free = awaitRoom();
					if (free == 0) {
						continue;
					}
					if (System.nanoTime() - nextClaim >= 0) {
						claimIdle(sync, me, free);
						nextClaim = System.nanoTime() + this.claimIdle.toNanos() / 2;
						continue;
					}
					int count = Math.min(free, READ_COUNT);
					List<StreamMessage<String, String>> entries;
					if (ownPending != null) {
						entries = sync.xreadgroup(me, XReadArgs.Builder.count(count),
								XReadArgs.StreamOffset.from(this.stream, ownPending));
						ownPending = entries.isEmpty() ? null : entries.get(entries.size() - 1).getId();
					}
					else {
						entries = sync.xreadgroup(me, XReadArgs.Builder.count(count).block(BLOCK),
								XReadArgs.StreamOffset.lastConsumed(this.stream));
					}
					handle(entries);
					if (failing) {
						log.info("bridge {} reads stream {} again", name(), this.stream);
						failing = false;
					}
				}
				catch (RedisException ex) {
					if (!this.reading) {
						return;
					}
					if (!failing) {
						log.warn("bridge {} could not read stream {} on {}, retrying: {}", name(), this.stream,
								this.address, ex.toString());
						failing = true;
					}
					// entries read but lost with the reply stay pending: claimed later
					ownPending = "0";
					LockSupport.parkNanos(RETRY_PAUSE.toNanos());
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			Closeables.closeQuietly(reads);
		}
	}

	/** Waits up to a read block for room; returns how many entries may be read. */
	private int awaitRoom() throws InterruptedException {
		if (this.room.tryAcquire(1, BLOCK.toMillis(), TimeUnit.MILLISECONDS)) {
			this.room.release();
			return this.room.availablePermits();
		}
		return 0;
	}

	private void claimIdle(RedisCommands<String, String> sync, Consumer<String> me, int free) {
		String cursor = "0-0";
		int left = free;
		do {
			ClaimedMessages<String, String> claimed = sync.xautoclaim(this.stream,
					XAutoClaimArgs.Builder.xautoclaim(me, this.claimIdle, cursor).count(Math.min(left, READ_COUNT)));
			handle(claimed.getMessages());
			left -= claimed.getMessages().size();
			cursor = claimed.getId();
		}
		while (left > 0 && !"0-0".equals(cursor) && this.reading);
	}

	private void handle(List<StreamMessage<String, String>> entries) {
		for (StreamMessage<String, String> entry : entries) {
			this.room.acquireUninterruptibly();
			String id = entry.getId();
			Map<String, String> body = entry.getBody();
			String json = (body != null) ? body.get(EVENT_FIELD) : null;
			if (json == null) {
				// a deleted entry still pending, or one without an event: nothing to do
				acknowledge(id);
				this.room.release();
				continue;
			}
			Map<String, String> fields = new HashMap<>(body);
			fields.remove(EVENT_FIELD);
			receive(json, fields, new Acknowledgement() {

				@Override
				public void ack() {
					acknowledge(id);
					RedisStreamEventBridge.this.room.release();
				}

				@Override
				public void redeliver() {
					// stays pending: claimed again after the claim idle time
					RedisStreamEventBridge.this.room.release();
				}

			});
		}
	}

	/** {@code XACK} without waiting (settlement runs on bus threads). */
	private void acknowledge(String id) {
		StatefulRedisConnection<String, String> connection = this.commands;
		if (connection == null) {
			return;
		}
		connection.async().xack(this.stream, this.group, id).exceptionally((failure) -> {
			log.debug("bridge {} could not XACK {} (it is claimed again later): {}", name(), id, failure.toString());
			return 0L;
		});
	}

	@Override
	protected void stopReceiving() {
		this.reading = false;
		Thread thread = this.reader;
		if (thread != null) {
			try {
				// a blocked read returns within the block time
				thread.join(BLOCK.toMillis() + COMMAND_TIMEOUT.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	protected void stopListening() {
		this.reading = false;
		Thread thread = this.reader;
		this.reader = null;
		if (thread != null) {
			thread.interrupt();
		}
	}

	@Override
	public void close() {
		super.close();
		synchronized (this) {
			Closeables.closeQuietly(this.commands);
			this.commands = null;
			if (this.client != null) {
				this.client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
				this.client = null;
			}
		}
	}

	private void requireNotStarted(String method) {
		if (isStarted()) {
			throw new IllegalStateException(method + "() must be called before the bridge starts");
		}
	}

	private synchronized StatefulRedisConnection<String, String> commands() {
		if (this.commands == null) {
			this.commands = client().connect();
		}
		return this.commands;
	}

	private synchronized RedisClient client() {
		if (this.client == null) {
			RedisClient created = RedisClient.create(this.uri);
			created.setOptions(ClientOptions.builder().autoReconnect(true).build());
			this.client = created;
		}
		return this.client;
	}

	@Override
	public String toString() {
		return "RedisStreamEventBridge(" + name() + " -> " + this.address + " " + this.stream + ", group " + this.group
				+ ")";
	}

}
