package io.bubus.bridge.redis;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import io.bubus.BaseEvent;
import io.bubus.bridge.BridgeException;
import io.bubus.bridge.EventBridge;
import io.bubus.internal.BridgeNames;
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
 * Delivery: fire-and-forget, at most once. Redis keeps nothing: an event published while
 * no listener is subscribed, or while a listener is reconnecting, is lost.
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
			URI parsed = BridgeNames.url(redisUrl, "RedisEventBridge URL must start with redis:// or rediss://",
					"redis", "rediss");
			List<String> segments = BridgeNames.pathSegments(parsed);
			if (segments.size() > 2) {
				throw new IllegalArgumentException(
						"RedisEventBridge URL path must be /<db> or /<db>/<channel>, got " + parsed.getRawPath());
			}
			String db = segments.isEmpty() ? "0" : segments.get(0);
			if (!db.matches("\\d+")) {
				throw new IllegalArgumentException("RedisEventBridge URL database must be a number, got '" + db + "'");
			}
			String chosen = (channel != null) ? channel : (segments.size() > 1) ? segments.get(1) : DEFAULT_CHANNEL;
			this.channel = BridgeNames.identifier("channel name", chosen);
			String userInfo = (parsed.getRawUserInfo() != null) ? parsed.getRawUserInfo() + "@" : "";
			String port = (parsed.getPort() > 0) ? ":" + parsed.getPort() : "";
			this.uri = RedisURI.create(parsed.getScheme() + "://" + userInfo + parsed.getHost() + port + "/" + db);
			this.uri.setTimeout(COMMAND_TIMEOUT);
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
		String json = toWire(event);
		try {
			publisher().sync().publish(this.channel, json);
		}
		catch (RedisException ex) {
			throw new BridgeException("bridge " + name() + " could not PUBLISH to " + this.channel + " on "
					+ this.uri.getHost() + ":" + this.uri.getPort() + ": " + ex.getMessage(), ex);
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
