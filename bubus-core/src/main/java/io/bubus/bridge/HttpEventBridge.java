package io.bubus.bridge;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.bubus.BaseEvent;
import org.jspecify.annotations.Nullable;

/**
 * A bridge over HTTP: {@link #emit} POSTs the event JSON to {@code sendTo}; listening
 * serves {@code POST <listenOn path>} and answers {@code 202 accepted} once the event is
 * on the inbound bus. Built on the JDK's {@code HttpClient} and {@code HttpServer}, so it
 * needs no library.
 * <p>
 * Listens on the host of {@code listenOn} (use {@code 127.0.0.1}; nothing binds to all
 * interfaces unless asked). Port 0 picks a free port ({@link #listenUri()} tells which).
 * With a shared secret, requests must carry it in the {@value #SECRET_HEADER} header (401
 * otherwise). Errors: 405 for other methods, 404 for other paths, 413 over
 * {@link #maxMessageBytes()}, 400 for invalid JSON (the last two logged and counted like
 * every bad input).
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

	private final Duration sendTimeout = Duration.ofSeconds(10);

	private @Nullable HttpClient client;

	private volatile @Nullable HttpServer server;

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
		HttpServer running = this.server;
		URI configured = this.listenOn;
		if (running == null || configured == null) {
			return configured;
		}
		return URI.create("http://" + configured.getHost() + ":" + running.getAddress().getPort() + target(configured));
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
			HttpServer created = HttpServer.create(new InetSocketAddress(configured.getHost(), port), 0);
			created.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
			created.createContext("/", this::serve);
			created.start();
			this.server = created;
		}
		catch (IOException ex) {
			throw new BridgeException("bridge " + name() + " could not listen on " + configured + ": " + ex, ex);
		}
	}

	@Override
	protected void stopListening() {
		HttpServer running = this.server;
		this.server = null;
		if (running != null) {
			running.stop(0);
		}
	}

	private void serve(HttpExchange exchange) throws IOException {
		try (exchange) {
			URI configured = this.listenOn;
			if (!"POST".equals(exchange.getRequestMethod())) {
				respond(exchange, 405, "method not allowed");
				return;
			}
			if (configured == null || !target(exchange.getRequestURI()).equals(target(configured))) {
				respond(exchange, 404, "not found");
				return;
			}
			if (this.secret != null && !secretMatches(exchange.getRequestHeaders().getFirst(SECRET_HEADER))) {
				respond(exchange, 401, "missing or wrong " + SECRET_HEADER);
				return;
			}
			int limit = maxMessageBytes();
			long declared = declaredLength(exchange);
			if (declared > limit) {
				dropOversized(declared);
				respond(exchange, 413, "body too large");
				return;
			}
			byte[] body;
			try (InputStream in = exchange.getRequestBody()) {
				body = in.readNBytes(limit + 1);
			}
			if (body.length > limit) {
				dropOversized(body.length);
				respond(exchange, 413, "body too large");
				return;
			}
			boolean accepted = receive(new String(body, StandardCharsets.UTF_8));
			respond(exchange, accepted ? 202 : 400, accepted ? "accepted" : "invalid event json");
		}
	}

	/** Compares in constant time, so response timing does not reveal the secret. */
	private boolean secretMatches(@Nullable String given) {
		String expected = this.secret;
		return expected != null && given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
				given.getBytes(StandardCharsets.UTF_8));
	}

	/** The Content-Length of the request, or -1 when absent or not a number. */
	private static long declaredLength(HttpExchange exchange) {
		String header = exchange.getRequestHeaders().getFirst("content-length");
		try {
			return (header != null) ? Long.parseLong(header.strip()) : -1;
		}
		catch (NumberFormatException ex) {
			return -1;
		}
	}

	private static String target(URI uri) {
		String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty()) ? "/" : uri.getRawPath();
		return (uri.getRawQuery() != null) ? path + "?" + uri.getRawQuery() : path;
	}

	private static void respond(HttpExchange exchange, int status, String text) throws IOException {
		byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("content-type", "text/plain; charset=utf-8");
		exchange.getResponseHeaders().set("connection", "close");
		exchange.sendResponseHeaders(status, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

}
