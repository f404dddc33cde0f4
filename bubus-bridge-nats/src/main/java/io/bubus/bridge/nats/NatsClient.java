package io.bubus.bridge.nats;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

import io.bubus.bridge.BridgeException;
import io.bubus.internal.Closeables;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Consumer;
import io.nats.client.ErrorListener;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.impl.Headers;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection of one NATS bridge: opened on first use, reconnected by jnats every 250
 * ms without limit, with a 2 s ping so that a silent server is noticed within a few
 * seconds (jnats' default is two minutes). What jnats reports is logged with the bridge
 * name, and messages it drops are counted as lost by the bridge.
 * <p>
 * Concurrency: the connection is created under this object's monitor; jnats calls the
 * listeners on its own callback thread.
 */
final class NatsClient implements AutoCloseable {

	static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

	private static final Duration PING_INTERVAL = Duration.ofSeconds(2);

	private static final Logger log = LoggerFactory.getLogger(NatsClient.class);

	private final String name;

	private final String server;

	private final Losses losses;

	/** Messages jnats dropped so far, per consumer, for counting the new ones. */
	private final Map<Consumer, Long> dropped = new ConcurrentHashMap<>();

	private @Nullable Connection connection;

	/** How the bridge counts a loss. */
	@FunctionalInterface
	interface Losses {

		void lost(long count, String why);

	}

	NatsClient(String name, String server, Losses losses) {
		this.name = name;
		this.server = server;
		this.losses = losses;
	}

	String server() {
		return this.server;
	}

	/** The connection, opened on first use. */
	synchronized Connection connection() {
		if (this.connection == null) {
			Options options = Options.builder()
				.server(this.server)
				.connectionName("bubus:" + this.name)
				.connectionTimeout(CONNECT_TIMEOUT)
				.maxReconnects(-1)
				.reconnectWait(Duration.ofMillis(250))
				.pingInterval(PING_INTERVAL)
				.maxPingsOut(2)
				.connectionListener(this::connectionEvent)
				.errorListener(new Reporter())
				.build();
			try {
				this.connection = Nats.connect(options);
			}
			catch (IOException ex) {
				throw new BridgeException("bridge " + this.name + " could not connect to " + this.server + ": " + ex,
						ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new BridgeException("bridge " + this.name + " was interrupted connecting to " + this.server, ex);
			}
		}
		return this.connection;
	}

	/** The connection when it is open, else {@code null}. */
	synchronized @Nullable Connection opened() {
		return this.connection;
	}

	/**
	 * Reconnects so far, and whether the connection is up: a send that saw the count
	 * change while it waited for the server cannot tell whether it arrived.
	 */
	long reconnects() {
		Connection nats = opened();
		return (nats != null) ? nats.getStatistics().getReconnects() : 0;
	}

	boolean connected() {
		Connection nats = opened();
		return nats != null && nats.getStatus() == Connection.Status.CONNECTED;
	}

	/** Flushes what is buffered (bounded) and closes. */
	@Override
	public void close() {
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
			// closing anyway: a send that was not confirmed has failed already
		}
		Closeables.closeQuietly(nats);
	}

	private void connectionEvent(Connection nats, ConnectionListener.Events event) {
		switch (event) {
			case DISCONNECTED -> log.warn("bridge {} lost its connection to {}, reconnecting", this.name, this.server);
			case RECONNECTED -> log.info("bridge {} reconnected to {}", this.name, this.server);
			default -> log.debug("bridge {} connection to {}: {}", this.name, this.server, event);
		}
	}

	/** A message's headers (first value each), the fields a bridge receives with it. */
	static Map<String, String> fields(Message message) {
		Headers headers = message.getHeaders();
		if (headers == null || headers.isEmpty()) {
			return Map.of();
		}
		Map<String, String> fields = new HashMap<>();
		for (String key : headers.keySet()) {
			String value = headers.getFirst(key);
			if (value != null) {
				fields.put(key, value);
			}
		}
		return fields;
	}

	/** What jnats reports, logged (never message contents) and counted. */
	private final class Reporter implements ErrorListener {

		@Override
		public void errorOccurred(Connection conn, String error) {
			log.warn("bridge {}: server {} reported: {}", NatsClient.this.name, NatsClient.this.server, error);
		}

		@Override
		public void exceptionOccurred(Connection conn, Exception exp) {
			log.debug("bridge {}: connection to {}: {}", NatsClient.this.name, NatsClient.this.server, exp.toString());
		}

		@Override
		public void slowConsumerDetected(Connection conn, Consumer consumer) {
			long total = consumer.getDroppedCount();
			Long before = NatsClient.this.dropped.put(consumer, total);
			long lost = total - ((before != null) ? before : 0);
			NatsClient.this.losses.lost(lost, "dropped by the client as a slow consumer (pending limits reached)");
		}

		@Override
		public void messageDiscarded(Connection conn, Message msg) {
			NatsClient.this.losses.lost(1, "discarded by the client from its full outgoing queue");
		}

	}

}
