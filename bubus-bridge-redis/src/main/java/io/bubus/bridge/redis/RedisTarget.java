package io.bubus.bridge.redis;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import io.bubus.internal.BridgeNames;
import io.lettuce.core.RedisURI;
import org.jspecify.annotations.Nullable;

/**
 * Where a Redis bridge points: the server and database of a
 * {@code redis[s]://user:pass@host:6379/<db>/<key>} URL, and the channel or stream key
 * (from the constructor, else the URL, else the default), as Python and TypeScript bubus
 * read it.
 *
 * @param uri the server and database, without the key
 * @param key the channel or stream key
 */
record RedisTarget(RedisURI uri, String key) {

	/**
	 * Python and TypeScript accept any non-empty channel; this keeps to names that need
	 * no quoting anywhere: 1 to 1024 characters, none a space or control character.
	 */
	private static final Pattern KEY = Pattern.compile("^[^\\s\\p{Cntrl}]{1,1024}$");

	static RedisTarget parse(String bridgeClass, String url, @Nullable String key, String label, String defaultKey,
			Duration timeout) {
		URI parsed = BridgeNames.url(url, bridgeClass + " URL must start with redis:// or rediss://", "redis",
				"rediss");
		List<String> segments = BridgeNames.pathSegments(parsed);
		if (segments.size() > 2) {
			throw new IllegalArgumentException(
					bridgeClass + " URL path must be /<db> or /<db>/<" + label + ">, got " + parsed.getRawPath());
		}
		String db = segments.isEmpty() ? "0" : segments.get(0);
		if (!db.matches("\\d+")) {
			throw new IllegalArgumentException(bridgeClass + " URL database must be a number, got '" + db + "'");
		}
		String chosen = (key != null) ? key : (segments.size() > 1) ? segments.get(1) : defaultKey;
		String userInfo = (parsed.getRawUserInfo() != null) ? parsed.getRawUserInfo() + "@" : "";
		String port = (parsed.getPort() > 0) ? ":" + parsed.getPort() : "";
		RedisURI uri = RedisURI.create(parsed.getScheme() + "://" + userInfo + parsed.getHost() + port + "/" + db);
		uri.setTimeout(timeout);
		return new RedisTarget(uri, name(label + " name", chosen));
	}

	/** The name, if it is 1 to 1024 characters without spaces or control characters. */
	static String name(String label, String name) {
		if (!KEY.matcher(name).matches()) {
			throw new IllegalArgumentException("Invalid " + label + ": '" + name
					+ "'. Use 1 to 1024 characters without spaces or control characters (such as app:events)");
		}
		return name;
	}

	/** host:port, for messages. */
	String address() {
		return this.uri.getHost() + ":" + this.uri.getPort();
	}

}
