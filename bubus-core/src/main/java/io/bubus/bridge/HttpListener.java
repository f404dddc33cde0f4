package io.bubus.bridge;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.bubus.internal.Timer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP/1.1 listener of {@link HttpEventBridge}: one request per connection
 * ({@code connection: close}), bodies by {@code content-length} or chunked.
 * <p>
 * Hand-written on {@link ServerSocket} rather than the JDK's {@code HttpServer}, whose
 * request-read timeout and connection limit are JVM-wide system properties read once (so
 * a library cannot set them per listener) and whose {@code stop} cuts replies in flight;
 * a server library would be the first dependency of the core module.
 * <p>
 * Bounds: a connection must deliver its whole request within {@code readTimeout} (a timer
 * closes it otherwise, so a client trickling bytes is cut too); at most
 * {@code maxConnections} are open at once (more are answered {@code 503} and closed);
 * request line and headers together at most {@value #MAX_HEAD_BYTES} bytes. One virtual
 * thread per connection; one accepting thread. {@link #close(Duration)} stops accepting,
 * lets the accepted requests finish within the drain time and closes what is left.
 */
final class HttpListener {

	private static final Logger log = LoggerFactory.getLogger(HttpEventBridge.class);

	static final int MAX_HEAD_BYTES = 16 * 1024;

	/** What the bridge answers to a request. */
	record Reply(int status, String text) {
	}

	/** A request as read from the socket. */
	record Request(String method, String target, Map<String, String> headers, byte[] body) {

		@Nullable String header(String name) {
			return this.headers.get(name.toLowerCase(Locale.ROOT));
		}

	}

	/** Decides the reply; {@code tooLarge} is the reply for a body over the limit. */
	interface Handler {

		Reply handle(Request request);

		Reply tooLarge(long size);

		int maxBodyBytes();

	}

	private final String bridge;

	private final ServerSocket server;

	private final Duration readTimeout;

	private final int maxConnections;

	private final Semaphore connections;

	private final Set<Socket> open = ConcurrentHashMap.newKeySet();

	private final AtomicLong refused = new AtomicLong();

	private final AtomicLong timedOut = new AtomicLong();

	private final Handler handler;

	private volatile boolean closing;

	private final Thread acceptor;

	HttpListener(String bridge, InetSocketAddress address, Duration readTimeout, int maxConnections, Handler handler)
			throws IOException {
		this.bridge = bridge;
		this.readTimeout = readTimeout;
		this.maxConnections = maxConnections;
		this.connections = new Semaphore(maxConnections);
		this.handler = handler;
		this.server = new ServerSocket();
		this.server.setReuseAddress(true);
		this.server.bind(address, 128);
		this.acceptor = Thread.ofPlatform().daemon().name("bubus-http-" + bridge).start(this::acceptLoop);
	}

	int port() {
		return this.server.getLocalPort();
	}

	/** Connections accepted and not yet closed. */
	int openConnections() {
		return this.open.size();
	}

	/** Connections answered 503 because {@code maxConnections} were open. */
	long refusedConnections() {
		return this.refused.get();
	}

	/** Connections closed because the request did not arrive within the read timeout. */
	long timedOutConnections() {
		return this.timedOut.get();
	}

	private void acceptLoop() {
		while (!this.closing) {
			Socket socket;
			try {
				socket = this.server.accept();
			}
			catch (IOException ex) {
				if (!this.closing) {
					log.warn("bridge {} HTTP listener stopped accepting: {}", this.bridge, ex.toString());
				}
				return;
			}
			if (!this.connections.tryAcquire()) {
				refuse(socket);
				continue;
			}
			this.open.add(socket);
			Thread.ofVirtual().name("bubus-http-" + this.bridge).start(() -> serve(socket));
		}
	}

	/** Answers 503 without reading the request: the listener is at its limit. */
	private void refuse(Socket socket) {
		long count = this.refused.incrementAndGet();
		if (count == 1 || Long.bitCount(count) == 1) {
			// 1st, 2nd, 4th, 8th ...: loud enough to notice, bounded under a flood
			log.warn("bridge {} refused a connection: {} connections open (the limit); refused so far: {}", this.bridge,
					this.maxConnections, count);
		}
		Thread.ofVirtual().start(() -> {
			try (socket) {
				socket.setSoTimeout(1000);
				write(socket.getOutputStream(), new Reply(503, "too many connections"));
			}
			catch (IOException ex) {
				// the client went away first
			}
		});
	}

	private void serve(Socket socket) {
		Timer.Task deadline = Timer.schedule(this.readTimeout.toNanos(), () -> readTimedOut(socket));
		try (socket) {
			// the deadline timer closes a slow connection; the socket timeout is
			// a backstop
			socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, this.readTimeout.toMillis() + 1000));
			InputStream in = new BufferedInputStream(socket.getInputStream());
			Request request;
			try {
				request = read(in);
			}
			catch (BadRequest ex) {
				deadline.cancel();
				write(socket.getOutputStream(), ex.reply);
				return;
			}
			deadline.cancel();
			if (socket.isClosed()) {
				return;
			}
			write(socket.getOutputStream(), this.handler.handle(request));
		}
		catch (SocketTimeoutException ex) {
			readTimedOut(socket);
		}
		catch (IOException ex) {
			// the client went away, or the deadline closed the socket
		}
		finally {
			deadline.cancel();
			this.open.remove(socket);
			this.connections.release();
		}
	}

	private void readTimedOut(Socket socket) {
		// the timer and a read that timed out may both get here: the first one closes;
		// it counts before closing, so a client that sees the close sees the count
		long count;
		synchronized (socket) {
			if (socket.isClosed()) {
				return;
			}
			count = this.timedOut.incrementAndGet();
			try {
				socket.close();
			}
			catch (IOException ex) {
				// closed anyway
			}
		}
		if (count == 1 || Long.bitCount(count) == 1) {
			log.warn("bridge {} closed a connection that did not send its request within {} ms; closed so far: {}",
					this.bridge, this.readTimeout.toMillis(), count);
		}
	}

	private Request read(InputStream in) throws IOException {
		String requestLine = line(in, new int[] { MAX_HEAD_BYTES });
		int[] budget = { MAX_HEAD_BYTES - requestLine.length() };
		String[] parts = requestLine.split(" ");
		if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
			throw new BadRequest(new Reply(400, "invalid request line"));
		}
		Map<String, String> headers = new TreeMap<>();
		for (String header = line(in, budget); !header.isEmpty(); header = line(in, budget)) {
			int colon = header.indexOf(':');
			if (colon <= 0) {
				throw new BadRequest(new Reply(400, "invalid header line"));
			}
			headers.put(header.substring(0, colon).strip().toLowerCase(Locale.ROOT),
					header.substring(colon + 1).strip());
		}
		byte[] body = body(in, headers);
		return new Request(parts[0], parts[1], headers, body);
	}

	private byte[] body(InputStream in, Map<String, String> headers) throws IOException {
		int limit = this.handler.maxBodyBytes();
		if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
			return chunked(in, limit);
		}
		String length = headers.get("content-length");
		if (length == null) {
			return new byte[0];
		}
		long declared;
		try {
			declared = Long.parseLong(length);
		}
		catch (NumberFormatException ex) {
			throw new BadRequest(new Reply(400, "invalid content-length"));
		}
		if (declared < 0) {
			throw new BadRequest(new Reply(400, "invalid content-length"));
		}
		if (declared > limit) {
			throw new BadRequest(this.handler.tooLarge(declared));
		}
		byte[] body = in.readNBytes((int) declared);
		if (body.length < declared) {
			throw new BadRequest(new Reply(400, "incomplete body"));
		}
		return body;
	}

	private byte[] chunked(InputStream in, int limit) throws IOException {
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		int[] budget = { MAX_HEAD_BYTES };
		while (true) {
			String sizeLine = line(in, budget);
			int semicolon = sizeLine.indexOf(';');
			long size;
			try {
				size = Long.parseLong((semicolon >= 0) ? sizeLine.substring(0, semicolon).strip() : sizeLine.strip(),
						16);
			}
			catch (NumberFormatException ex) {
				throw new BadRequest(new Reply(400, "invalid chunk size"));
			}
			if (size == 0) {
				for (String trailer = line(in, budget); !trailer.isEmpty(); trailer = line(in, budget)) {
					// trailers are not used
				}
				return body.toByteArray();
			}
			if (size < 0 || body.size() + size > limit) {
				throw new BadRequest(this.handler.tooLarge(body.size() + Math.max(size, 0)));
			}
			byte[] chunk = in.readNBytes((int) size);
			if (chunk.length < size) {
				throw new BadRequest(new Reply(400, "incomplete body"));
			}
			body.write(chunk);
			line(in, budget);
		}
	}

	/** One CRLF- (or LF-) terminated line in ISO-8859-1, within the byte budget. */
	private static String line(InputStream in, int[] budget) throws IOException {
		StringBuilder text = new StringBuilder();
		while (true) {
			int next = in.read();
			if (next < 0) {
				throw new BadRequest(new Reply(400, "incomplete request"));
			}
			if (--budget[0] < 0) {
				throw new BadRequest(new Reply(431, "headers too large"));
			}
			if (next == '\n') {
				int end = text.length();
				return (end > 0 && text.charAt(end - 1) == '\r') ? text.substring(0, end - 1) : text.toString();
			}
			text.append((char) next);
		}
	}

	private static void write(OutputStream out, Reply reply) throws IOException {
		byte[] body = reply.text().getBytes(StandardCharsets.UTF_8);
		String head = "HTTP/1.1 " + reply.status() + " " + reason(reply.status()) + "\r\n"
				+ "content-type: text/plain; charset=utf-8\r\n" + "content-length: " + body.length + "\r\n"
				+ "connection: close\r\n\r\n";
		out.write(head.getBytes(StandardCharsets.ISO_8859_1));
		out.write(body);
		out.flush();
	}

	private static String reason(int status) {
		return switch (status) {
			case 202 -> "Accepted";
			case 400 -> "Bad Request";
			case 401 -> "Unauthorized";
			case 404 -> "Not Found";
			case 405 -> "Method Not Allowed";
			case 413 -> "Content Too Large";
			case 431 -> "Request Header Fields Too Large";
			case 503 -> "Service Unavailable";
			default -> "Status";
		};
	}

	/**
	 * Stops accepting, waits up to {@code drain} for the accepted requests to be read and
	 * answered, then closes the connections that are left.
	 */
	void close(Duration drain) {
		this.closing = true;
		try {
			this.server.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
		boolean drained;
		try {
			drained = this.connections.tryAcquire(this.maxConnections, drain.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			drained = false;
		}
		if (drained) {
			this.connections.release(this.maxConnections);
		}
		else {
			log.warn("bridge {} closed {} connection(s) still open {} ms after close", this.bridge, this.open.size(),
					drain.toMillis());
			for (Socket socket : this.open) {
				try {
					socket.close();
				}
				catch (IOException ex) {
					// closing anyway
				}
			}
		}
		try {
			this.acceptor.join(drain.toMillis() + 1000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** A request the listener answers itself, without the bridge. */
	private static final class BadRequest extends IOException {

		private final Reply reply;

		BadRequest(Reply reply) {
			super(reply.text());
			this.reply = reply;
		}

	}

}
