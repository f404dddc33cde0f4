package io.bubus.bridge.redis;

import java.time.Duration;

import io.bubus.BaseEvent;
import io.bubus.bridge.BridgeException;
import io.bubus.bridge.EventBridge;
import io.bubus.internal.Closeables;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.jspecify.annotations.Nullable;

/**
 * A bridge over Redis pub/sub, compatible with Python and TypeScript bubus: {@link #emit}
 * runs {@code PUBLISH <channel> <compact JSON>}; listening subscribes to the channel on a
 * second connection (a subscribed connection cannot publish).
 * <p>
 * The URL is {@code redis[s]://user:pass@host:6379/<db>/<channel>}: {@code <db>} defaults
 * to 0; the channel comes from the constructor, else the URL, else {@code bubus_events}.
 * <p>
 * The channel may be any name of 1 to 1024 characters without spaces or control
 * characters ({@code app:events}, {@code orders.v1}), as Python and TypeScript accept.
 * <p>
 * <strong>Delivery: at most once</strong> (for at least once, with consumer groups and
 * work sharing, use {@link RedisStreamEventBridge}). Redis keeps nothing: an event
 * published while no listener is subscribed, or while a listener is reconnecting, is
 * lost. Losses are counted and logged, never silent: a sender counts a publish that
 * reached no subscriber in {@link #lostMessages()}; each message carries its sender's
 * number (the reserved top-level key {@code bubus_seq}, next to {@code traceparent} when
 * tracing), and a receiver counts the numbers missing in its {@link #lostMessages()} when
 * the next message of that sender arrives. Peers that do not know these keys keep them as
 * payload fields. Ordering: one sender's events arrive in order; nothing arrives twice.
 * <p>
 * Reconnect: Lettuce's. A dropped connection is reconnected in the background and the
 * subscription is restored. A publish issued meanwhile waits for the reconnect up to the
 * 10 s command timeout, then fails with a {@link BridgeException}.
 * <p>
 * Requires {@code io.lettuce:lettuce-core}.
 */
public class RedisEventBridge extends EventBridge {

	/** The default channel. */
	public static final String DEFAULT_CHANNEL = "bubus_events";

	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);

	private final RedisURI uri;

	private final String channel;

	private @Nullable RedisClient client;

	private @Nullable StatefulRedisConnection<String, String> publisher;

	private volatile @Nullable StatefulRedisPubSubConnection<String, String> subscriber;

	/** A bridge on the channel of this URL (or the default channel). */
	public RedisEventBridge(String redisUrl) {
		this(redisUrl, null, null);
	}

	/** A bridge on this channel ({@code null} = from the URL, else the default). */
	public RedisEventBridge(String redisUrl, @Nullable String channel, @Nullable String name) {
		super(name, DEFAULT_MAX_MESSAGE_BYTES);
		try {
			RedisTarget target = RedisTarget.parse("RedisEventBridge", redisUrl, channel, "channel", DEFAULT_CHANNEL,
					COMMAND_TIMEOUT);
			this.channel = target.key();
			this.uri = target.uri();
			this.uri.setClientName("bubus:" + name());
		}
		catch (RuntimeException ex) {
			throw abandon(ex);
		}
	}

	/** The channel. */
	public String channel() {
		return this.channel;
	}

	@Override
	public BaseEvent<?> emit(BaseEvent<?> event) {
		String json = toWire(event, sequencedFields(event));
		long receivers;
		try {
			receivers = publisher().sync().publish(this.channel, json);
		}
		catch (RedisException ex) {
			throw new BridgeException("bridge " + name() + " could not PUBLISH to " + this.channel + " on "
					+ this.uri.getHost() + ":" + this.uri.getPort() + ": " + ex.getMessage(), ex);
		}
		if (receivers == 0) {
			countLost(1, "no subscriber on channel " + this.channel + " received it; Redis pub/sub keeps nothing");
		}
		return event;
	}

	@Override
	protected void startListening() {
		try {
			publisher();
			StatefulRedisPubSubConnection<String, String> connection = client().connectPubSub();
			connection.addListener(new RedisPubSubAdapter<>() {
				@Override
				public void message(String from, String message) {
					if (RedisEventBridge.this.channel.equals(from)) {
						receive(message);
					}
				}
			});
			connection.sync().subscribe(this.channel);
			this.subscriber = connection;
		}
		catch (RedisException ex) {
			throw new BridgeException("bridge " + name() + " could not SUBSCRIBE to " + this.channel + " on "
					+ this.uri.getHost() + ":" + this.uri.getPort() + ": " + ex.getMessage(), ex);
		}
	}

	@Override
	protected void stopListening() {
		StatefulRedisPubSubConnection<String, String> connection = this.subscriber;
		this.subscriber = null;
		Closeables.closeQuietly(connection);
	}

	@Override
	public void close() {
		super.close();
		synchronized (this) {
			Closeables.closeQuietly(this.publisher);
			this.publisher = null;
			if (this.client != null) {
				this.client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
				this.client = null;
			}
		}
	}

	/**
	 * The publishing connection; opening it also checks the database with a harmless
	 * {@code SET NX}.
	 */
	private synchronized StatefulRedisConnection<String, String> publisher() {
		if (this.publisher == null) {
			StatefulRedisConnection<String, String> connection = client().connect();
			connection.sync().set("__bubus:bridge_init__", "1", SetArgs.Builder.ex(60).nx());
			this.publisher = connection;
		}
		return this.publisher;
	}

	private synchronized RedisClient client() {
		if (this.client == null) {
			RedisClient created = RedisClient.create(this.uri);
			created.setOptions(ClientOptions.builder().autoReconnect(true).build());
			this.client = created;
		}
		return this.client;
	}

}
