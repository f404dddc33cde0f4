package io.bubus.bridge;

import java.time.Duration;

/**
 * Options for sending in batches: with them, a bridge's {@code emit} serializes the
 * event, puts it on a bounded send queue and returns at once; one sender thread per
 * bridge writes up to {@link #maxBatchSize()} queued events in one round trip (one
 * multi-row upsert for PostgreSQL, one transaction for SQLite, one publisher confirm for
 * RabbitMQ, one append for JSON Lines), waiting at most {@link #linger()} for a batch to
 * fill. Immutable; every method that takes an argument returns a new instance.
 *
 * {@snippet :
 * PostgresEventBridge bridge = new PostgresEventBridge("postgresql://app@db:5432/shop/events")
 * 	.batchSends(SendBatching.defaults().maxBatchSize(512));
 * bus.on("*", bridge::emit);
 * }
 * <p>
 * Events leave in the order they were accepted. A full queue blocks {@code emit} until
 * there is room, at most {@link #queueFullTimeout()}, then {@code emit} fails with a
 * {@link BridgeException}. {@link EventBridge#close()} sends what is queued, waiting at
 * most {@link #closeTimeout()}. A batch that cannot be sent (after the retries of the
 * bridge's synchronous send) is logged with the bridge name and counted in
 * {@link EventBridge#failedSends()}; {@link EventBridge#flush()} and
 * {@link EventBridge#emitAsync(io.bubus.BaseEvent)} report it to callers that wait.
 *
 * @see EventBridge#batchSends(SendBatching)
 */
public final class SendBatching {

	/** The default largest batch. */
	public static final int DEFAULT_MAX_BATCH_SIZE = 256;

	/** The default wait for a batch to fill. */
	public static final Duration DEFAULT_LINGER = Duration.ofMillis(1);

	/** The default number of events the send queue holds. */
	public static final int DEFAULT_QUEUE_CAPACITY = 10_000;

	/** The default longest wait of {@code emit} for room in a full queue. */
	public static final Duration DEFAULT_QUEUE_FULL_TIMEOUT = Duration.ofSeconds(30);

	/** The default longest wait of {@code close()} for the queue to be sent. */
	public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(10);

	private static final SendBatching DEFAULTS = new SendBatching(DEFAULT_MAX_BATCH_SIZE, DEFAULT_LINGER,
			DEFAULT_QUEUE_CAPACITY, DEFAULT_QUEUE_FULL_TIMEOUT, DEFAULT_CLOSE_TIMEOUT);

	private final int maxBatchSize;

	private final Duration linger;

	private final int queueCapacity;

	private final Duration queueFullTimeout;

	private final Duration closeTimeout;

	private SendBatching(int maxBatchSize, Duration linger, int queueCapacity, Duration queueFullTimeout,
			Duration closeTimeout) {
		this.maxBatchSize = maxBatchSize;
		this.linger = linger;
		this.queueCapacity = queueCapacity;
		this.queueFullTimeout = queueFullTimeout;
		this.closeTimeout = closeTimeout;
	}

	/**
	 * Batches of up to {@value #DEFAULT_MAX_BATCH_SIZE} events, a linger of 1 ms, a queue
	 * of {@value #DEFAULT_QUEUE_CAPACITY} events, 30 s of backpressure and 10 s for
	 * {@code close()}.
	 */
	public static SendBatching defaults() {
		return DEFAULTS;
	}

	/** The largest number of events sent in one round trip. */
	public int maxBatchSize() {
		return this.maxBatchSize;
	}

	/**
	 * With the largest number of events sent in one round trip (at least 1, at most
	 * {@link #queueCapacity()}).
	 */
	public SendBatching maxBatchSize(int maxBatchSize) {
		if (maxBatchSize < 1 || maxBatchSize > this.queueCapacity) {
			throw new IllegalArgumentException("maxBatchSize must be between 1 and queueCapacity (" + this.queueCapacity
					+ "), got " + maxBatchSize);
		}
		return new SendBatching(maxBatchSize, this.linger, this.queueCapacity, this.queueFullTimeout,
				this.closeTimeout);
	}

	/** How long the sender waits for a batch to fill before sending what it has. */
	public Duration linger() {
		return this.linger;
	}

	/**
	 * With the sender's wait for a batch to fill ({@link Duration#ZERO} sends what is
	 * queued at once; the events that arrive during a round trip still make the next
	 * batch).
	 */
	public SendBatching linger(Duration linger) {
		if (linger.isNegative()) {
			throw new IllegalArgumentException("linger must be >= 0, got " + linger);
		}
		return new SendBatching(this.maxBatchSize, linger, this.queueCapacity, this.queueFullTimeout,
				this.closeTimeout);
	}

	/** How many accepted events may wait to be sent. */
	public int queueCapacity() {
		return this.queueCapacity;
	}

	/**
	 * With the number of accepted events that may wait to be sent (at least
	 * {@link #maxBatchSize()}).
	 */
	public SendBatching queueCapacity(int queueCapacity) {
		if (queueCapacity < this.maxBatchSize) {
			throw new IllegalArgumentException(
					"queueCapacity must be >= maxBatchSize (" + this.maxBatchSize + "), got " + queueCapacity);
		}
		return new SendBatching(this.maxBatchSize, this.linger, queueCapacity, this.queueFullTimeout,
				this.closeTimeout);
	}

	/** How long {@code emit} waits for room in a full queue before it fails. */
	public Duration queueFullTimeout() {
		return this.queueFullTimeout;
	}

	/** With the longest wait of {@code emit} for room in a full queue (&gt; 0). */
	public SendBatching queueFullTimeout(Duration queueFullTimeout) {
		requirePositive("queueFullTimeout", queueFullTimeout);
		return new SendBatching(this.maxBatchSize, this.linger, this.queueCapacity, queueFullTimeout,
				this.closeTimeout);
	}

	/** How long {@code close()} waits for the queued events to be sent. */
	public Duration closeTimeout() {
		return this.closeTimeout;
	}

	/** With the longest wait of {@code close()} for the queued events (&gt; 0). */
	public SendBatching closeTimeout(Duration closeTimeout) {
		requirePositive("closeTimeout", closeTimeout);
		return new SendBatching(this.maxBatchSize, this.linger, this.queueCapacity, this.queueFullTimeout,
				closeTimeout);
	}

	@Override
	public String toString() {
		return "SendBatching(maxBatchSize=" + this.maxBatchSize + ", linger=" + this.linger + ", queueCapacity="
				+ this.queueCapacity + ", queueFullTimeout=" + this.queueFullTimeout + ", closeTimeout="
				+ this.closeTimeout + ")";
	}

	private static void requirePositive(String what, Duration duration) {
		if (duration.isNegative() || duration.isZero()) {
			throw new IllegalArgumentException(what + " must be > 0, got " + duration);
		}
	}

}
