package io.bubus.bridge;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.bubus.BaseEvent;
import io.bubus.EventBus;
import io.bubus.EventHandler;
import io.bubus.EventHandlerFunction;
import io.bubus.internal.FlatRow;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The common contract of every bridge: {@link #emit(BaseEvent)} sends an event's bubus
 * JSON over the transport; {@link #on(String, EventHandlerFunction)} registers a handler
 * for received events (and starts listening). Received events are read with
 * {@link BaseEvent#fromJson(String)}, given a fresh id with {@link BaseEvent#reset()}
 * (keeping {@code event_path} for loop prevention) and emitted on the bridge's own
 * inbound bus, whose history keeps only in-flight events.
 * <p>
 * Bad input (malformed JSON, invalid fields, oversized messages) is logged with the
 * bridge name and a short reason, counted in {@link #droppedMessages()}, and dropped; the
 * bridge keeps receiving.
 * <p>
 * Sending is synchronous by default: {@code emit} returns once the transport has the
 * event (for the durable bridges: once it is durable). The JSON Lines, SQLite, PostgreSQL
 * and RabbitMQ bridges can send in batches instead ({@link #batchSends(SendBatching)}):
 * {@code emit} then queues the event and returns at once, and a sender thread writes the
 * queued events in one round trip per batch; {@link #flush()}, {@link #emitAsync} and
 * {@link #failedSends()} tell when they are durable or could not be sent, and
 * {@link #close()} sends what is queued first.
 */
public abstract class EventBridge implements AutoCloseable {

	/** Default limit on the size of one received message. */
	public static final int DEFAULT_MAX_MESSAGE_BYTES = 1 << 20;

	private static final Logger log = LoggerFactory.getLogger(EventBridge.class);

	private final EventBus inbound;

	private final AtomicBoolean started = new AtomicBoolean();

	// set by on(), never cleared: close() clears the inbound bus
	private volatile boolean receivers;

	private final AtomicLong dropped = new AtomicLong();

	private final AtomicLong received = new AtomicLong();

	private volatile int maxMessageBytes;

	private volatile ReadPositionListener readPositions = ReadPositionListener.NONE;

	/** A bridge with this name ({@code null} = generated) and message size limit. */
	protected EventBridge(@Nullable String name, int maxMessageBytes) {
		this.inbound = EventBus.builder(name).maxHistorySize(0).build();
		this.maxMessageBytes = maxMessageBytes;
	}

	/**
	 * Stops the inbound bus, releasing the bridge's name, and returns the failure: a
	 * subclass constructor that rejects its settings rethrows with
	 * {@code throw abandon(ex)}, so a later bridge or bus can take the name at once.
	 * @param failure why the bridge cannot be created
	 * @param <X> the failure's type
	 * @return the failure
	 */
	protected final <X extends RuntimeException> X abandon(X failure) {
		this.inbound.stop(Duration.ZERO, true);
		return failure;
	}

	/** The bridge name (also the inbound bus name). */
	public String name() {
		return this.inbound.name();
	}

	/**
	 * Registers a handler for received events of this type (or {@code "*"}) and starts
	 * listening.
	 */
	public EventHandler on(String eventTypeOrStar, EventHandlerFunction<BaseEvent<?>> handler) {
		EventHandler registered = this.inbound.on(eventTypeOrStar, handler);
		this.receivers = true;
		start();
		return registered;
	}

	/** Registers a handler for received events of this class and starts listening. */
	public <E extends BaseEvent<?>> EventHandler on(Class<E> type, EventHandlerFunction<? super E> handler) {
		EventHandler registered = this.inbound.on(type, handler);
		this.receivers = true;
		start();
		return registered;
	}

	/**
	 * Sends the event's JSON over the transport and returns the event. When sending in
	 * batches, queues the event (waiting for room while the queue is full) and returns
	 * before it is sent.
	 * @throws BridgeException when the transport refuses it, or when batching, the bridge
	 * is closed or its queue stayed full for {@link SendBatching#queueFullTimeout()}
	 */
	public abstract BaseEvent<?> emit(BaseEvent<?> event);

	/**
	 * Sends the event like {@link #emit}, and returns a future that completes with the
	 * event once the transport has it (durable, for the durable bridges), or
	 * exceptionally with a {@link BridgeException} when it could not be sent. Without
	 * batching the send happens before this method returns.
	 * @throws BridgeException when batching and the event cannot be queued (see
	 * {@link #emit})
	 */
	public CompletableFuture<BaseEvent<?>> emitAsync(BaseEvent<?> event) {
		SendQueue<?> sends = sends();
		SendBatching batching = (sends != null) ? sends.batching() : null;
		if (sends != null && batching != null) {
			return sends.emitAsync(batching, event);
		}
		try {
			return CompletableFuture.completedFuture(emit(event));
		}
		catch (BridgeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	/**
	 * Sends events in batches from now on, with these options: {@code emit} queues the
	 * event and returns at once, and one sender thread writes up to
	 * {@link SendBatching#maxBatchSize()} queued events per round trip, in order. The
	 * event then completes on the bus before it is durable; use {@link #flush()} or
	 * {@link #emitAsync} to wait for that. Supported by {@link JsonlEventBridge},
	 * {@code SqliteEventBridge}, {@code PostgresEventBridge} and
	 * {@code RabbitMqEventBridge}.
	 * @param batching the batch size, linger, queue capacity and timeouts
	 * @return this bridge
	 * @throws IllegalStateException when the bridge already sent an event
	 * @throws UnsupportedOperationException when this bridge cannot send in batches
	 */
	public EventBridge batchSends(SendBatching batching) {
		SendQueue<?> sends = sends();
		if (sends == null) {
			throw new UnsupportedOperationException(getClass().getSimpleName() + " " + name()
					+ " cannot send in batches; JsonlEventBridge, SqliteEventBridge, PostgresEventBridge and "
					+ "RabbitMqEventBridge can");
		}
		sends.batch(batching);
		return this;
	}

	/**
	 * Whether {@link #batchSends(SendBatching)} is supported (and not too late: no event
	 * was sent yet).
	 */
	public boolean canBatchSends() {
		SendQueue<?> sends = sends();
		return sends != null && !sends.used();
	}

	/** The batching options, or {@code null} when sends are synchronous. */
	public @Nullable SendBatching sendBatching() {
		SendQueue<?> sends = sends();
		return (sends != null) ? sends.batching() : null;
	}

	/**
	 * A future that completes once every event accepted before this call has been sent or
	 * has failed: normally when all of them were sent, exceptionally with a
	 * {@link BridgeException} when any of them could not be sent. Completed at once
	 * without batching (each {@code emit} has already sent its event).
	 */
	public CompletableFuture<Void> flush() {
		SendQueue<?> sends = sends();
		return (sends != null) ? sends.flush() : CompletableFuture.completedFuture(null);
	}

	/** Events accepted for sending in batches and not yet sent or failed. */
	public int pendingSends() {
		SendQueue<?> sends = sends();
		return (sends != null) ? sends.pending() : 0;
	}

	/**
	 * Events accepted for sending in batches that could not be sent (each failure is also
	 * logged with the bridge name). Synchronous sends throw instead.
	 */
	public long failedSends() {
		SendQueue<?> sends = sends();
		return (sends != null) ? sends.failed() : 0;
	}

	/** How the bridge sends, when it can send in batches. */
	protected @Nullable SendQueue<?> sends() {
		return null;
	}

	/** Starts listening; idempotent and safe to call from several threads. */
	public final void start() {
		if (this.started.compareAndSet(false, true)) {
			try {
				startListening();
			}
			catch (RuntimeException ex) {
				this.started.set(false);
				throw ex;
			}
		}
	}

	/** Whether {@link #start()} ran. */
	public boolean isStarted() {
		return this.started.get();
	}

	/**
	 * Whether handlers for received events were registered ({@link #on}): the bridge is
	 * meant to listen, so one that is not {@link #isStarted() started} is not receiving
	 * what it should.
	 */
	public boolean hasReceivers() {
		return this.receivers;
	}

	/** Opens the listener (called once by {@link #start()}). */
	protected abstract void startListening();

	/** Closes the listener and connections. */
	protected abstract void stopListening();

	/**
	 * Sends what is queued (batching: waiting at most
	 * {@link SendBatching#closeTimeout()}; what is left then is logged, counted in
	 * {@link #failedSends()} and dropped), stops listening and stops the inbound bus.
	 */
	@Override
	public void close() {
		SendQueue<?> sends = sends();
		if (sends != null) {
			sends.close();
		}
		if (this.started.compareAndSet(true, false)) {
			stopListening();
		}
		this.inbound.stop(Duration.ZERO, true);
	}

	/** Messages dropped as bad input since the bridge was created. */
	public long droppedMessages() {
		return this.dropped.get();
	}

	/** Events received and emitted on the inbound bus. */
	public long receivedMessages() {
		return this.received.get();
	}

	/** The largest received message accepted, in UTF-8 bytes; larger ones are dropped. */
	public int maxMessageBytes() {
		return this.maxMessageBytes;
	}

	/**
	 * Sets the largest received message accepted (default
	 * {@value #DEFAULT_MAX_MESSAGE_BYTES} bytes); larger ones are logged, counted and
	 * dropped (HTTP answers 413).
	 */
	public void setMaxMessageBytes(int bytes) {
		if (bytes <= 0) {
			throw new IllegalArgumentException("maxMessageBytes must be > 0, got " + bytes);
		}
		this.maxMessageBytes = bytes;
	}

	/** The bus received events are emitted on. */
	protected EventBus inbound() {
		return this.inbound;
	}

	/** Serializes an event for the wire (compact JSON, one line). */
	protected static String toWire(BaseEvent<?> event) {
		return event.toJson();
	}

	/**
	 * Handles one received message: parse, reset, emit on the inbound bus. Returns false
	 * (after logging and counting) when the message is bad input.
	 */
	protected boolean receive(String json) {
		try {
			return receiveEvent(json) != null;
		}
		catch (IllegalStateException ex) {
			return drop("inbound bus is stopped", null);
		}
	}

	/**
	 * Like {@link #receive(String)}, returning the event emitted on the inbound bus, or
	 * {@code null} when the message was bad input (logged and counted).
	 * @throws IllegalStateException when the inbound bus is stopped (the bridge is
	 * closing): the message was not taken, and is neither logged nor counted
	 */
	protected final @Nullable BaseEvent<?> receiveEvent(String json) {
		int size = json.getBytes(StandardCharsets.UTF_8).length;
		if (size > this.maxMessageBytes) {
			dropOversized(size);
			return null;
		}
		BaseEvent<?> event;
		try {
			event = BaseEvent.fromJson(json);
		}
		catch (IllegalArgumentException ex) {
			drop(ex.getMessage(), null);
			return null;
		}
		catch (RuntimeException ex) {
			drop("unreadable event: " + ex, ex);
			return null;
		}
		BaseEvent<?> emitted = this.inbound.emit(event.reset());
		this.received.incrementAndGet();
		return emitted;
	}

	/**
	 * Handles one stored row of the SQL bridges like a received message (a row that is
	 * not an event is dropped like any bad input).
	 */
	protected final boolean receiveRow(Map<String, @Nullable String> row) {
		try {
			return receiveRowEvent(row) != null;
		}
		catch (IllegalStateException ex) {
			return drop("inbound bus is stopped", null);
		}
	}

	/**
	 * Like {@link #receiveRow(Map)}, returning the event as {@link #receiveEvent(String)}
	 * does.
	 */
	protected final @Nullable BaseEvent<?> receiveRowEvent(Map<String, @Nullable String> row) {
		String json;
		try {
			json = FlatRow.eventJson(row);
		}
		catch (IllegalArgumentException ex) {
			drop(ex.getMessage(), null);
			return null;
		}
		return receiveEvent(json);
	}

	/**
	 * Sets the listener told of the read position (durable bridges), before the bridge
	 * starts.
	 */
	protected final void readPositions(String method, ReadPositionListener listener) {
		if (isStarted()) {
			throw new IllegalStateException(method + " must be called before the bridge starts");
		}
		this.readPositions = Objects.requireNonNull(listener, "listener");
	}

	/** Tells the read position listener; what it throws is logged. */
	protected final void reportPosition(long position, @Nullable BaseEvent<?> event) {
		try {
			this.readPositions.read(position, event);
		}
		catch (RuntimeException ex) {
			log.warn("bridge {} read position listener failed at position {}", name(), position, ex);
		}
	}

	/**
	 * Logs and counts a message dropped for being larger than {@link #maxMessageBytes()}.
	 */
	protected boolean dropOversized(long size) {
		return drop("message of " + size + " bytes is over the limit of " + this.maxMessageBytes, null);
	}

	private boolean drop(@Nullable String reason, @Nullable Throwable cause) {
		this.dropped.incrementAndGet();
		if (cause != null) {
			log.warn("bridge {} dropped a received message: {}", name(), reason, cause);
		}
		else {
			log.warn("bridge {} dropped a received message: {}", name(), reason);
		}
		return false;
	}

}
