package io.bubus.bridge;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.bubus.BaseEvent;
import io.bubus.internal.Timer;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * A bridge over a unix domain socket: {@link #emit} connects, writes one
 * {@code <compact JSON>\n} frame and closes; listening accepts connections and reads
 * newline-delimited events until each connection ends. The socket file has mode 0600
 * (owner only) from the moment it appears at its path, and is removed on
 * {@link #close()}. The same path is used to send and to listen, so one process listens
 * per path. A frame over {@link #maxMessageBytes()} is skipped without being buffered.
 * <p>
 * Delivery: fire-and-forget; a send with no listener fails with a
 * {@link BridgeException}. A listener that is behind (its accept queue is full) is waited
 * for, up to 5 s.
 * <p>
 * Bounds: the listener keeps at most {@value #MAX_CONNECTIONS} connections open (more
 * wait in the accept queue), closes a connection that sent nothing for
 * {@link #IDLE_TIMEOUT} (a half-written frame in it is dropped like bad input), and
 * closes every connection on {@link #close()}.
 */
public class SocketEventBridge extends EventBridge {

	/** The longest socket path bubus accepts, in UTF-8 bytes. */
	public static final int MAX_PATH_BYTES = 90;

	/** Connections waiting to be accepted (the kernel caps it at {@code somaxconn}). */
	private static final int BACKLOG = 4096;

	/** The longest path Linux binds a unix socket to ({@code sun_path} less its NUL). */
	private static final int MAX_BIND_PATH_BYTES = 107;

	private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

	/** Connections read at once; the next ones wait to be accepted. */
	public static final int MAX_CONNECTIONS = 256;

	/** How long a connection may send nothing before the listener closes it. */
	public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);

	/** How long a send waits for a listener whose accept queue is full. */
	private static final Duration BUSY_WAIT = Duration.ofSeconds(5);

	private final Path path;

	private volatile @Nullable ServerSocketChannel server;

	private final Semaphore slots = new Semaphore(MAX_CONNECTIONS);

	/** Open connections and when each last received bytes ({@link System#nanoTime()}). */
	private final Map<SocketChannel, AtomicLong> open = new ConcurrentHashMap<>();

	/** A bridge on this socket path. */
	public SocketEventBridge(Path path) {
		this(path, null);
	}

	/** A bridge on this socket path, with a name. */
	public SocketEventBridge(Path path, @Nullable String name) {
		super(name, DEFAULT_MAX_MESSAGE_BYTES);
		try {
			String text = path.toString().replaceFirst("^unix://", "");
			if (text.isEmpty()) {
				throw new IllegalArgumentException("SocketEventBridge path must not be empty");
			}
			int length = text.getBytes(StandardCharsets.UTF_8).length;
			if (length > MAX_PATH_BYTES) {
				throw new IllegalArgumentException(
						"Unix socket path is too long (" + length + " chars), max is " + MAX_PATH_BYTES + ": " + text);
			}
			this.path = Path.of(text).toAbsolutePath();
		}
		catch (RuntimeException ex) {
			throw abandon(ex);
		}
	}

	@Override
	public BaseEvent<?> emit(BaseEvent<?> event) {
		byte[] frame = (toWire(event) + "\n").getBytes(StandardCharsets.UTF_8);
		try (SocketChannel channel = connect()) {
			ByteBuffer buffer = ByteBuffer.wrap(frame);
			while (buffer.hasRemaining()) {
				channel.write(buffer);
			}
		}
		catch (IOException ex) {
			throw new BridgeException("bridge " + name() + " could not send to " + this.path + ": " + ex, ex);
		}
		return event;
	}

	/**
	 * Connects to the listener. A full accept queue (the listener is behind) is waited
	 * for, up to {@link #BUSY_WAIT}: a connect from a virtual thread does not block on it
	 * but fails with EAGAIN.
	 */
	private SocketChannel connect() throws IOException {
		long deadline = System.nanoTime() + BUSY_WAIT.toNanos();
		long backoff = Duration.ofMillis(1).toNanos();
		while (true) {
			try {
				return SocketChannel.open(UnixDomainSocketAddress.of(this.path));
			}
			catch (SocketException ex) {
				if (!String.valueOf(ex.getMessage()).contains("Resource temporarily unavailable")
						|| System.nanoTime() + backoff > deadline) {
					throw ex;
				}
				LockSupport.parkNanos(backoff);
				backoff = Math.min(backoff * 2, Duration.ofMillis(50).toNanos());
			}
		}
	}

	@Override
	protected void startListening() {
		try {
			Files.createDirectories(this.path.getParent());
			Files.deleteIfExists(this.path);
			ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
			bindOwnerOnly(channel);
			this.server = channel;
			Thread.ofVirtual().name("bubus-socket-" + name()).start(() -> acceptLoop(channel));
		}
		catch (IOException ex) {
			throw new BridgeException("bridge " + name() + " could not listen on " + this.path + ": " + ex, ex);
		}
	}

	/**
	 * Binds the socket so that it is never reachable by others, not even between the bind
	 * and the chmod: it is bound inside a fresh owner-only directory, made 0600 there and
	 * then renamed into place. A path too long for that detour is bound in place.
	 */
	private void bindOwnerOnly(ServerSocketChannel channel) throws IOException {
		Path staging = Files.createTempDirectory(this.path.getParent(), ".bubus",
				PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
		try {
			Path staged = staging.resolve("s");
			if (staged.toString().getBytes(StandardCharsets.UTF_8).length > MAX_BIND_PATH_BYTES) {
				channel.bind(UnixDomainSocketAddress.of(this.path), BACKLOG);
				Files.setPosixFilePermissions(this.path, OWNER_ONLY);
				return;
			}
			channel.bind(UnixDomainSocketAddress.of(staged), BACKLOG);
			Files.setPosixFilePermissions(staged, OWNER_ONLY);
			Files.move(staged, this.path, StandardCopyOption.ATOMIC_MOVE);
		}
		finally {
			Files.deleteIfExists(staging.resolve("s"));
			Files.delete(staging);
		}
	}

	private void acceptLoop(ServerSocketChannel channel) {
		while (channel.isOpen()) {
			try {
				this.slots.acquire();
			}
			catch (InterruptedException ex) {
				return;
			}
			try {
				SocketChannel connection = channel.accept();
				AtomicLong lastRead = new AtomicLong(System.nanoTime());
				this.open.put(connection, lastRead);
				watchIdle(connection, lastRead, IDLE_TIMEOUT.toNanos());
				Thread.ofVirtual().name("bubus-socket-conn").start(() -> readFrames(connection, lastRead));
			}
			catch (IOException ex) {
				this.slots.release();
				if (channel.isOpen()) {
					LoggerFactory.getLogger(SocketEventBridge.class)
						.warn("bridge {} accept failed: {}", name(), ex.toString());
				}
			}
		}
	}

	/** Closes the connection once it has received nothing for {@link #IDLE_TIMEOUT}. */
	private void watchIdle(SocketChannel connection, AtomicLong lastRead, long delay) {
		Timer.schedule(delay, () -> {
			if (!connection.isOpen()) {
				return;
			}
			long idle = System.nanoTime() - lastRead.get();
			if (idle < IDLE_TIMEOUT.toNanos()) {
				watchIdle(connection, lastRead, IDLE_TIMEOUT.toNanos() - idle);
				return;
			}
			LoggerFactory.getLogger(SocketEventBridge.class)
				.warn("bridge {} closed a connection that sent nothing for {} s", name(), IDLE_TIMEOUT.toSeconds());
			closeQuietly(connection);
		});
	}

	private static void closeQuietly(SocketChannel connection) {
		try {
			connection.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
	}

	/**
	 * Reads newline-terminated frames until the connection ends. A frame over
	 * {@link #maxMessageBytes()} is skipped up to its newline without being kept in
	 * memory, then dropped like any bad input.
	 */
	private void readFrames(SocketChannel connection, AtomicLong lastRead) {
		try (connection; InputStream in = Channels.newInputStream(connection)) {
			ByteArrayOutputStream frame = new ByteArrayOutputStream();
			byte[] buffer = new byte[16 * 1024];
			// bytes of the current frame seen while skipping it (0 = not skipping)
			long skipped = 0;
			for (int n; (n = in.read(buffer)) >= 0;) {
				lastRead.set(System.nanoTime());
				int start = 0;
				for (int i = 0; i <= n; i++) {
					boolean newline = i < n && buffer[i] == '\n';
					if (!newline && i < n) {
						continue;
					}
					int length = i - start;
					if (skipped > 0) {
						skipped += length;
					}
					else if (frame.size() + length <= maxMessageBytes()) {
						frame.write(buffer, start, length);
					}
					else {
						skipped = frame.size() + (long) length;
						frame.reset();
					}
					if (newline) {
						if (skipped > 0) {
							dropOversized(skipped);
						}
						else {
							deliver(frame);
						}
						skipped = 0;
						frame.reset();
					}
					start = i + 1;
				}
			}
			if (skipped > 0) {
				dropOversized(skipped);
			}
			else {
				deliver(frame);
			}
		}
		catch (IOException ex) {
			if (isStarted()) {
				LoggerFactory.getLogger(SocketEventBridge.class)
					.warn("bridge {} dropped a connection: {}", name(), ex.toString());
			}
		}
		finally {
			this.open.remove(connection);
			this.slots.release();
		}
	}

	private void deliver(ByteArrayOutputStream frame) {
		String line = frame.toString(StandardCharsets.UTF_8).trim();
		if (!line.isEmpty()) {
			receive(line);
		}
	}

	@Override
	protected void stopListening() {
		ServerSocketChannel channel = this.server;
		this.server = null;
		try {
			if (channel != null) {
				channel.close();
			}
			this.open.keySet().forEach(SocketEventBridge::closeQuietly);
			Files.deleteIfExists(this.path);
		}
		catch (IOException ex) {
			LoggerFactory.getLogger(SocketEventBridge.class)
				.debug("bridge {} could not clean up {}: {}", name(), this.path, ex.toString());
		}
	}

}
