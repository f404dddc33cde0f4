package io.bubus.bridge;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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

class HttpEventBridgeTests {

	@TempDir
	Path dir;

	@Test
	void typedEventsTravelBothWaysBetweenTwoJvms() throws Exception {
		HttpEventBridge listener = new HttpEventBridge(null, URI.create("http://127.0.0.1:0/events"), "ParentBridge",
				"s3cret");
		listener.start();
		BridgeRoundTrip.run(this.dir, "http", listener.listenUri().toString(), "http://127.0.0.1:0/events", listener,
				(workerUrl) -> new HttpEventBridge(URI.create(workerUrl), null, "ParentSender", "s3cret"));
	}

	@Test
	void badRequestsGetClearStatusesAndTheNextGoodEventArrives() throws Exception {
		try (HttpEventBridge bridge = new HttpEventBridge(null, URI.create("http://127.0.0.1:0/in?x=1"), "HttpBad",
				"s3cret")) {
			List<Object> labels = new CopyOnWriteArrayList<>();
			bridge.on("Note", (event) -> labels.add(((DynamicEvent) event).get("label")));
			URI uri = bridge.listenUri();
			assertThat(uri.getHost()).isEqualTo("127.0.0.1");
			HttpClient client = HttpClient.newHttpClient();
			assertThat(post(client, uri, "not json", "s3cret")).isEqualTo(400);
			assertThat(post(client, uri, "{}", null)).isEqualTo(401);
			assertThat(post(client, uri.resolve("/other"), "{}", "s3cret")).isEqualTo(404);
			assertThat(client.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString())
				.statusCode()).isEqualTo(405);
			String good = new DynamicEvent("Note", Map.of("label", "good")).toJson();
			assertThat(post(client, uri, good, "s3cret")).isEqualTo(202);
			await().atMost(Duration.ofSeconds(10)).until(() -> labels.contains("good"));
			assertThat(bridge.droppedMessages()).isEqualTo(1);
		}
	}

	@Test
	void badBodiesAreLoggedCountedAndDroppedWith400Or413AndTheNextGoodEventArrives() throws Exception {
		try (HttpEventBridge bridge = new HttpEventBridge(null, URI.create("http://127.0.0.1:0/in"), "HttpBad", null)) {
			bridge.start();
			URI uri = bridge.listenUri();
			HttpClient client = HttpClient.newHttpClient();
			BadInput.check(bridge,
					(body) -> assertThat(post(client, uri, body, null))
						.isEqualTo((body.length() > BadInput.LIMIT) ? 413 : 400),
					(body) -> assertThat(post(client, uri, body, null)).isEqualTo(202));
		}
	}

	@Test
	void aDeclaredBodyOverTheLimitIsRefusedBeforeItIsRead() throws Exception {
		try (HttpEventBridge bridge = new HttpEventBridge(null, URI.create("http://127.0.0.1:0/in"), "HttpHuge",
				null)) {
			bridge.start();
			URI uri = bridge.listenUri();
			// 64 MB announced, only the headers sent: the answer comes without the body
			try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
				socket.setSoTimeout(10_000);
				socket.getOutputStream()
					.write(("POST /in HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
							+ "Content-Length: 67108864\r\n\r\n")
						.getBytes(StandardCharsets.US_ASCII));
				String status = new BufferedReader(
						new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
					.readLine();
				assertThat(status).startsWith("HTTP/1.1 413");
			}
			assertThat(bridge.droppedMessages()).isEqualTo(1);
		}
	}

	@Test
	void aChunkedBodyOverTheLimitIsCutOffAt413() throws Exception {
		try (HttpEventBridge bridge = new HttpEventBridge(null, URI.create("http://127.0.0.1:0/in"), "HttpChunked",
				null)) {
			bridge.setMaxMessageBytes(1024);
			bridge.start();
			URI uri = bridge.listenUri();
			// no Content-Length: the body streams in until the limit is passed
			HttpRequest request = HttpRequest.newBuilder(uri)
				.POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(
						BadInput.note("x".repeat(4096)).getBytes(StandardCharsets.UTF_8))))
				.build();
			HttpResponse<String> response = HttpClient.newHttpClient()
				.send(request, HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).isEqualTo(413);
			assertThat(bridge.droppedMessages()).isEqualTo(1);
		}
	}

	@Test
	void theListenerIsNotReachableFromOtherInterfaces() throws Exception {
		InetAddress external = externalAddress();
		try (HttpEventBridge bridge = new HttpEventBridge(null, URI.create("http://localhost:0/events"), "HttpLocal",
				null)) {
			bridge.start();
			int port = bridge.listenUri().getPort();
			try (Socket local = new Socket(InetAddress.getLoopbackAddress(), port)) {
				assertThat(local.isConnected()).isTrue();
			}
			if (external != null) {
				assertThatThrownBy(() -> new Socket(external, port).close()).isInstanceOf(ConnectException.class);
			}
		}
	}

	@Test
	void whileTheListenerIsDownSendsFailClearlyAndWorkAgainOnceItIsBack() throws Exception {
		int port;
		List<Object> labels = new CopyOnWriteArrayList<>();
		HttpEventBridge first = new HttpEventBridge(null, URI.create("http://127.0.0.1:0/events"), "HttpListener",
				"s3cret");
		first.on("Note", (event) -> labels.add(((DynamicEvent) event).get("label")));
		port = first.listenUri().getPort();
		URI target = URI.create("http://127.0.0.1:" + port + "/events");
		try (HttpEventBridge sender = new HttpEventBridge(target, null, "HttpSender", "s3cret")) {
			sender.emit(new DynamicEvent("Note", Map.of("label", "before")));
			await().atMost(Duration.ofSeconds(10)).until(() -> labels.contains("before"));
			first.close();

			assertThatThrownBy(() -> sender.emit(new DynamicEvent("Note", Map.of("label", "while-down"))))
				.isInstanceOf(BridgeException.class)
				.hasMessageContaining("bridge HttpSender could not POST to " + target);

			try (HttpEventBridge restarted = new HttpEventBridge(null, target, "HttpListener2", "s3cret")) {
				restarted.on("Note", (event) -> labels.add(((DynamicEvent) event).get("label")));
				sender.emit(new DynamicEvent("Note", Map.of("label", "after")));
				await().atMost(Duration.ofSeconds(10)).until(() -> labels.contains("after"));
			}
		}
		assertThat(labels).containsExactly("before", "after");
	}

	@Test
	void sendingToAListenerThatIsDownFailsWithAClearError() {
		try (HttpEventBridge sender = new HttpEventBridge(URI.create("http://127.0.0.1:1/events"), null)) {
			assertThatThrownBy(() -> sender.emit(new DynamicEvent("Note"))).isInstanceOf(BridgeException.class)
				.hasMessageContaining("could not POST to http://127.0.0.1:1/events");
		}
	}

	/** A non-loopback address of this machine, or null when it has none. */
	private static InetAddress externalAddress() throws SocketException {
		return NetworkInterface.networkInterfaces()
			.flatMap(NetworkInterface::inetAddresses)
			.filter((address) -> address instanceof Inet4Address && !address.isLoopbackAddress()
					&& !address.isLinkLocalAddress())
			.findFirst()
			.orElse(null);
	}

	@Test
	void rejectsUnsupportedSchemes() {
		assertThatThrownBy(() -> new HttpEventBridge(URI.create("ftp://x/y"), null))
			.hasMessageContaining("sendTo must be http:// or https://");
		assertThatThrownBy(() -> new HttpEventBridge(null, URI.create("https://127.0.0.1:8443/")))
			.hasMessageContaining("listenOn must be http://");
	}

	private static int post(HttpClient client, URI uri, String body, String secret) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body));
		if (secret != null) {
			request.header(HttpEventBridge.SECRET_HEADER, secret);
		}
		return client.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
	}

}
