package io.bubus.bridge.nats;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

import io.bubus.BaseEvent;
import io.bubus.bridge.BridgeException;
import io.bubus.bridge.EventBridge;
import io.bubus.bridge.SendBatching;
import io.bubus.bridge.SendQueue;
import io.bubus.internal.BridgeNames;
import io.bubus.internal.Durations;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PublishOptions;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.nats.client.support.NatsJetStreamConstants;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bridge over a NATS JetStream stream: {@link #emit} publishes the compact JSON to the
 * subject and waits for the stream's acknowledgement; listening reads the stream through
 * a durable pull consumer and acknowledges each message once the bus completed its event.
 * <p>
 * The stream is the one that captures the subject, else {@link #stream(String)}, else
 * {@code BUBUS_<SUBJECT>} ({@code orders.v1} → {@code BUBUS_ORDERS_V1}), created on first
 * use with file storage and the server's defaults (no limits, a two-minute duplicate
 * window). Give it limits ({@code max_age}, {@code max_msgs}) by creating it yourself.
 * <p>
 * <strong>Work sharing and fan-out.</strong> The durable consumer decides: bridges
 * reading with the same {@link #durable(String) durable} share the messages, each handled
 * by one of them (N instances of an application); bridges with different durables each
 * get every message. The durable defaults to the bridge name, so instances configured
 * alike share.
 * <p>
 * <strong>Delivery: at least once, duplicates suppressed.</strong> A message is
 * acknowledged only once the bus completed its event (its handlers ran, whatever they
 * returned or threw); one whose work did not finish (the bridge closed, the bus stopped
 * and aborted a handler) is handed back at once ({@code nak}), and one not acknowledged
 * within {@link #ackWait(Duration) ackWait} (default 30 s: a connection or process died)
 * is delivered again, to this or another instance. While an event is being handled, its
 * message's ack wait is extended every third of it, so a slow event is not delivered a
 * second time. The durable remembers what was acknowledged: a restarted listener resumes
 * with what was published while it was down. The first listener of a durable creates it
 * at the end of the stream ({@link #fromBeginning()} reads what is there). Duplicates:
 * each publish carries the event id as {@code Nats-Msg-Id}, so the stream stores an event
 * published twice within its duplicate window once (a publish retried after a lost
 * acknowledgement); a message delivered again to the same bridge is recognised by its
 * event id in {@link #duplicateWindow()} and not handled twice. One handled by an
 * instance that died before acknowledging it is handled again by the one it is delivered
 * to next. At most {@value #PREFETCH} messages are in flight per bridge.
 * <p>
 * <strong>Ordering.</strong> The stream keeps the order of the publishes; one listener
 * receives in that order, except for redelivered messages, which come later; instances of
 * one durable handle concurrently.
 * <p>
 * <strong>Sending.</strong> An emit waits for the stream's acknowledgement (the event is
 * stored), publishing again after a connection failure, up to
 * {@link #sendTimeout(Duration)} (default 30 s), then fails with a
 * {@link BridgeException} naming the bridge, the subject and the wait.
 * {@link #batchSends(SendBatching)} publishes a batch at once and waits for all of its
 * acknowledgements.
 * <p>
 * Reconnect: jnats', as for {@link NatsEventBridge}; the pull subscription is restored
 * and reading resumes. Trace context travels in the {@code traceparent} and
 * {@code tracestate} headers.
 * <p>
 * Requires {@code io.nats:jnats} and a server with JetStream enabled ({@code -js}).
 */
public class NatsJetStreamEventBridge extends EventBridge {

	/** How long an emit waits for the stream's acknowledgement by default. */
	public static final Duration DEFAULT_SEND_TIMEOUT = Duration.ofSeconds(30);

	/** How long a delivered message may stay unacknowledged by default. */
	public static final Duration DEFAULT_ACK_WAIT = Duration.ofSeconds(30);

	/** Messages a listener has in flight at most. */
	public static final int PREFETCH = 256;

	private static final Logger log = LoggerFactory.getLogger(NatsJetStreamEventBridge.class);

	/** One wait for the acknowledgements of a batch, before it is sent again. */
	private static final Duration ACK_TIMEOUT = Duration.ofSeconds(3);

	private static final Duration FETCH_WAIT = Duration.ofSeconds(1);

	private static final int FETCH_COUNT = 64;

	private static final Duration RETRY_PAUSE = Duration.ofMillis(250);

	private static final int STREAM_NOT_FOUND = 10059;

	private static final int CONSUMER_NOT_FOUND = 10014;

	private final String subject;

	private final NatsClient client;

	private final SendQueue<Message> sends = new SendQueue<>(this, this::encode, this::publish);

	/** Free places for messages in flight; a settled message gives its place back. */
	private final Semaphore room = new Semaphore(PREFETCH);

	/** Messages handed to the bus and not settled, whose ack wait is extended. */
	private final Set<Message> inFlight = ConcurrentHashMap.newKeySet();

	private volatile @Nullable String stream;

	private volatile String durable;

	private volatile Duration ackWait = DEFAULT_ACK_WAIT;

	private volatile Duration sendTimeout = DEFAULT_SEND_TIMEOUT;

	private volatile boolean fromBeginning;

	private volatile @Nullable String boundStream;

	private volatile @Nullable Thread reader;

	private volatile @Nullable Thread keeper;

	private volatile boolean reading;

	/** A bridge on this subject of this server ({@code nats://127.0.0.1:4222}). */
	public NatsJetStreamEventBridge(String server, String subject) {
		this(server, subject, null);
	}

	/**
	 * A bridge on this subject of this server, with a name (also the default durable).
	 */
	public NatsJetStreamEventBridge(String server, String subject, @Nullable String name) {
		super(name, DEFAULT_MAX_MESSAGE_BYTES);
		try {
			this.subject = BridgeNames.subject("subject", subject);
			this.durable = BridgeNames.identifier("durable name", name().replaceAll("[^A-Za-z0-9_]", "_"));
			this.client = new NatsClient(name(), server, this::countLost);
		}
		catch (RuntimeException ex) {
			throw abandon(ex);
		}
	}

	/** The subject. */
	public String subject() {
		return this.subject;
	}

	/** The durable consumer listening reads with. */
	public String durable() {
		return this.durable;
	}

	/**
	 * The stream: the one set, else the one that captures the subject, once the bridge
	 * has used it; {@code null} before.
	 */
	public @Nullable String stream() {
		String bound = this.boundStream;
		return (bound != null) ? bound : this.stream;
	}

	/**
	 * Uses this stream (created with the subject when it does not exist), before the
	 * bridge is used.
	 * @param stream the stream name ({@code [A-Za-z0-9_]})
	 * @return this bridge
	 */
	public NatsJetStreamEventBridge stream(String stream) {
		requireNotStarted("stream");
		this.stream = BridgeNames.identifier("stream name", stream);
		return this;
	}

	/**
	 * Reads with this durable consumer (default: the bridge name), before the bridge
	 * starts.
	 * @param durable bridges with the same durable share the messages
	 * @return this bridge
	 */
	public NatsJetStreamEventBridge durable(String durable) {
		requireNotStarted("durable");
		this.durable = BridgeNames.identifier("durable name", durable);
		return this;
	}

	/**
	 * How long a delivered message may stay unacknowledged before it is delivered again
	 * (default {@link #DEFAULT_ACK_WAIT}), set when the durable is created; before the
	 * bridge starts.
	 * @param wait how long a dead instance holds its messages
	 * @return this bridge
	 */
	public NatsJetStreamEventBridge ackWait(Duration wait) {
		requireNotStarted("ackWait");
		if (wait.toMillis() < 100) {
			throw new IllegalArgumentException("ackWait must be at least 100 ms, got " + wait);
		}
		this.ackWait = wait;
		return this;
	}

	/**
	 * When this bridge creates its durable, reads the messages already in the stream too
	 * (default: only those published from then on); before the bridge starts.
	 * @return this bridge
	 */
	public NatsJetStreamEventBridge fromBeginning() {
		requireNotStarted("fromBeginning");
		this.fromBeginning = true;
		return this;
	}

	/**
	 * Sets how long an emit (or a batch) waits for the stream's acknowledgement,
	 * publishing again after a connection failure (default
	 * {@link #DEFAULT_SEND_TIMEOUT}); then it fails with a {@link BridgeException}.
	 * @param timeout the longest wait
	 * @return this bridge
	 */
	public NatsJetStreamEventBridge sendTimeout(Duration timeout) {
		Durations.requirePositive("sendTimeout", timeout);
		this.sendTimeout = timeout;
		return this;
	}

	@Override
	public BaseEvent<?> emit(BaseEvent<?> event) {
		return this.sends.emit(event);
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * Each batch is published at once and waits once for the stream's acknowledgements;
	 * what is not acknowledged is published again with the same message ids, so the
	 * stream stores it once.
	 */
	@Override
	public NatsJetStreamEventBridge batchSends(SendBatching batching) {
		super.batchSends(batching);
		return this;
	}

	@Override
	protected SendQueue<?> sends() {
		return this.sends;
	}

	private Message encode(BaseEvent<?> event) {
		Headers headers = new Headers();
		outboundFields(event).forEach(headers::put);
		headers.put(NatsJetStreamConstants.MSG_ID_HDR, event.eventId());
		return NatsMessage.builder()
			.subject(this.subject)
			.headers(headers)
			.data(toWire(event).getBytes(StandardCharsets.UTF_8))
			.build();
	}

	private void publish(List<Message> messages) {
		Duration timeout = this.sendTimeout;
		long deadline = System.nanoTime() + timeout.toNanos();
		List<Message> left = messages;
		Exception last = null;
		while (true) {
			try {
				String target = boundStream();
				JetStream js = this.client.connection().jetStream();
				PublishOptions options = PublishOptions.builder().expectedStream(target).build();
				List<CompletableFuture<PublishAck>> acks = new ArrayList<>(left.size());
				for (Message message : left) {
					acks.add(js.publishAsync(message, options));
				}
				left = unacknowledged(left, acks, deadline);
				if (left.isEmpty()) {
					return;
				}
			}
			catch (JetStreamApiException ex) {
				throw sendFailure(left.size(), "the server refused: " + ex.getMessage(), ex);
			}
			catch (IOException | IllegalStateException ex) {
				last = ex;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw sendFailure(left.size(), "interrupted waiting for the stream", ex);
			}
			if (System.nanoTime() - deadline >= 0) {
				throw sendFailure(left.size(),
						"no acknowledgement from the stream within " + timeout + " ("
								+ ((last != null) ? last.toString() : "no answer") + "); they may still be stored",
						last);
			}
			log.warn("bridge {}: {} publish(es) to {} not acknowledged, publishing again", name(), left.size(),
					this.subject);
			LockSupport.parkNanos(RETRY_PAUSE.toNanos());
		}
	}

	/**
	 * Waits for the acknowledgements (all of them at most {@link #ACK_TIMEOUT}, and not
	 * past the deadline) and returns the messages without one.
	 * @throws JetStreamApiException when the stream refused a message
	 */
	private List<Message> unacknowledged(List<Message> messages, List<CompletableFuture<PublishAck>> acks,
			long deadline) throws JetStreamApiException, InterruptedException {
		List<Message> left = new ArrayList<>();
		long until = System.nanoTime() + Math.min(ACK_TIMEOUT.toNanos(), Math.max(1, deadline - System.nanoTime()));
		for (int i = 0; i < messages.size(); i++) {
			long wait = Math.max(1, until - System.nanoTime());
			try {
				acks.get(i).get(wait, TimeUnit.NANOSECONDS);
			}
			catch (ExecutionException ex) {
				if (ex.getCause() instanceof JetStreamApiException refused) {
					throw refused;
				}
				left.add(messages.get(i));
			}
			catch (TimeoutException | CancellationException ex) {
				left.add(messages.get(i));
			}
		}
		return left;
	}

	private BridgeException sendFailure(int count, String why, @Nullable Throwable cause) {
		String message = "bridge " + name() + " could not publish " + count + " event(s) to " + this.subject + " on "
				+ this.client.server() + ": " + why;
		return (cause != null) ? new BridgeException(message, cause) : new BridgeException(message);
	}

	/** The stream, found or created on first use. */
	private String boundStream() throws IOException, JetStreamApiException {
		String bound = this.boundStream;
		if (bound != null) {
			return bound;
		}
		synchronized (this) {
			if (this.boundStream == null) {
				this.boundStream = findOrCreateStream(this.client.connection().jetStreamManagement());
			}
			return this.boundStream;
		}
	}

	private String findOrCreateStream(JetStreamManagement jsm) throws IOException, JetStreamApiException {
		String named = this.stream;
		if (named == null) {
			List<String> capturing = jsm.getStreamNames(this.subject);
			if (!capturing.isEmpty()) {
				return capturing.get(0);
			}
			named = "BUBUS_" + this.subject.replace('.', '_').toUpperCase(Locale.ROOT);
		}
		try {
			jsm.getStreamInfo(named);
			return named;
		}
		catch (JetStreamApiException ex) {
			if (ex.getApiErrorCode() != STREAM_NOT_FOUND) {
				throw ex;
			}
		}
		try {
			jsm.addStream(StreamConfiguration.builder()
				.name(named)
				.subjects(this.subject)
				.storageType(StorageType.File)
				.build());
		}
		catch (JetStreamApiException ex) {
			// another bridge created it first (the same configuration is accepted,
			// a different one is not): use it if it is there
			jsm.getStreamInfo(named);
		}
		return named;
	}

	// ---- listening ----

	@Override
	protected void startListening() {
		JetStreamSubscription subscription;
		try {
			String target = boundStream();
			JetStreamManagement jsm = this.client.connection().jetStreamManagement();
			createDurable(jsm, target);
			subscription = this.client.connection()
				.jetStream()
				.subscribe(this.subject, PullSubscribeOptions.bind(target, this.durable));
		}
		catch (IOException | JetStreamApiException | IllegalStateException | IllegalArgumentException ex) {
			throw new BridgeException("bridge " + name() + " could not read " + this.subject + " with durable "
					+ this.durable + " on " + this.client.server() + ": " + ex.getMessage(), ex);
		}
		this.reading = true;
		Thread thread = Thread.ofPlatform()
			.daemon()
			.name("bubus-jetstream-" + name())
			.unstarted(() -> readLoop(subscription));
		this.reader = thread;
		thread.start();
		this.keeper = Thread.ofPlatform().daemon().name("bubus-jetstream-ack-" + name()).start(this::keepInFlight);
	}

	private void createDurable(JetStreamManagement jsm, String target) throws IOException, JetStreamApiException {
		try {
			jsm.getConsumerInfo(target, this.durable);
			return;
		}
		catch (JetStreamApiException ex) {
			if (ex.getApiErrorCode() != CONSUMER_NOT_FOUND) {
				throw ex;
			}
		}
		ConsumerConfiguration configuration = ConsumerConfiguration.builder()
			.durable(this.durable)
			.filterSubject(this.subject)
			.ackPolicy(AckPolicy.Explicit)
			.ackWait(this.ackWait)
			.maxAckPending(PREFETCH * 40L)
			.deliverPolicy(this.fromBeginning ? DeliverPolicy.All : DeliverPolicy.New)
			.build();
		try {
			jsm.addOrUpdateConsumer(target, configuration);
		}
		catch (JetStreamApiException ex) {
			// created by another instance meanwhile: use that one
			jsm.getConsumerInfo(target, this.durable);
		}
	}

	/** The reader thread: fetches as many messages as there is room for. */
	private void readLoop(JetStreamSubscription subscription) {
		boolean failing = false;
		try {
			while (this.reading) {
				try {
					if (!this.room.tryAcquire(1, FETCH_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
						continue;
					}
					this.room.release();
					int count = Math.min(this.room.availablePermits(), FETCH_COUNT);
					handle(subscription.fetch(Math.max(1, count), FETCH_WAIT));
					if (failing) {
						log.info("bridge {} reads {} again", name(), this.subject);
						failing = false;
					}
				}
				catch (RuntimeException ex) {
					if (!this.reading) {
						return;
					}
					if (!failing) {
						log.warn("bridge {} could not read {} with durable {}, retrying: {}", name(), this.subject,
								this.durable, ex.toString());
						failing = true;
					}
					LockSupport.parkNanos(RETRY_PAUSE.toNanos());
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			try {
				subscription.unsubscribe();
			}
			catch (RuntimeException ex) {
				// the connection is gone: the server forgets the subscription anyway
			}
		}
	}

	private void handle(List<Message> messages) {
		for (Message message : messages) {
			if (!this.reading) {
				// fetched while closing: delivered again to another instance
				nak(message);
				continue;
			}
			this.room.acquireUninterruptibly();
			this.inFlight.add(message);
			receive(new String(message.getData(), StandardCharsets.UTF_8), NatsClient.fields(message),
					new Acknowledgement() {

						@Override
						public void ack() {
							settled(message);
							message.ack();
						}

						@Override
						public void redeliver() {
							settled(message);
							nak(message);
						}

					});
		}
	}

	private void settled(Message message) {
		if (this.inFlight.remove(message)) {
			this.room.release();
		}
	}

	private void nak(Message message) {
		try {
			message.nak();
		}
		catch (RuntimeException ex) {
			// delivered again after the ack wait anyway
			log.debug("bridge {} could not hand a message back: {}", name(), ex.toString());
		}
	}

	/**
	 * Tells the server every third of the ack wait that the messages in flight are still
	 * being handled, so that it does not deliver them again.
	 */
	private void keepInFlight() {
		long period = Math.max(50, this.ackWait.toMillis() / 3);
		while (this.reading) {
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(period));
			for (Message message : this.inFlight) {
				try {
					message.inProgress();
				}
				catch (RuntimeException ex) {
					log.debug("bridge {} could not extend an ack wait: {}", name(), ex.toString());
				}
			}
		}
	}

	@Override
	protected void stopReceiving() {
		this.reading = false;
		Thread thread = this.reader;
		if (thread != null) {
			try {
				// a fetch returns within its wait
				thread.join(FETCH_WAIT.toMillis() * 3);
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
		Thread progress = this.keeper;
		this.keeper = null;
		if (progress != null) {
			LockSupport.unpark(progress);
		}
	}

	@Override
	public void close() {
		super.close();
		this.client.close();
	}

	private void requireNotStarted(String method) {
		if (isStarted()) {
			throw new IllegalStateException(method + "() must be called before the bridge starts");
		}
	}

	@Override
	public String toString() {
		return "NatsJetStreamEventBridge(" + name() + " -> " + this.client.server() + " " + this.subject + ", durable "
				+ this.durable + ")";
	}

}
