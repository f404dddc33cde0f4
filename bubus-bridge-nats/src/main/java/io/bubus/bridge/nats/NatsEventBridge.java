package io.bubus.bridge.nats;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

import io.bubus.BaseEvent;
import io.bubus.bridge.BridgeException;
import io.bubus.bridge.EventBridge;
import io.bubus.internal.BridgeNames;
import io.bubus.internal.Closeables;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Nats;
import io.nats.client.Options;
import org.jspecify.annotations.Nullable;

/**
 * A bridge over a core NATS subject (no JetStream), compatible with Python and TypeScript
 * bubus: {@link #emit} publishes the UTF-8 compact JSON to the subject; listening
 * subscribes to the same subject. One connection carries both directions.
 * <p>
 * Delivery: fire-and-forget, at most once. The server keeps nothing: a message published
 * while no listener is subscribed, or while a listener is reconnecting, is lost.
 * <p>
 * Reconnect: jnats'. A dropped connection is retried every 250 ms without limit and the
 * subscription is restored. Messages published while disconnected are held in jnats'
 * reconnect buffer (8 MB) and sent after the reconnect; {@link #emit} fails with a
 * {@link BridgeException} once that buffer is full.
 * <p>
 * Requires {@code io.nats:jnats}.
 */
public class NatsEventBridge extends EventBridge {

	private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

	private final String server;

	private final String subject;

	private @Nullable Connection connection;

	private volatile @Nullable Dispatcher dispatcher;

	/** A bridge on this subject of this server ({@code nats://127.0.0.1:4222}). */
	public NatsEventBridge(String server, String subject) {
		this(server, subject, null);
	}

	/** A bridge on this subject of this server, with a name. */
	public NatsEventBridge(String server, String subject, @Nullable String name) {
		super(name, DEFAULT_MAX_MESSAGE_BYTES);
		try {
			this.server = server;
			this.subject = BridgeNames.subject("subject", subject);
		}
		catch (RuntimeException ex) {
			throw abandon(ex);
		}
	}

	/** The subject. */
	public String subject() {
		return this.subject;
	}

	@Override
	public BaseEvent<?> emit(BaseEvent<?> event) {
		byte[] json = toWire(event).getBytes(StandardCharsets.UTF_8);
		try {
			connection().publish(this.subject, json);
		}
		catch (IllegalStateException | IllegalArgumentException ex) {
			// a full reconnect buffer, a closed connection, or a message over the
			// server's max_payload
			throw new BridgeException("bridge " + name() + " could not publish to " + this.subject + " on "
					+ this.server + ": " + ex.getMessage(), ex);
		}
		return event;
	}

	@Override
	protected void startListening() {
		Connection nats = connection();
		Dispatcher created = nats
			.createDispatcher((message) -> receive(new String(message.getData(), StandardCharsets.UTF_8)));
		created.subscribe(this.subject);
		this.dispatcher = created;
		try {
			// the subscription is live on the server once the flush returns
			nats.flush(CONNECT_TIMEOUT);
		}
		catch (TimeoutException | InterruptedException ex) {
			throw new BridgeException(
					"bridge " + name() + " could not subscribe to " + this.subject + " on " + this.server + ": " + ex,
					ex);
		}
	}

	@Override
	protected void stopListening() {
		Dispatcher running = this.dispatcher;
		this.dispatcher = null;
		Connection nats = this.connection;
		if (running != null && nats != null) {
			nats.closeDispatcher(running);
		}
	}

	@Override
	public void close() {
		super.close();
		Connection nats;
		synchronized (this) {
			nats = this.connection;
			this.connection = null;
		}
		if (nats == null) {
			return;
		}
		try {
			nats.flush(CONNECT_TIMEOUT);
		}
		catch (TimeoutException | InterruptedException | IllegalStateException ex) {
			// closing anyway; whatever was not flushed is lost, as the class describes
		}
		Closeables.closeQuietly(nats);
	}

	private synchronized Connection connection() {
		if (this.connection == null) {
			Options options = Options.builder()
				.server(this.server)
				.connectionName("bubus:" + name())
				.connectionTimeout(CONNECT_TIMEOUT)
				.maxReconnects(-1)
				.reconnectWait(Duration.ofMillis(250))
				.build();
			try {
				this.connection = Nats.connect(options);
			}
			catch (IOException ex) {
				throw new BridgeException("bridge " + name() + " could not connect to " + this.server + ": " + ex, ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new BridgeException("bridge " + name() + " was interrupted connecting to " + this.server, ex);
			}
		}
		return this.connection;
	}

}
