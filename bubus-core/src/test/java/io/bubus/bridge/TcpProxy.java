package io.bubus.bridge;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A loopback TCP proxy in front of a real server, so a test can cut a client's
 * connections (as a network fault would) without touching the server other tests use.
 * {@link #cut()} closes every open connection; while {@link #refuse(boolean) refusing},
 * new connections are closed as soon as they are accepted; while {@link #freeze(boolean)
 * frozen}, open connections stay open but carry nothing in either direction (a silent
 * peer: no data, no FIN), until thawed.
 */
public final class TcpProxy implements AutoCloseable {

	private final ServerSocket server;

	private final int upstreamPort;

	private final List<Socket> open = new CopyOnWriteArrayList<>();

	private final AtomicInteger accepted = new AtomicInteger();

	private volatile boolean refusing;

	/** Whether the pumps hold what they read; guarded by itself for the wait. */
	private final boolean[] frozen = new boolean[1];

	public TcpProxy(int upstreamPort) throws IOException {
		this.upstreamPort = upstreamPort;
		this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		Thread.ofVirtual().name("tcp-proxy-accept").start(this::acceptLoop);
	}

	/** The port clients connect to. */
	public int port() {
		return this.server.getLocalPort();
	}

	/** Connections accepted so far (a reconnect shows up here). */
	public int accepted() {
		return this.accepted.get();
	}

	/** Closes every open connection, both sides. */
	public void cut() {
		for (Socket socket : this.open) {
			closeQuietly(socket);
		}
		this.open.clear();
	}

	/** While true, new connections are closed at once. */
	public void refuse(boolean refuse) {
		this.refusing = refuse;
	}

	/**
	 * While true, the open connections carry nothing (what is read is held, and TCP's
	 * flow control stalls the rest); false sends what was held and carries on.
	 */
	public void freeze(boolean freeze) {
		synchronized (this.frozen) {
			this.frozen[0] = freeze;
			this.frozen.notifyAll();
		}
	}

	/**
	 * Freezes these proxies together for the duration, then thaws them; returns once they
	 * are thawed.
	 */
	public static void freezeFor(Duration duration, TcpProxy... proxies) {
		for (TcpProxy proxy : proxies) {
			proxy.freeze(true);
		}
		CompletableFuture.runAsync(() -> {
			for (TcpProxy proxy : proxies) {
				proxy.freeze(false);
			}
		}, CompletableFuture.delayedExecutor(duration.toMillis(), TimeUnit.MILLISECONDS)).join();
	}

	/**
	 * The faults of the durable bridges' cut/freeze tests: sends {@code events} notes
	 * {@code e0 …} over the sender while its link and the listener's fail, and returns
	 * once every send is done. The listener's link is cut when a fifth of the events were
	 * handled (the listener holds handled, unacknowledged messages), both links freeze
	 * for 2 s at half, and the listener's is cut again at seven tenths; the sender's is
	 * cut before the event at two fifths is sent (an acknowledgement is lost, so the
	 * bridge sends again).
	 */
	public static void sendThroughFaults(EventBridge sender, Tally tally, TcpProxy listenerLink, TcpProxy senderLink,
			int events) {
		Duration wait = Duration.ofSeconds(120);
		CompletableFuture<Void> faults = CompletableFuture.runAsync(() -> {
			await().atMost(wait).until(() -> tally.total() >= events / 5);
			listenerLink.cut();
			await().atMost(wait).until(() -> tally.total() >= events / 2);
			freezeFor(Duration.ofSeconds(2), senderLink, listenerLink);
			await().atMost(wait).until(() -> tally.total() >= events * 7 / 10);
			listenerLink.cut();
		});
		for (int i = 0; i < events; i++) {
			if (i == events * 2 / 5) {
				senderLink.cut();
			}
			sender.emit(BridgeTesting.note("e" + i));
		}
		assertThat(sender.flush()).succeedsWithin(Duration.ofSeconds(60));
		assertThat(sender.failedSends()).isZero();
		assertThat(faults).succeedsWithin(wait);
	}

	@Override
	public void close() {
		freeze(false);
		closeQuietly(this.server);
		cut();
	}

	private void awaitThaw() throws IOException {
		synchronized (this.frozen) {
			while (this.frozen[0]) {
				try {
					this.frozen.wait();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new IOException("interrupted while frozen", ex);
				}
			}
		}
	}

	private void acceptLoop() {
		while (!this.server.isClosed()) {
			try {
				Socket client = this.server.accept();
				this.accepted.incrementAndGet();
				if (this.refusing) {
					closeQuietly(client);
					continue;
				}
				Socket upstream = new Socket(InetAddress.getLoopbackAddress(), this.upstreamPort);
				this.open.add(client);
				this.open.add(upstream);
				Thread.ofVirtual().start(() -> pump(client, upstream));
				Thread.ofVirtual().start(() -> pump(upstream, client));
			}
			catch (IOException ex) {
				// closed, or the upstream refused: the client sees its connection end
			}
		}
	}

	private void pump(Socket from, Socket to) {
		byte[] buffer = new byte[16 * 1024];
		try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
			for (int n; (n = in.read(buffer)) >= 0;) {
				awaitThaw();
				out.write(buffer, 0, n);
				out.flush();
			}
		}
		catch (IOException ex) {
			// a cut or a normal close
		}
		finally {
			closeQuietly(from);
			closeQuietly(to);
			this.open.remove(from);
			this.open.remove(to);
		}
	}

	private static void closeQuietly(AutoCloseable closeable) {
		try {
			closeable.close();
		}
		catch (Exception ex) {
			// already closed
		}
	}

}
