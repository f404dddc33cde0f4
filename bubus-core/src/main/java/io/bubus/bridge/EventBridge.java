package io.bubus.bridge;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.bubus.BaseEvent;
import io.bubus.EventBus;
import io.bubus.EventHandler;
import io.bubus.EventHandlerFunction;
import io.bubus.JsonResults;
import io.bubus.internal.FlatRow;
import io.bubus.json.BubusJson;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
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
 * bridge name, the message's size and event type and a short reason naming the field,
 * never a value from the message; it is counted in {@link #droppedMessages()} and
 * dropped, and the bridge keeps receiving.
 * <p>
 * Sending is synchronous by default: {@code emit} returns once the transport has the
 * event (for the durable bridges: once it is durable). The JSON Lines, SQLite, PostgreSQL
 * and RabbitMQ bridges can send in batches instead ({@link #batchSends(SendBatching)}):
 * {@code emit} then queues the event and returns at once, and a sender thread writes the
 * queued events in one round trip per batch; {@link #flush()}, {@link #emitAsync} and
 * {@link #failedSends()} tell when they are durable or could not be sent, and
 * {@link #close()} sends what is queued first.
 * <p>
 * <strong>Delivery.</strong> Each transport's class states its guarantee. The
 * at-least-once modes (RabbitMQ, NATS JetStream, Redis Streams) acknowledge a message
 * only once the bus completed its event, redeliver what was not acknowledged, and
 * recognise a message delivered again by the sender's {@code event_id} in a
 * {@link #duplicateWindow() duplicate window}, so it is not handled twice (counted in
 * {@link #duplicateMessages()}). The at-most-once modes (core NATS, Redis pub/sub) number
 * each sender's messages; a receiver that finds numbers missing counts them in
 * {@link #lostMessages()} and logs them.
 * <p>
 * <strong>Trace context.</strong> With {@link #tracing(BridgeTracing)} (for example
 * {@link ObservationBridgeTracing}), the W3C {@code traceparent} of the emitting thread
 * travels with each event and is current while the received event is emitted on the
 * inbound bus, so the trace continues in the receiving process.
 */
public abstract class EventBridge implements AutoCloseable {

	/**
	 * The field carrying a sender's message number ({@code <sender id>:<n>}): a header,
	 * or a top-level JSON key where the transport has no headers.
	 */
	public static final String SEQUENCE_FIELD = "bubus_seq";

	/** How long {@link #close()} waits for acknowledged deliveries still running. */
	public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(10);

	/** Top-level JSON keys a bridge without headers carries its fields in. */
	private static final String[] RESERVED_KEYS = { "traceparent", "tracestate", SEQUENCE_FIELD };

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

	private volatile BridgeTracing tracing = BridgeTracing.NONE;

	private volatile Duration drainTimeout = DEFAULT_DRAIN_TIMEOUT;

	private volatile DuplicateWindow duplicates = new DuplicateWindow();

	private final LossLog losses = new LossLog(this);

	private final SequenceGaps gaps = new SequenceGaps();

	private final String senderId = UUID.randomUUID().toString().substring(0, 8);

	private final AtomicLong sequence = new AtomicLong();

	private final Settlements settlements = new Settlements(this);

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
					+ " cannot send in batches; JsonlEventBridge, SqliteEventBridge, PostgresEventBridge, "
					+ "RabbitMqEventBridge, NatsEventBridge, NatsJetStreamEventBridge and KafkaEventBridge can");
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
	 * {@link #failedSends()} and dropped), stops listening, lets the received events
	 * finish for up to {@link #drainTimeout(Duration)} and stops the inbound bus.
	 */
	@Override
	public void close() {
		SendQueue<?> sends = sends();
		if (sends != null) {
			sends.close();
		}
		Duration finishing = Duration.ZERO;
		if (this.started.compareAndSet(true, false)) {
			stopReceiving();
			this.settlements.await(this.drainTimeout);
			stopListening();
			// what the listener accepted before it stopped (an HTTP 202, a line read)
			// runs
			// to the end, within the same bound, rather than being cancelled by the stop
			finishing = this.drainTimeout;
		}
		this.inbound.stop(finishing, true);
		this.losses.flush(true);
	}

	/**
	 * Stops taking new messages, before {@link #close()} waits for the acknowledged ones
	 * in flight to settle and then calls {@link #stopListening()}. Does nothing by
	 * default.
	 */
	protected void stopReceiving() {
	}

	/** Messages dropped as bad input since the bridge was created. */
	public long droppedMessages() {
		return this.dropped.get();
	}

	/** Events received and emitted on the inbound bus. */
	public long receivedMessages() {
		return this.received.get();
	}

	/**
	 * Messages delivered again and recognised by the sender's event id, so not handled
	 * twice (at-least-once modes).
	 */
	public long duplicateMessages() {
		return this.duplicates.suppressed();
	}

	/**
	 * Messages known to be lost (at-most-once modes): numbers missing from a sender's
	 * sequence on receipt, and sends the transport reported no receiver for. Each loss is
	 * also logged (at most one line a second per bridge, with the count).
	 */
	public long lostMessages() {
		return this.losses.total();
	}

	/** The window received event ids are checked against (at-least-once modes). */
	public DuplicateWindow duplicateWindow() {
		return this.duplicates;
	}

	/**
	 * Uses this window for duplicate suppression (default
	 * {@link DuplicateWindow#DEFAULT_MAX_SIZE} ids,
	 * {@link DuplicateWindow#DEFAULT_MAX_AGE}), before the bridge starts.
	 * @param window the window
	 * @return this bridge
	 */
	public EventBridge duplicateWindow(DuplicateWindow window) {
		if (isStarted()) {
			throw new IllegalStateException("duplicateWindow() must be called before the bridge starts");
		}
		this.duplicates = Objects.requireNonNull(window, "window");
		return this;
	}

	/**
	 * How long {@link #close()} waits for received events still running before it stops
	 * them (default {@link #DEFAULT_DRAIN_TIMEOUT}); in the at-least-once modes what it
	 * stops is delivered again.
	 * @param timeout the longest wait (zero: none)
	 * @return this bridge
	 */
	public EventBridge drainTimeout(Duration timeout) {
		if (timeout.isNegative()) {
			throw new IllegalArgumentException("drainTimeout must not be negative, got " + timeout);
		}
		this.drainTimeout = timeout;
		return this;
	}

	/** How trace context is sent and restored ({@link BridgeTracing#NONE} by default). */
	public BridgeTracing tracing() {
		return this.tracing;
	}

	/**
	 * Sends the emitting thread's trace context with each event and restores a received
	 * one around the inbound emit.
	 * @param tracing for example {@code new ObservationBridgeTracing(registry)}
	 * @return this bridge
	 */
	public EventBridge tracing(BridgeTracing tracing) {
		this.tracing = Objects.requireNonNull(tracing, "tracing");
		return this;
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

	/**
	 * Serializes an event for the wire (compact JSON, one line), without
	 * {@code event_results}: a receiver resets them, and Python bubus refuses the array
	 * form (see {@link JsonResults}).
	 */
	protected static String toWire(BaseEvent<?> event) {
		return event.toJson(JsonResults.NONE);
	}

	/**
	 * The fields to send with this event as headers: its trace context, read on the
	 * calling (emitting) thread.
	 */
	protected final Map<String, String> outboundFields(BaseEvent<?> event) {
		try {
			return this.tracing.inject(this, event);
		}
		catch (RuntimeException ex) {
			log.warn("bridge {} could not read the trace context of {}: {}", name(), event.eventType(), ex.toString());
			return Map.of();
		}
	}

	/**
	 * Like {@link #outboundFields}, plus this bridge's next message number in
	 * {@link #SEQUENCE_FIELD}, for at-most-once transports whose receivers count gaps.
	 */
	protected final Map<String, String> sequencedFields(BaseEvent<?> event) {
		Map<String, String> fields = new HashMap<>(outboundFields(event));
		fields.put(SEQUENCE_FIELD, this.senderId + ":" + this.sequence.incrementAndGet());
		return fields;
	}

	/**
	 * The event's wire JSON with these fields as extra top-level keys, for transports
	 * without headers; {@link #receive(String)} takes them out again. Peers that do not
	 * know them keep them as payload fields.
	 */
	protected static String toWire(BaseEvent<?> event, Map<String, String> fields) {
		String json = toWire(event);
		if (fields.isEmpty()) {
			return json;
		}
		StringBuilder extra = new StringBuilder(json.length() + 96);
		extra.append(json, 0, json.length() - 1);
		for (Map.Entry<String, String> field : fields.entrySet()) {
			extra.append(',')
				.append(BubusJson.MAPPER.writeValueAsString(field.getKey()))
				.append(':')
				.append(BubusJson.MAPPER.writeValueAsString(field.getValue()));
		}
		return extra.append('}').toString();
	}

	/**
	 * Counts messages known to be lost and logs them (at most one line a second, with the
	 * count since the last line; the rest at close).
	 * @param count how many were lost
	 * @param why what happened, without payload values
	 */
	protected final void countLost(long count, String why) {
		this.losses.count(count, why);
	}

	/**
	 * Handles one received message: parse, reset, emit on the inbound bus. Returns false
	 * (after logging and counting) when the message is bad input. Reserved top-level keys
	 * (trace context, message number; see {@link #toWire(BaseEvent, Map)}) are taken out
	 * and used like headers.
	 */
	protected boolean receive(String json) {
		return receive(json, Map.of());
	}

	/**
	 * Handles one message received at most once, with its header fields (trace context,
	 * message number): counts and logs the messages of its sender found missing, then
	 * handles it like {@link #receive(String)}.
	 */
	protected final boolean receive(String json, Map<String, String> fields) {
		Received message = unpack(json, fields);
		if (message == null) {
			return false;
		}
		String tag = message.fields().get(SEQUENCE_FIELD);
		if (tag != null) {
			long missing = this.gaps.received(tag);
			countLost(missing, "missing from the sequence of a sender; this transport delivers at most once");
		}
		try (BridgeTracing.Scope scope = restore(message.fields())) {
			return receiveEvent(message.event()) != null;
		}
		catch (IllegalStateException ex) {
			return drop("inbound bus is stopped", null);
		}
	}

	/**
	 * Handles one message delivered at least once, settling it once the bus completed its
	 * event: {@link Acknowledgement#ack()} when the event completed (whatever its
	 * handlers returned or threw), for bad input (after counting it), and for a duplicate
	 * whose original was handled; {@link Acknowledgement#redeliver()} when the work did
	 * not finish (the bus stopped, aborting a handler; the bridge is closing), so that
	 * the transport delivers it again. A duplicate is recognised by the sender's event id
	 * in {@link #duplicateWindow()} and not emitted again. Settling runs on the thread
	 * that completed the event; it must not block (what it throws is logged).
	 * @param json the message
	 * @param fields its header fields (trace context)
	 * @param acknowledgement how to settle it
	 */
	protected final void receive(String json, Map<String, String> fields, Acknowledgement acknowledgement) {
		Received message = unpack(json, fields);
		if (message == null) {
			this.settlements.begin();
			this.settlements.settle(acknowledgement, true);
			return;
		}
		String id = message.event().eventId();
		DuplicateWindow window = this.duplicates;
		CompletableFuture<Boolean> original = window.claim(id);
		if (original != null) {
			log.debug("bridge {} received {} {} again; not handled twice", name(), message.event().eventType(), id);
			this.settlements.begin();
			original.whenComplete(
					(handled, failure) -> this.settlements.settle(acknowledgement, Boolean.TRUE.equals(handled)));
			return;
		}
		BaseEvent<?> emitted;
		this.settlements.begin();
		try (BridgeTracing.Scope scope = restore(message.fields())) {
			emitted = receiveEvent(message.event());
		}
		catch (RuntimeException ex) {
			// the inbound bus is stopped: not taken, so it comes again
			window.settle(id, false);
			this.settlements.settle(acknowledgement, false);
			return;
		}
		if (emitted == null) {
			window.settle(id, true);
			this.settlements.settle(acknowledgement, true);
			return;
		}
		emitted.completion().whenComplete((completed, failure) -> {
			boolean handled = failure == null && !Settlements.interrupted(emitted);
			window.settle(id, handled);
			this.settlements.settle(acknowledgement, handled);
		});
	}

	/** How a transport settles a message delivered at least once. */
	protected interface Acknowledgement {

		/** The message is done with: remove it from the transport. */
		void ack();

		/** The message's work did not finish: have the transport deliver it again. */
		void redeliver();

	}

	private BridgeTracing.Scope restore(Map<String, String> fields) {
		try {
			return this.tracing.extract(this, fields);
		}
		catch (RuntimeException ex) {
			log.warn("bridge {} could not restore a received trace context: {}", name(), ex.toString());
			return BridgeTracing.Scope.NOOP;
		}
	}

	/**
	 * Checks the size, parses the message and takes reserved keys out of its JSON;
	 * {@code null} (logged and counted) when it is bad input.
	 */
	private @Nullable Received unpack(String json, Map<String, String> fields) {
		int size = json.getBytes(StandardCharsets.UTF_8).length;
		if (size > this.maxMessageBytes) {
			dropOversized(size);
			return null;
		}
		try {
			if (!hasReservedKey(json)) {
				return new Received(BaseEvent.fromJson(json), fields);
			}
			JsonNode parsed = BubusJson.MAPPER.readTree(json);
			if (!(parsed instanceof ObjectNode tree)) {
				drop(BadMessages.describe(json, size, "Invalid event JSON: expected an object"), null);
				return null;
			}
			Map<String, String> all = new LinkedHashMap<>(fields);
			for (String key : RESERVED_KEYS) {
				JsonNode value = tree.remove(key);
				if (value != null && value.isString()) {
					all.putIfAbsent(key, value.asString());
				}
			}
			return new Received(BaseEvent.fromJson(tree.toString()), all);
		}
		catch (IllegalArgumentException ex) {
			drop(BadMessages.describe(json, size, ex.getMessage()), null);
			return null;
		}
		catch (JacksonException ex) {
			drop(BadMessages.describe(json, size, "Invalid event JSON: malformed"), null);
			return null;
		}
		catch (RuntimeException ex) {
			// the exception's message may quote the payload: only its type is logged
			drop(BadMessages.describe(json, size, null) + " (" + ex.getClass().getName() + ")", null);
			return null;
		}
	}

	private static boolean hasReservedKey(String json) {
		for (String key : RESERVED_KEYS) {
			if (json.contains("\"" + key + "\"")) {
				return true;
			}
		}
		return false;
	}

	/** A parsed message and its fields. */
	private record Received(BaseEvent<?> event, Map<String, String> fields) {
	}

	/**
	 * Like {@link #receive(String)}, returning the event emitted on the inbound bus, or
	 * {@code null} when the message was bad input (logged and counted).
	 * @throws IllegalStateException when the inbound bus is stopped (the bridge is
	 * closing): the message was not taken, and is neither logged nor counted
	 */
	protected final @Nullable BaseEvent<?> receiveEvent(String json) {
		Received message = unpack(json, Map.of());
		if (message == null) {
			return null;
		}
		try (BridgeTracing.Scope scope = restore(message.fields())) {
			return receiveEvent(message.event());
		}
	}

	/** Resets a parsed event and emits it on the inbound bus. */
	private BaseEvent<?> receiveEvent(BaseEvent<?> event) {
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
	 * Handles one stored row of the SQL bridges delivered at least once, like
	 * {@link #receive(String, Map, Acknowledgement)}; a row that is not an event is
	 * dropped like any bad input, and acknowledged.
	 * @param row the row's {@code event_*} columns
	 * @param acknowledgement how to settle it
	 */
	protected final void receiveRow(Map<String, @Nullable String> row, Acknowledgement acknowledgement) {
		String json;
		try {
			json = FlatRow.eventJson(row);
		}
		catch (IllegalArgumentException ex) {
			drop("a stored row: " + ex.getMessage(), null);
			this.settlements.begin();
			this.settlements.settle(acknowledgement, true);
			return;
		}
		receive(json, Map.of(), acknowledgement);
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
			drop("a stored row: " + ex.getMessage(), null);
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
