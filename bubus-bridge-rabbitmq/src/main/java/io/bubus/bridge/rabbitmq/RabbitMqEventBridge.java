package io.bubus.bridge.rabbitmq;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import io.bubus.BaseEvent;
import io.bubus.bridge.BridgeException;
import io.bubus.bridge.EventBridge;
import io.bubus.bridge.SendBatching;
import io.bubus.bridge.SendQueue;
import io.bubus.internal.BridgeNames;
import io.bubus.internal.Closeables;
import io.bubus.internal.Durations;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bridge over RabbitMQ queues: {@link #emit} publishes the compact JSON as a persistent
 * message to the durable queue {@code sendQueue} and waits for the broker's publisher
 * confirm; listening consumes the durable queue {@code listenQueue} with manual
 * acknowledgements. Both queues are declared on first use.
 * <p>
 * <strong>Work sharing.</strong> A queue is a work queue: every listener on one queue is
 * a competing consumer, so N instances of an application listening on the same
 * {@code listenQueue} share its messages, each handled by one of them. For fan-out, give
 * each receiver a queue of its own and send to each.
 * <p>
 * The URI is {@code amqp[s]://user:pass@host:5672/vhost}.
 * <p>
 * <strong>Delivery: durable, at least once.</strong> A confirmed event is on disk in the
 * broker and waits in the queue until a listener takes it, however long the listener is
 * away (a restarted listener resumes with what was sent meanwhile). A message is
 * acknowledged only once the bus completed its event (its handlers ran, whatever they
 * returned or threw); one whose work did not finish (the bridge closed, the bus stopped
 * and aborted a handler) is handed back ({@code basic.nack} with requeue), and whatever
 * was not acknowledged when a connection or process died is delivered again, to this or
 * another listener. A message delivered again to the same bridge is recognised by its
 * sender's event id in the bridge's {@link #duplicateWindow()} and not handled twice; a
 * redelivery to another instance (after this one died with the handling done but not
 * acknowledged) is handled there again. At most {@value #PREFETCH} messages per listener
 * are in flight unacknowledged. Bad input is acknowledged after it is counted.
 * {@link #close()} stops consuming and waits up to {@link #drainTimeout(Duration)} for
 * the running events, so that their acknowledgements are sent.
 * <p>
 * <strong>Ordering.</strong> One sender's events are published in order; one listener
 * receives them in order, but a redelivered message arrives after later ones, and several
 * listeners handle messages concurrently.
 * <p>
 * Reconnect: amqp-client's automatic recovery, retried every second, which restores the
 * channels, queues and consumer. An emit during the outage waits for the recovery and
 * publishes again, up to {@link #sendTimeout(Duration)} (default 30 s, each wait for a
 * confirm at most 10 s), then fails with a {@link BridgeException} naming the bridge, the
 * queue and the wait. A publish whose confirm was lost is published again, so the
 * receiver may get it twice (suppressed by the duplicate window).
 * <p>
 * Trace context: the {@link #tracing(io.bubus.bridge.BridgeTracing) tracing} fields
 * travel as AMQP message headers ({@code traceparent}, {@code tracestate}).
 * <p>
 * Requires {@code com.rabbitmq:amqp-client}.
 */
public class RabbitMqEventBridge extends EventBridge {

	private static final Logger log = LoggerFactory.getLogger(RabbitMqEventBridge.class);

	/** How long an emit waits for the broker's confirm by default, retries included. */
	public static final Duration DEFAULT_SEND_TIMEOUT = Duration.ofSeconds(30);

	private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(10);

	/** The most unacknowledged messages a listener holds. */
	public static final int PREFETCH = 256;

	private volatile Duration sendTimeout = DEFAULT_SEND_TIMEOUT;

	/** Guards acknowledgements on the consuming channel (sent from bus threads). */
	private final Object ackLock = new Object();

	private final URI uri;

	private final @Nullable String sendQueue;

	private final @Nullable String listenQueue;

	private final Object publishLock = new Object();

	private final SendQueue<Publish> sends = new SendQueue<>(this, this::encode, this::publish);

	private @Nullable Connection connection;

	private @Nullable Channel publishChannel;

	private volatile @Nullable Channel consumeChannel;

	private volatile @Nullable String consumerTag;

	/** Counted down when the broker confirmed the cancel of the consumer. */
	private volatile @Nullable CountDownLatch consumerCancelled;

	/**
	 * A bridge that sends to {@code sendQueue} and/or listens on {@code listenQueue}
	 * (either may be {@code null}).
	 */
	public RabbitMqEventBridge(URI uri, @Nullable String sendQueue, @Nullable String listenQueue,
			@Nullable String name) {
		super(name, DEFAULT_MAX_MESSAGE_BYTES);
		try {
			if (!"amqp".equals(uri.getScheme()) && !"amqps".equals(uri.getScheme())) {
				throw new IllegalArgumentException(
						"RabbitMqEventBridge URI must start with amqp:// or amqps://, got " + uri);
			}
			this.uri = uri;
			this.sendQueue = (sendQueue != null) ? BridgeNames.identifier("queue name", sendQueue) : null;
			this.listenQueue = (listenQueue != null) ? BridgeNames.identifier("queue name", listenQueue) : null;
		}
		catch (RuntimeException ex) {
			throw abandon(ex);
		}
	}

	@Override
	public BaseEvent<?> emit(BaseEvent<?> event) {
		return this.sends.emit(event);
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * Each batch is published at once and confirmed by one wait for the broker's
	 * confirms; a batch that is not confirmed is published again as a whole (so, as
	 * always, an event may arrive twice after a connection failure).
	 */
	@Override
	public RabbitMqEventBridge batchSends(SendBatching batching) {
		super.batchSends(batching);
		return this;
	}

	@Override
	protected SendQueue<?> sends() {
		return this.sends;
	}

	private Publish encode(BaseEvent<?> event) {
		if (this.sendQueue == null) {
			throw new IllegalStateException("RabbitMqEventBridge.emit() requires sendQueue=...");
		}
		byte[] body = toWire(event).getBytes(StandardCharsets.UTF_8);
		Map<String, String> fields = outboundFields(event);
		AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().contentType("application/json")
			.deliveryMode(2)
			.type(event.eventType())
			.headers(fields.isEmpty() ? null : Map.copyOf(fields))
			.build();
		return new Publish(body, properties);
	}

	private void publish(List<Publish> messages) {
		String queue = Objects.requireNonNull(this.sendQueue);
		synchronized (this.publishLock) {
			Duration timeout = this.sendTimeout;
			long deadline = System.nanoTime() + timeout.toNanos();
			while (true) {
				Channel channel = null;
				try {
					channel = publishChannel(queue);
					for (Publish message : messages) {
						channel.basicPublish("", queue, true, message.properties(), message.body());
					}
					long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
					if (channel.waitForConfirms(Math.min(CONFIRM_TIMEOUT.toMillis(), left))) {
						return;
					}
					throw new IOException("the broker refused (nacked) a publish");
				}
				catch (IOException | ShutdownSignalException | TimeoutException ex) {
					if (channel != null) {
						// its unconfirmed publishes go again on a new channel; closing
						// waits for the broker, so a silent one must not hold this thread
						this.publishChannel = null;
						Channel abandoned = channel;
						Thread.ofVirtual().name("bubus-abort-" + name()).start(() -> abort(abandoned));
					}
					if (System.nanoTime() - deadline >= 0) {
						throw new BridgeException("bridge " + name() + " could not publish " + messages.size()
								+ " event(s) to queue " + queue + " on " + this.uri.getHost() + ":" + this.uri.getPort()
								+ ": no publisher confirm within " + timeout + " (" + ex + ")", ex);
					}
					// automatic recovery is reopening the connection: publish again
					log.warn("bridge {} publish to {} not confirmed, retrying: {}", name(), queue, ex.toString());
					LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new BridgeException("bridge " + name() + " was interrupted publishing to " + queue, ex);
				}
			}
		}
	}

	/**
	 * Sets how long an emit waits for the broker to confirm a publish, retries after a
	 * connection failure included (default {@link #DEFAULT_SEND_TIMEOUT}); then it fails
	 * with a {@link BridgeException}.
	 * @param timeout the longest wait
	 * @return this bridge
	 */
	public RabbitMqEventBridge sendTimeout(Duration timeout) {
		Durations.requirePositive("sendTimeout", timeout);
		this.sendTimeout = timeout;
		return this;
	}

	private static void abort(Channel channel) {
		try {
			channel.abort();
		}
		catch (IOException | RuntimeException ex) {
			// abandoned anyway
		}
	}

	/** One message to publish. */
	private record Publish(byte[] body, AMQP.BasicProperties properties) {
	}

	@Override
	protected void startListening() {
		String queue = this.listenQueue;
		if (queue == null) {
			return;
		}
		try {
			Channel channel = connection().createChannel();
			channel.queueDeclare(queue, true, false, false, null);
			channel.basicQos(PREFETCH);
			CountDownLatch cancelled = new CountDownLatch(1);
			this.consumerCancelled = cancelled;
			this.consumerTag = channel.basicConsume(queue, false, "bubus:" + name(), new DefaultConsumer(channel) {

				@Override
				public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties,
						byte[] body) {
					if (!channel.isOpen()) {
						// prefetched before the connection broke: it cannot be
						// acknowledged, and the broker delivers it again after the
						// recovery
						return;
					}
					long deliveryTag = envelope.getDeliveryTag();
					receive(new String(body, StandardCharsets.UTF_8), headers(properties), new Acknowledgement() {

						@Override
						public void ack() {
							settle(channel, deliveryTag, true);
						}

						@Override
						public void redeliver() {
							settle(channel, deliveryTag, false);
						}

					});
				}

				/** Comes after every delivery dispatched before the cancel. */
				@Override
				public void handleCancelOk(String tag) {
					cancelled.countDown();
				}

				@Override
				public void handleCancel(String tag) {
					log.warn("bridge {} consumer of {} was cancelled by the broker", name(), queue);
				}

			});
			this.consumeChannel = channel;
		}
		catch (IOException ex) {
			throw new BridgeException("bridge " + name() + " could not consume queue " + queue + " on "
					+ this.uri.getHost() + ":" + this.uri.getPort() + ": " + ex, ex);
		}
	}

	/**
	 * Acknowledges or requeues a delivery. A tag from before a connection recovery is
	 * ignored by the recovering channel (the broker delivers that message again).
	 */
	private void settle(Channel channel, long deliveryTag, boolean ack) {
		synchronized (this.ackLock) {
			try {
				if (ack) {
					channel.basicAck(deliveryTag, false);
				}
				else {
					channel.basicNack(deliveryTag, false, true);
				}
			}
			catch (IOException | ShutdownSignalException ex) {
				log.debug("bridge {} could not settle a message (it will come again): {}", name(), ex.toString());
			}
		}
	}

	private static Map<String, String> headers(AMQP.BasicProperties properties) {
		Map<String, Object> headers = properties.getHeaders();
		if (headers == null || headers.isEmpty()) {
			return Map.of();
		}
		Map<String, String> fields = new HashMap<>();
		headers.forEach((key, value) -> {
			if (value != null) {
				fields.put(key, value.toString());
			}
		});
		return fields;
	}

	/** Cancels the consumer, so closing waits only for what was delivered. */
	@Override
	protected void stopReceiving() {
		Channel channel = this.consumeChannel;
		String tag = this.consumerTag;
		if (channel == null || tag == null) {
			return;
		}
		try {
			channel.basicCancel(tag);
			// deliveries the client took before the cancel are dispatched before its
			// confirmation: once that came, each of them began to settle, and close()
			// waits for them instead of closing the channel under them (the broker
			// would then requeue one that was handled here, for another instance)
			CountDownLatch cancelled = this.consumerCancelled;
			if (cancelled != null && !cancelled.await(CONFIRM_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				log.warn("bridge {} got no confirmation of its consumer's cancel within {}", name(), CONFIRM_TIMEOUT);
			}
		}
		catch (IOException | ShutdownSignalException ex) {
			log.debug("bridge {} could not cancel its consumer: {}", name(), ex.toString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	protected void stopListening() {
		Channel channel = this.consumeChannel;
		this.consumeChannel = null;
		Closeables.closeQuietly(channel);
	}

	@Override
	public void close() {
		super.close();
		synchronized (this.publishLock) {
			this.publishChannel = null;
		}
		synchronized (this) {
			Closeables.closeQuietly(this.connection);
			this.connection = null;
		}
	}

	private Channel publishChannel(String queue) throws IOException {
		if (this.publishChannel == null) {
			Channel channel = connection().createChannel();
			channel.confirmSelect();
			channel.queueDeclare(queue, true, false, false, null);
			channel.addReturnListener((returned) -> log.warn("bridge {}: queue {} refused a message: {}", name(),
					returned.getRoutingKey(), returned.getReplyText()));
			this.publishChannel = channel;
		}
		return this.publishChannel;
	}

	private synchronized Connection connection() throws IOException {
		if (this.connection == null) {
			ConnectionFactory factory = new ConnectionFactory();
			try {
				factory.setUri(this.uri);
			}
			catch (Exception ex) {
				throw new IllegalArgumentException("RabbitMqEventBridge URI is invalid: " + this.uri, ex);
			}
			factory.setAutomaticRecoveryEnabled(true);
			factory.setTopologyRecoveryEnabled(true);
			factory.setNetworkRecoveryInterval(1000);
			factory.setConnectionTimeout(10_000);
			factory.setRequestedHeartbeat(10);
			// bounds every channel call (declare, close, cancel) when the broker is
			// silent
			factory.setChannelRpcTimeout((int) CONFIRM_TIMEOUT.toMillis());
			try {
				this.connection = factory.newConnection("bubus:" + name());
			}
			catch (TimeoutException ex) {
				throw new IOException("timed out connecting to " + this.uri.getHost() + ":" + this.uri.getPort(), ex);
			}
		}
		return this.connection;
	}

}
