package io.bubus.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import io.bubus.bridge.EventBridge;
import io.bubus.bridge.HttpEventBridge;
import io.bubus.bridge.JsonlEventBridge;
import io.bubus.bridge.SocketEventBridge;
import io.bubus.bridge.nats.NatsEventBridge;
import io.bubus.bridge.postgres.PostgresEventBridge;
import io.bubus.bridge.redis.RedisEventBridge;
import io.bubus.bridge.sqlite.SqliteEventBridge;
import io.bubus.json.BubusJson;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ObjectNode;

/**
 * Each transport Java and both references implement, with the settings both ends of one
 * case share (a fresh port, file, table, channel or subject per case; servers from
 * SERVICES.md on 127.0.0.1).
 */
enum Transport {

	HTTP, SOCKET, JSONL, SQLITE, POSTGRES, REDIS, NATS;

	static final String POSTGRES_SERVER = "postgresql://postgres@127.0.0.1:5432/test";

	static final String REDIS_SERVER = "redis://127.0.0.1:6379/0";

	static final String NATS_SERVER = "nats://127.0.0.1:4222";

	private static final Duration POLL = Duration.ofMillis(50);

	/** The settings of one case. */
	Endpoint open(Path dir) {
		String id = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		return new Endpoint(this, dir, "interop_" + id);
	}

	/** One case's transport settings, and the bridges of both ends. */
	static final class Endpoint implements AutoCloseable {

		final Transport transport;

		private final Path dir;

		private final String name;

		private Endpoint(Transport transport, Path dir, String name) {
			this.transport = transport;
			this.dir = dir;
			this.name = name;
		}

		/** The file of the file transports. */
		Path file() {
			return switch (this.transport) {
				case SOCKET -> this.dir.resolve("s.sock");
				case JSONL -> this.dir.resolve("events.jsonl");
				case SQLITE -> this.dir.resolve("events.db");
				default -> throw new IllegalStateException(this.transport + " has no file");
			};
		}

		/** The table of SQLite and PostgreSQL (also the PostgreSQL channel). */
		String table() {
			return this.name;
		}

		/** The Redis channel: a name as the references allow it, with a colon. */
		String channel() {
			return "interop:" + this.name;
		}

		/** The NATS subject. */
		String subject() {
			return "interop." + this.name;
		}

		/** Java sends, the peer listens: the peer's settings. */
		ObjectNode peerListener() {
			ObjectNode config = peerConfig();
			if (this.transport == HTTP) {
				config.put("endpoint", "http://127.0.0.1:" + freePort() + "/events");
			}
			return config;
		}

		/** Java sends, the peer listens: Java's bridge, for the peer's settings. */
		EventBridge javaSender(ObjectNode peerListener, String bridgeName) {
			if (this.transport == HTTP) {
				return new HttpEventBridge(URI.create(peerListener.get("endpoint").asString()), null, bridgeName, null);
			}
			return javaBridge(bridgeName);
		}

		/** The peer sends, Java listens: Java's bridge (not started). */
		EventBridge javaListener(String bridgeName) {
			if (this.transport == HTTP) {
				return new HttpEventBridge(null, URI.create("http://127.0.0.1:0/events"), bridgeName, null);
			}
			return javaBridge(bridgeName);
		}

		/**
		 * The peer sends, Java listens: the peer's settings, for Java's started bridge.
		 */
		ObjectNode peerSender(EventBridge javaListener) {
			ObjectNode config = peerConfig();
			if (this.transport == HTTP) {
				config.put("endpoint", ((HttpEventBridge) javaListener).listenUri().toString());
			}
			return config;
		}

		private EventBridge javaBridge(String bridgeName) {
			return switch (this.transport) {
				case SOCKET -> new SocketEventBridge(file(), bridgeName);
				case JSONL -> new JsonlEventBridge(file(), POLL, bridgeName, false);
				case SQLITE -> new SqliteEventBridge(file(), table(), POLL, bridgeName);
				case POSTGRES -> new PostgresEventBridge(POSTGRES_SERVER + "/" + table(), table(), bridgeName);
				case REDIS -> new RedisEventBridge(REDIS_SERVER, channel(), bridgeName);
				case NATS -> new NatsEventBridge(NATS_SERVER, subject(), bridgeName);
				case HTTP -> throw new IllegalStateException("HTTP bridges depend on the direction");
			};
		}

		private ObjectNode peerConfig() {
			ObjectNode config = BubusJson.MAPPER.createObjectNode();
			config.put("kind", this.transport.name().toLowerCase(Locale.ROOT));
			switch (this.transport) {
				case SOCKET, JSONL -> config.put("path", file().toString());
				case SQLITE -> config.put("path", file().toString()).put("table", table());
				case POSTGRES -> config.put("url", POSTGRES_SERVER + "/" + table()).put("channel", table());
				case REDIS -> config.put("url", REDIS_SERVER).put("channel", channel());
				case NATS -> config.put("server", NATS_SERVER).put("subject", subject());
				case HTTP -> {
				}
			}
			return config;
		}

		/**
		 * The event ids of what was sent, as the transport keeps it (JSONL lines, SQLite
		 * and PostgreSQL rows), or {@code null} for a transport that keeps nothing.
		 */
		@Nullable List<String> wireIds() throws IOException, SQLException {
			return switch (this.transport) {
				case JSONL -> {
					List<String> ids = new ArrayList<>();
					for (String line : Files.readAllLines(file())) {
						if (!line.isBlank()) {
							ids.add(BubusJson.MAPPER.readTree(line).get("event_id").asString());
						}
					}
					yield ids;
				}
				case SQLITE -> ids("jdbc:sqlite:" + file());
				case POSTGRES -> ids("jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
				default -> null;
			};
		}

		/**
		 * Flat-table rows keep each event field JSON-encoded: the id is a JSON string.
		 */
		private List<String> ids(String jdbcUrl) throws SQLException {
			List<String> ids = new ArrayList<>();
			try (Connection connection = DriverManager.getConnection(jdbcUrl);
					Statement query = connection.createStatement();
					ResultSet rows = query.executeQuery("SELECT event_id FROM \"" + table() + "\"")) {
				while (rows.next()) {
					ids.add(BubusJson.MAPPER.readTree(rows.getString(1)).asString());
				}
			}
			return ids;
		}

		/** Drops the PostgreSQL table; files go with the test's directory. */
		@Override
		public void close() throws SQLException {
			if (this.transport == POSTGRES) {
				try (Connection connection = DriverManager
					.getConnection("jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
						Statement statement = connection.createStatement()) {
					statement.execute("DROP TABLE IF EXISTS \"" + table() + "\"");
				}
			}
		}

		private static int freePort() {
			try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
				return socket.getLocalPort();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		@Override
		public String toString() {
			return this.transport.toString();
		}

	}

}
