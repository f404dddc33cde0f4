package io.bubus.bridge.nats;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;

import io.bubus.BaseEvent;
import io.bubus.bridge.BridgeException;
import io.bubus.bridge.EventBridge;
import io.bubus.bridge.SendBatching;
import io.bubus.bridge.SendQueue;
import io.bubus.internal.BridgeNames;
import io.bubus.internal.Durations;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import org.jspecify.annotations.Nullable;

/**
 * A bridge over a core NATS subject (no JetStream), compatible with Python and TypeScript
 * bubus: {@link #emit} publishes the UTF-8 compact JSON to the subject; listening
 * subscribes to the same subject. One connection carries both directions. For delivery at
 * least once, with work sharing and resume, use {@link NatsJetStreamEventBridge}.
 * <p>
 * <strong>Delivery: at most once</strong>, and every loss the bridge can see is counted
 * in {@link #lostMessages()} and logged (at most a line a second, with the count). The
 * server keeps nothing: a message published while no listener is subscribed, or while a
 * listener is reconnecting, is lost. Each message carries its sender's number in the
 * {@code bubus_seq} header (and the trace context in {@code traceparent}, when tracing),
 * so a receiver that finds numbers missing counts them as lost when the next message of
 * that sender arrives; messages the client drops (a slow consumer, a full outgoing queue)
 * are counted too. Losses after a sender's last message are not seen. Peers that do not
 * know the headers ignore them. Ordering: one sender's events arrive in order; nothing
 * arrives twice.
 * <p>
 * <strong>Sending.</strong> {@link #emit} returns once the server has the event: it
 * publishes and waits for the server's answer to a ping sent after it (a flush), up to
 * {@link #sendTimeout(Duration)} (default 10 s). A silent server, an outage longer than
 * that, or a connection lost before the answer fails the emit with a
 * {@link BridgeException} naming the bridge, the subject and the wait (the event may
 * still arrive: it was in the client's buffer). {@link #batchSends(SendBatching)}
 * publishes a batch and waits once for it; then {@link #emitAsync}, {@link #flush()} and
 * {@link #failedSends()} tell what could not be sent.
 * <p>
 * Reconnect: jnats'. A dropped or silent connection (no answer to two pings 2 s apart) is
 * reconnected every 250 ms without limit and the subscription is restored. Events emitted
 * while disconnected wait in the client's reconnect buffer (8 MB) for the reconnect;
 * {@link #emit} fails at once when that buffer is full.
 * <p>
 * Requires {@code io.nats:jnats}.
 */
public class NatsEventBridge extends EventBridge {

	/** How long an emit waits for the server by default. */
	public static final Duration DEFAULT_SEND_TIMEOUT = Duration.ofSeconds(10);

	private final String subject;

	private final NatsClient client;

	private final SendQueue<Message> sends = new SendQueue<>(this, this::encode, this::publish);

	private volatile Duration sendTimeout = DEFAULT_SEND_TIMEOUT;

	private volatile @Nullable Dispatcher dispatcher;

	/** A bridge on this subject of this server ({@code nats://127.0.0.1:4222}). */
	public NatsEventBridge(String server, String subject) {
		this(server, subject, null);
	}

	/** A bridge on this subject of this server, with a name. */
	public NatsEventBridge(String server, String subject, @Nullable String name) {
		super(name, DEFAULT_MAX_MESSAGE_BYTES);
		try {
			this.subject = BridgeNames.subject("subject", subject);
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

	/**
	 * Sets how long an emit (or a batch) waits for the server to have it, a reconnect
	 * included (default {@link #DEFAULT_SEND_TIMEOUT}); then it fails with a
	 * {@link BridgeException}.
	 * @param timeout the longest wait
	 * @return this bridge
	 */
	public NatsEventBridge sendTimeout(Duration timeout) {
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
	 * Each batch is published at once and confirmed by one flush.
	 */
	@Override
	public NatsEventBridge batchSends(SendBatching batching) {
		super.batchSends(batching);
		return this;
	}

	@Override
	protected SendQueue<?> sends() {
		return this.sends;
	}

	private Message encode(BaseEvent<?> event) {
		Headers headers = new Headers();
		sequencedFields(event).forEach(headers::put);
		return NatsMessage.builder()
			.subject(this.subject)
			.headers(headers)
			.data(toWire(event).getBytes(StandardCharsets.UTF_8))
			.build();
	}

	private void publish(List<Message> messages) {
		Connection nats = this.client.connection();
		Duration timeout = this.sendTimeout;
		boolean wasConnected = this.client.connected();
		long reconnects = this.client.reconnects();
		try {
			for (Message message : messages) {
				nats.publish(message);
			}
			nats.flush(timeout);
		}
		catch (IllegalStateException | IllegalArgumentException ex) {
			// a full reconnect buffer, a closed connection, or a message over the
			// server's max_payload
			throw failure(messages, ex.getMessage(), ex);
		}
		catch (TimeoutException ex) {
			throw failure(messages, "no answer from the server within " + timeout + "; they may still arrive", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw failure(messages, "interrupted waiting for the server", ex);
		}
		if (wasConnected && this.client.reconnects() != reconnects) {
			// what was in the lost connection's socket buffer never reached the server
			throw failure(messages, "the connection was lost before the server answered; they may not arrive", null);
		}
	}

	private BridgeException failure(List<Message> messages, @Nullable String why, @Nullable Throwable cause) {
		String message = "bridge " + name() + " could not publish " + messages.size() + " event(s) to " + this.subject
				+ " on " + this.client.server() + ": " + why;
		return (cause != null) ? new BridgeException(message, cause) : new BridgeException(message);
	}

	@Override
	protected void startListening() {
		Connection nats = this.client.connection();
		Dispatcher created = nats.createDispatcher(this::onMessage);
		// the inbound bus is the buffer: the client drops nothing for a slow bus
		created.setPendingLimits(0, 0);
		created.subscribe(this.subject);
		this.dispatcher = created;
		try {
			// the subscription is live on the server once the flush returns
			nats.flush(NatsClient.CONNECT_TIMEOUT);
		}
		catch (TimeoutException | InterruptedException ex) {
			throw new BridgeException("bridge " + name() + " could not subscribe to " + this.subject + " on "
					+ this.client.server() + ": " + ex, ex);
		}
	}

	private void onMessage(Message message) {
		receive(new String(message.getData(), StandardCharsets.UTF_8), NatsClient.fields(message));
	}

	@Override
	protected void stopListening() {
		Dispatcher running = this.dispatcher;
		this.dispatcher = null;
		Connection nats = this.client.opened();
		if (running != null && nats != null) {
			nats.closeDispatcher(running);
		}
	}

	@Override
	public void close() {
		super.close();
		this.client.close();
	}

}
