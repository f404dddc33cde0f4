package io.bubus.bridge;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;

import io.bubus.BaseEvent;
import io.bubus.bridge.HttpListener.Reply;
import io.bubus.bridge.HttpListener.Request;
import io.bubus.internal.Durations;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bridge over HTTP: {@link #emit} POSTs the event JSON to {@code sendTo}; listening
 * serves {@code POST <listenOn path>} and answers {@code 202 accepted} once the event is
 * on the inbound bus. Built on the JDK's {@code HttpClient} and a small HTTP/1.1 listener
 * on {@code ServerSocket}, so it needs no library.
 * <p>
 * Listens on the host of {@code listenOn} (use {@code 127.0.0.1}; nothing binds to all
 * interfaces unless asked; a listener on any other address logs a warning at start, which
 * says whether a secret guards it). Port 0 picks a free port ({@link #listenUri()} tells
 * which).
 * <p>
 * Bounds: a request must arrive whole within {@link #requestReadTimeout()} (default 10 s;
 * the connection is closed otherwise, so slow clients cannot hold it), at most
 * {@link #maxConnections()} (default 256) are open at once (more are answered 503), and
 * {@link #close()} stops accepting, then lets the requests already accepted finish for up
 * to the read timeout before it closes what is left. With a shared secret, requests must
 * carry it in the {@value #SECRET_HEADER} header (401 otherwise). Errors: 405 for other
 * methods, 404 for other paths, 413 over {@link #maxMessageBytes()}, 400 for invalid JSON
 * (the last two logged and counted like every bad input).
 * <p>
 * Delivery: fire-and-forget. A send to a listener that is down fails the sender with a
 * {@link BridgeException}; nothing is queued.
 */
public class HttpEventBridge extends EventBridge {

	/** The header that carries the shared secret. */
	public static final String SECRET_HEADER = "X-Bubus-Secret";

	private final @Nullable URI sendTo;

	private final @Nullable URI listenOn;

	private final @Nullable String secret;

	/** Default {@link #requestReadTimeout()}. */
	public static final Duration DEFAULT_REQUEST_READ_TIMEOUT = Duration.ofSeconds(10);

	/** Default {@link #maxConnections()}. */
	public static final int DEFAULT_MAX_CONNECTIONS = 256;

	private static final Logger log = LoggerFactory.getLogger(HttpEventBridge.class);

	private final Duration sendTimeout = Duration.ofSeconds(10);

	private volatile Duration requestReadTimeout = DEFAULT_REQUEST_READ_TIMEOUT;

	private volatile int maxConnections = DEFAULT_MAX_CONNECTIONS;

	private @Nullable HttpClient client;

	private volatile @Nullable HttpListener server;

	/** A bridge that sends to and/or listens on these URLs. */
	public HttpEventBridge(@Nullable URI sendTo, @Nullable URI listenOn) {
		this(sendTo, listenOn, null, null);
	}

	/** A bridge with a name and an optional shared secret. */
	public HttpEventBridge(@Nullable URI sendTo, @Nullable URI listenOn, @Nullable String name,
			@Nullable String secret) {
		super(name, DEFAULT_MAX_MESSAGE_BYTES);
		try {
			if (sendTo != null && !"http".equals(sendTo.getScheme()) && !"https".equals(sendTo.getScheme())) {
				throw new IllegalArgumentException("HttpEventBridge sendTo must be http:// or https://, got " + sendTo);
			}
			if (listenOn != null && !"http".equals(listenOn.getScheme())) {
				throw new IllegalArgumentException("HttpEventBridge listenOn must be http://, got " + listenOn);
			}
			if (listenOn != null && listenOn.getHost() == null) {
				throw new IllegalArgumentException("HttpEventBridge listenOn needs a host, got " + listenOn);
			}
			this.sendTo = sendTo;
			this.listenOn = listenOn;
			this.secret = secret;
		}
		catch (RuntimeException ex) {
			throw abandon(ex);
		}
	}

	/** The URL the listener serves (with the real port once started). */
	public @Nullable URI listenUri() {
		HttpListener running = this.server;
		URI configured = this.listenOn;
		if (running == null || configured == null) {
			return configured;
		}
		return URI.create("http://" + configured.getHost() + ":" + running.port() + target(configured));
	}

	/** How long a connection may take to send its whole request. */
	public Duration requestReadTimeout() {
		return this.requestReadTimeout;
	}

	/**
	 * Sets how long a connection may take to send its whole request (default 10 s); set
	 * before the listener starts.
	 * @return this bridge
	 */
	public HttpEventBridge setRequestReadTimeout(Duration timeout) {
		Durations.requirePositive("requestReadTimeout", timeout);
		checkNotStarted("setRequestReadTimeout");
		this.requestReadTimeout = timeout;
		return this;
	}

	/** How many connections the listener keeps open at once. */
	public int maxConnections() {
		return this.maxConnections;
	}

	/**
	 * Sets how many connections the listener keeps open at once (default 256; more are
	 * answered 503 and closed); set before the listener starts.
	 * @return this bridge
	 */
	public HttpEventBridge setMaxConnections(int connections) {
		if (connections <= 0) {
			throw new IllegalArgumentException("maxConnections must be > 0, got " + connections);
		}
		checkNotStarted("setMaxConnections");
		this.maxConnections = connections;
		return this;
	}

	/**
	 * Connections refused (503) since the listener started, because too many were open.
	 */
	public long refusedConnections() {
		HttpListener running = this.server;
		return (running != null) ? running.refusedConnections() : 0;
	}

	/**
	 * Connections the listener accepted and has not closed yet (0 when not listening).
	 * @return the open connections
	 */
	public int openConnections() {
		HttpListener running = this.server;
		return (running != null) ? running.openConnections() : 0;
	}

	/**
	 * Connections closed since the listener started because their request came too
	 * slowly.
	 */
	public long timedOutConnections() {
		HttpListener running = this.server;
		return (running != null) ? running.timedOutConnections() : 0;
	}

	private void checkNotStarted(String method) {
		if (isStarted()) {
			throw new IllegalStateException(method + " must be called before the bridge " + name() + " starts");
		}
	}

	@Override
	public BaseEvent<?> emit(BaseEvent<?> event) {
		URI target = this.sendTo;
		if (target == null) {
			throw new IllegalStateException("HttpEventBridge.emit() requires sendTo=...");
		}
		HttpRequest.Builder request = HttpRequest.newBuilder(target)
			.timeout(this.sendTimeout)
			.header("content-type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(toWire(event), StandardCharsets.UTF_8));
		if (this.secret != null) {
			request.header(SECRET_HEADER, this.secret);
		}
		HttpResponse<String> response;
		try {
			response = client().send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new BridgeException("bridge " + name() + " could not POST to " + target + ": " + ex, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new BridgeException("bridge " + name() + " was interrupted sending to " + target, ex);
		}
		if (response.statusCode() / 100 != 2) {
			throw new BridgeException("IPC HTTP send failed with status " + response.statusCode() + ": " + target + " ("
					+ response.body().strip() + ")", new IOException("HTTP " + response.statusCode()));
		}
		return event;
	}

	private synchronized HttpClient client() {
		if (this.client == null) {
			this.client = HttpClient.newBuilder().connectTimeout(this.sendTimeout).build();
		}
		return this.client;
	}

	@Override
	protected void startListening() {
		URI configured = this.listenOn;
		if (configured == null) {
			return;
		}
		try {
			int port = (configured.getPort() < 0) ? 80 : configured.getPort();
			InetSocketAddress address = new InetSocketAddress(configured.getHost(), port);
			warnWhenReachableFromOtherHosts(address);
			this.server = new HttpListener(name(), address, this.requestReadTimeout, this.maxConnections,
					new Handler());
		}
		catch (IOException ex) {
			throw new BridgeException("bridge " + name() + " could not listen on " + configured + ": " + ex, ex);
		}
	}

	private void warnWhenReachableFromOtherHosts(InetSocketAddress address) {
		InetAddress host = address.getAddress();
		if (host == null || host.isLoopbackAddress()) {
			return;
		}
		if (this.secret == null) {
			log.warn(
					"bridge {} listens on {}, which other hosts can reach, WITHOUT a shared secret: anyone who can "
							+ "connect can inject events. Set a secret (header {}) or listen on 127.0.0.1",
					name(), address, SECRET_HEADER);
		}
		else {
			log.warn("bridge {} listens on {}, which other hosts can reach; requests need the shared secret (header "
					+ "{}), but travel in plain HTTP", name(), address, SECRET_HEADER);
		}
	}

	@Override
	protected void stopListening() {
		HttpListener running = this.server;
		this.server = null;
		if (running != null) {
			running.close(this.requestReadTimeout);
		}
	}

	/** Answers one request: the checks in order, then the event onto the inbound bus. */
	private final class Handler implements HttpListener.Handler {

		@Override
		public Reply handle(Request request) {
			URI configured = HttpEventBridge.this.listenOn;
			if (!"POST".equals(request.method())) {
				return new Reply(405, "method not allowed");
			}
			if (configured == null || !request.target().equals(target(configured))) {
				return new Reply(404, "not found");
			}
			if (HttpEventBridge.this.secret != null && !secretMatches(request.header(SECRET_HEADER))) {
				return new Reply(401, "missing or wrong " + SECRET_HEADER);
			}
			boolean accepted = receive(new String(request.body(), StandardCharsets.UTF_8));
			return accepted ? new Reply(202, "accepted") : new Reply(400, "invalid event json");
		}

		@Override
		public Reply tooLarge(long size) {
			dropOversized(size);
			return new Reply(413, "body too large");
		}

		@Override
		public int maxBodyBytes() {
			return maxMessageBytes();
		}

	}

	/** Compares in constant time, so response timing does not reveal the secret. */
	private boolean secretMatches(@Nullable String given) {
		String expected = this.secret;
		return expected != null && given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
				given.getBytes(StandardCharsets.UTF_8));
	}

	private static String target(URI uri) {
		String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty()) ? "/" : uri.getRawPath();
		return (uri.getRawQuery() != null) ? path + "?" + uri.getRawQuery() : path;
	}

}
