package io.bubus.bridge.rabbitmq;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;
import io.bubus.BaseEvent;
import io.bubus.bridge.BridgeException;
import io.bubus.bridge.EventBridge;
import io.bubus.bridge.SendBatching;
import io.bubus.bridge.SendQueue;
import io.bubus.internal.BridgeNames;
import io.bubus.internal.Closeables;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bridge over RabbitMQ queues: {@link #emit} publishes the compact JSON as a persistent
 * message to the durable queue {@code sendQueue} and waits for the broker's publisher
 * confirm; listening consumes the durable queue {@code listenQueue} and acknowledges each
 * message once it is on the inbound bus (bad input is acknowledged too, after it is
 * counted). Both queues are declared on first use. A queue is a work queue: several
 * listeners on one queue share its messages, so two processes talk over two queues, each
 * listening on the one the other sends to.
 * <p>
 * The URI is {@code amqp[s]://user:pass@host:5672/vhost}.
 * <p>
 * Delivery: durable, at least once. A confirmed event is on disk in the broker and waits
 * in the queue until a listener takes it, however long the listener is away. After a
 * connection failure an event may arrive twice (a message consumed but not yet
 * acknowledged is delivered again, and a publish whose confirm was lost is sent again).
 * <p>
 * Reconnect: amqp-client's automatic recovery, retried every second, which restores the
 * channels, queues and consumer. An emit during the outage waits for the recovery and
 * publishes again, for up to 30 s, then fails with a {@link BridgeException}.
 * <p>
 * Requires {@code com.rabbitmq:amqp-client}.
 */
public class RabbitMqEventBridge extends EventBridge {

	private static final Logger log = LoggerFactory.getLogger(RabbitMqEventBridge.class);

	private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

	private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(10);

	private static final int PREFETCH = 256;

	private final URI uri;

	private final @Nullable String sendQueue;

	private final @Nullable String listenQueue;

	private final Object publishLock = new Object();

	private final SendQueue<Publish> sends = new SendQueue<>(this, this::encode, this::publish);

	private @Nullable Connection connection;

	private @Nullable Channel publishChannel;

	private volatile @Nullable Channel consumeChannel;

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
		AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().contentType("application/json")
			.deliveryMode(2)
			.type(event.eventType())
			.build();
		return new Publish(body, properties);
	}

	private void publish(List<Publish> messages) {
		String queue = Objects.requireNonNull(this.sendQueue);
		synchronized (this.publishLock) {
			long deadline = System.nanoTime() + SEND_TIMEOUT.toNanos();
			while (true) {
				try {
					Channel channel = publishChannel(queue);
					for (Publish message : messages) {
						channel.basicPublish("", queue, true, message.properties(), message.body());
					}
					channel.waitForConfirmsOrDie(CONFIRM_TIMEOUT.toMillis());
					return;
				}
				catch (IOException | ShutdownSignalException | TimeoutException ex) {
					if (System.nanoTime() > deadline) {
						throw new BridgeException("bridge " + name() + " could not publish to queue " + queue + " on "
								+ this.uri.getHost() + ":" + this.uri.getPort() + ": " + ex, ex);
					}
					// automatic recovery is reopening the connection; publish again once
					// it has
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
			channel.basicConsume(queue, false, "bubus:" + name(), (tag, delivery) -> {
				if (!channel.isOpen()) {
					// prefetched before the connection broke: it cannot be acknowledged,
					// and the
					// broker delivers it again after the recovery
					return;
				}
				receive(new String(delivery.getBody(), StandardCharsets.UTF_8));
				try {
					channel.basicAck(delivery.getEnvelope().getDeliveryTag(), false);
				}
				catch (IOException | ShutdownSignalException ex) {
					log.debug("bridge {} could not acknowledge a message (it will come again): {}", name(),
							ex.toString());
				}
			}, (tag) -> log.warn("bridge {} consumer of {} was cancelled by the broker", name(), queue));
			this.consumeChannel = channel;
		}
		catch (IOException ex) {
			throw new BridgeException("bridge " + name() + " could not consume queue " + queue + " on "
					+ this.uri.getHost() + ":" + this.uri.getPort() + ": " + ex, ex);
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
