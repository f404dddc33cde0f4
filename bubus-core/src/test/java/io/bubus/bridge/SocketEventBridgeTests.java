package io.bubus.bridge;

import java.nio.channels.SocketChannel;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
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
	void socketFileIsOwnerOnlyAndGarbageFramesAreDropped() throws Exception {
		Path path = this.dir.resolve("bad.sock");
		try (SocketEventBridge bridge = new SocketEventBridge(path, "SocketBad")) {
			List<Object> labels = new CopyOnWriteArrayList<>();
			bridge.on("Note", (event) -> labels.add(((DynamicEvent) event).get("label")));
			assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path))).isEqualTo("rw-------");
			String frames = "garbage\n\n" + new DynamicEvent("Note", Map.of("label", "good")).toJson() + "\n";
			try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
				channel.write(ByteBuffer.wrap(frames.getBytes(StandardCharsets.UTF_8)));
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> labels.contains("good"));
			assertThat(bridge.droppedMessages()).isEqualTo(1);
		}
		assertThat(path).doesNotExist();
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
