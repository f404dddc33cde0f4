package io.bubus.bridge;

import java.nio.channels.SocketChannel;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.bubus.DynamicEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class SocketEventBridgeTests {

	@TempDir
	Path dir;

	@Test
	void typedEventsTravelBothWaysBetweenTwoJvms() throws Exception {
		Path parent = this.dir.resolve("parent.sock");
		Path worker = this.dir.resolve("worker.sock");
		SocketEventBridge listener = new SocketEventBridge(parent, "ParentBridge");
		BridgeRoundTrip.run(this.dir, "socket", parent.toString(), worker.toString(), listener,
				(ready) -> new SocketEventBridge(Path.of(ready), "ParentSender"));
	}

	@Test
	void socketFileIsOwnerOnlyAndRemovedOnClose() throws Exception {
		Path path = this.dir.resolve("mode.sock");
		try (SocketEventBridge bridge = new SocketEventBridge(path, "SocketMode")) {
			bridge.start();
			assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path))).isEqualTo("rw-------");
			// bound in a private directory first, which is gone once the socket is
			// in place
			try (var siblings = Files.list(this.dir)) {
				assertThat(siblings).containsExactly(path);
			}
			bridge.on("Note", (event) -> null);
			try (SocketEventBridge sender = new SocketEventBridge(path, "SocketModeSender")) {
				sender.emit(new DynamicEvent("Note"));
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> bridge.receivedMessages() == 1);
		}
		assertThat(path).doesNotExist();
	}

	@Test
	void badFramesAreLoggedCountedAndDroppedAndTheNextGoodEventArrives() throws Exception {
		Path path = this.dir.resolve("bad.sock");
		try (SocketEventBridge bridge = new SocketEventBridge(path, "SocketBad")) {
			BadInput.Wire frame = (line) -> {
				try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
					ByteBuffer buffer = ByteBuffer.wrap((line + "\n\n").getBytes(StandardCharsets.UTF_8));
					while (buffer.hasRemaining()) {
						channel.write(buffer);
					}
				}
			};
			BadInput.check(bridge, frame, frame);
		}
	}

	@Test
	void anEndlessFrameIsDiscardedWithoutBufferingItAndTheConnectionKeepsWorking() throws Exception {
		Path path = this.dir.resolve("long.sock");
		try (SocketEventBridge bridge = new SocketEventBridge(path, "SocketLong")) {
			List<Object> labels = new CopyOnWriteArrayList<>();
			bridge.on("Note", (event) -> labels.add(((DynamicEvent) event).get("label")));
			try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
				ByteBuffer piece = ByteBuffer.wrap("x".repeat(1 << 20).getBytes(StandardCharsets.UTF_8));
				// 64 MB in one frame: far over the limit, never held in memory
				for (int i = 0; i < 64; i++) {
					piece.rewind();
					while (piece.hasRemaining()) {
						channel.write(piece);
					}
				}
				channel.write(ByteBuffer
					.wrap(("\n" + BadInput.note("same-connection") + "\n").getBytes(StandardCharsets.UTF_8)));
			}
			await().atMost(Duration.ofSeconds(30)).until(() -> labels.contains("same-connection"));
			assertThat(bridge.droppedMessages()).isEqualTo(1);
		}
	}

	@Test
	void whileTheListenerIsDownSendsFailClearlyAndWorkAgainOnceItIsBack() throws Exception {
		Path path = this.dir.resolve("restart.sock");
		List<Object> labels = new CopyOnWriteArrayList<>();
		try (SocketEventBridge sender = new SocketEventBridge(path, "SocketSender")) {
			try (SocketEventBridge listener = new SocketEventBridge(path, "SocketListener")) {
				listener.on("Note", (event) -> labels.add(((DynamicEvent) event).get("label")));
				sender.emit(new DynamicEvent("Note", Map.of("label", "before")));
				await().atMost(Duration.ofSeconds(10)).until(() -> labels.contains("before"));
			}
			assertThatThrownBy(() -> sender.emit(new DynamicEvent("Note", Map.of("label", "while-down"))))
				.isInstanceOf(BridgeException.class)
				.hasMessageContaining("bridge SocketSender could not send to " + path);
			try (SocketEventBridge restarted = new SocketEventBridge(path, "SocketListener2")) {
				restarted.on("Note", (event) -> labels.add(((DynamicEvent) event).get("label")));
				sender.emit(new DynamicEvent("Note", Map.of("label", "after")));
				await().atMost(Duration.ofSeconds(10)).until(() -> labels.contains("after"));
			}
		}
		assertThat(labels).containsExactly("before", "after");
	}

	@Test
	void aBurstOfSendsFromVirtualThreadsAllArrive() throws Exception {
		Path path = this.dir.resolve("burst.sock");
		int threads = 32;
		int perThread = 100;
		try (SocketEventBridge listener = new SocketEventBridge(path, "SocketBurst");
				SocketEventBridge sender = new SocketEventBridge(path, "SocketBurstSender")) {
			Set<Object> labels = ConcurrentHashMap.newKeySet();
			listener.on("Note", (event) -> labels.add(((DynamicEvent) event).get("label")));
			// a connect from a virtual thread fails at once on a full accept queue unless
			// the bridge waits for it
			try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
				List<Future<?>> sends = new ArrayList<>();
				for (int t = 0; t < threads; t++) {
					int thread = t;
					sends.add(pool.submit(() -> {
						for (int i = 0; i < perThread; i++) {
							sender.emit(new DynamicEvent("Note", Map.of("label", thread + "-" + i)));
						}
					}));
				}
				for (Future<?> send : sends) {
					send.get(60, TimeUnit.SECONDS);
				}
			}
			await().atMost(Duration.ofSeconds(60)).until(() -> labels.size() >= threads * perThread);
			assertThat(labels).hasSize(threads * perThread);
			assertThat(listener.droppedMessages()).isZero();
		}
	}

	@Test
	void closeEndsTheConnectionsItWasStillReading() throws Exception {
		Path path = this.dir.resolve("idle.sock");
		SocketEventBridge bridge = new SocketEventBridge(path, "SocketIdle");
		List<Object> labels = new CopyOnWriteArrayList<>();
		bridge.on("Note", (event) -> labels.add(((DynamicEvent) event).get("label")));
		try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
			// one frame shows the listener reads this connection; then the client
			// goes quiet
			client.write(ByteBuffer.wrap((BadInput.note("first") + "\n").getBytes(StandardCharsets.UTF_8)));
			await().atMost(Duration.ofSeconds(10)).until(() -> labels.contains("first"));
			bridge.close();

			Future<Integer> read = Executors.newVirtualThreadPerTaskExecutor()
				.submit(() -> client.read(ByteBuffer.allocate(1)));
			assertThat(read.get(10, TimeUnit.SECONDS)).as("closed by the listener").isEqualTo(-1);
		}
	}

	@Test
	void rejectsPathsLongerThanNinetyBytesAndSendsWithoutListenerFail() {
		assertThatThrownBy(() -> new SocketEventBridge(Path.of("/tmp/" + "x".repeat(100))))
			.hasMessageContaining("too long");
		try (SocketEventBridge sender = new SocketEventBridge(this.dir.resolve("nobody.sock"))) {
			assertThatThrownBy(() -> sender.emit(new DynamicEvent("Note"))).isInstanceOf(BridgeException.class)
				.hasMessageContaining("could not send to");
		}
	}

}
