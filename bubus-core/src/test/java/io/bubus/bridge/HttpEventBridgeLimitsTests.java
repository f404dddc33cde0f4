package io.bubus.bridge;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import io.bubus.DynamicEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * HttpEventBridge's listener bounds: read timeout, connection cap, draining close,
 * exposure warning.
 */
class HttpEventBridgeLimitsTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	@Test
	void slowClientsAreCutAfterTheReadTimeoutWhileAValidRequestIsStillDelivered() throws Exception {
		List<Object> labels = new CopyOnWriteArrayList<>();
		List<Socket> slow = new ArrayList<>();
		try (LogCapture logs = new LogCapture(HttpEventBridge.class);
				HttpEventBridge bridge = new HttpEventBridge(null, URI.create("http://127.0.0.1:0/in"), "HttpSlow",
						null)) {
			bridge.setRequestReadTimeout(Duration.ofSeconds(1));
			bridge.on("Note", (event) -> labels.add(((DynamicEvent) event).get("label")));
			URI uri = bridge.listenUri();
			for (int i = 0; i < 100; i++) {
				Socket socket = new Socket(uri.getHost(), uri.getPort());
				socket.setSoTimeout((int) WAIT.toMillis());
				// a slowloris client: half a request head, then nothing
				socket.getOutputStream().write("POST /in HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes());
				slow.add(socket);
			}

			assertThat(post(uri, "good")).isEqualTo(202);
			await().atMost(WAIT).until(() -> labels.contains("good"));
			for (Socket socket : slow) {
				assertThat(readsToTheEnd(socket.getInputStream())).as("closed by the listener").isTrue();
			}
			assertThat(bridge.timedOutConnections()).isEqualTo(100);
			assertThat(logs.lines()).anySatisfy((line) -> assertThat(line).startsWith(
					"WARN bridge HttpSlow closed a " + "connection that did not send its request within 1000 ms"));
		}
		finally {
			for (Socket socket : slow) {
				socket.close();
			}
		}
	}

	@Test
	void connectionsOverTheCapAreAnswered503AndTheListenerServesAgainOnceTheyAreGone() throws Exception {
		List<Socket> held = new ArrayList<>();
		try (LogCapture logs = new LogCapture(HttpEventBridge.class);
				HttpEventBridge bridge = new HttpEventBridge(null, URI.create("http://127.0.0.1:0/in"), "HttpCapped",
						null)) {
			bridge.setMaxConnections(5).setRequestReadTimeout(Duration.ofSeconds(60));
			List<Object> labels = new CopyOnWriteArrayList<>();
			bridge.on("Note", (event) -> labels.add(((DynamicEvent) event).get("label")));
			URI uri = bridge.listenUri();
			for (int i = 0; i < 5; i++) {
				Socket socket = new Socket(uri.getHost(), uri.getPort());
				socket.getOutputStream().write("POST /in HTTP/1.1\r\n".getBytes());
				held.add(socket);
			}

			await().atMost(WAIT).until(() -> statusOfAnExtraConnection(uri).startsWith("HTTP/1.1 503"));
			assertThat(bridge.refusedConnections()).isPositive();
			assertThat(logs.lines()).anySatisfy((line) -> assertThat(line)
				.startsWith("WARN bridge HttpCapped refused a connection: 5 connections open (the limit)"));

			for (Socket socket : held) {
				socket.close();
			}
			await().atMost(WAIT).until(() -> post(uri, "after") == 202);
			await().atMost(WAIT).until(() -> labels.contains("after"));
		}
		finally {
			for (Socket socket : held) {
				socket.close();
			}
		}
	}

	@Test
	void closeLetsAnAcceptedRequestFinishAndAnswerWhileRefusingNewConnections() throws Exception {
		List<Object> labels = new CopyOnWriteArrayList<>();
		HttpEventBridge bridge = new HttpEventBridge(null, URI.create("http://127.0.0.1:0/in"), "HttpDrain", null);
		bridge.setRequestReadTimeout(Duration.ofSeconds(15));
		bridge.on("Note", (event) -> labels.add(((DynamicEvent) event).get("label")));
		URI uri = bridge.listenUri();
		byte[] body = BadInput.note("in-flight").getBytes(StandardCharsets.UTF_8);
		try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
			socket.setSoTimeout((int) WAIT.toMillis());
			OutputStream out = socket.getOutputStream();
			out.write(("POST /in HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + body.length + "\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.write(body, 0, 10);
			out.flush();
			// a connection still in the accept backlog is not accepted yet: close may
			// drop it
			await().atMost(WAIT).until(() -> bridge.openConnections() == 1);
			CompletableFuture<Void> closing = CompletableFuture.runAsync(bridge::close);
			await().atMost(WAIT).until(() -> refusesConnections(uri));
			assertThat(closing).isNotDone();

			out.write(body, 10, body.length - 10);
			out.flush();
			String reply = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);

			assertThat(reply).startsWith("HTTP/1.1 202");
			closing.get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
			assertThat(labels).containsExactly("in-flight");
		}
	}

	@Test
	void aListenerOnAllInterfacesWarnsLoudlyAndSaysWhetherASecretGuardsIt() {
		try (LogCapture logs = new LogCapture(HttpEventBridge.class)) {
			try (HttpEventBridge open = new HttpEventBridge(null, URI.create("http://0.0.0.0:0/in"), "HttpOpen",
					null)) {
				open.start();
			}
			try (HttpEventBridge guarded = new HttpEventBridge(null, URI.create("http://0.0.0.0:0/in"), "HttpGuarded",
					"s3cret")) {
				guarded.start();
			}
			try (HttpEventBridge local = new HttpEventBridge(null, URI.create("http://127.0.0.1:0/in"), "HttpLoop",
					null)) {
				local.start();
			}

			assertThat(logs.lines()).anySatisfy((line) -> assertThat(line).startsWith("WARN bridge HttpOpen listens on")
				.contains("which other hosts can reach, WITHOUT a shared secret"));
			assertThat(logs.lines())
				.anySatisfy((line) -> assertThat(line).startsWith("WARN bridge HttpGuarded listens on")
					.contains("requests need the shared secret"));
			assertThat(logs.lines()).noneSatisfy((line) -> assertThat(line).contains("HttpLoop"));
		}
	}

	private static int post(URI uri, String label) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(uri)
			.POST(HttpRequest.BodyPublishers.ofString(new DynamicEvent("Note", Map.of("label", label)).toJson()))
			.build();
		return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
	}

	/**
	 * Whether the peer closed the connection (EOF or reset) before the socket timeout.
	 */
	private static boolean readsToTheEnd(InputStream in) throws IOException {
		try {
			in.readAllBytes();
			return true;
		}
		catch (SocketException ex) {
			return true;
		}
	}

	private static String statusOfAnExtraConnection(URI uri) throws IOException {
		try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
			// an extra connection the listener took while it was not yet full waits here,
			// and is answered 400 once this side closes it
			socket.setSoTimeout(3000);
			byte[] head = socket.getInputStream().readNBytes(12);
			return new String(head, StandardCharsets.US_ASCII);
		}
		catch (java.net.SocketTimeoutException ex) {
			return "";
		}
	}

	private static boolean refusesConnections(URI uri) {
		try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
			return false;
		}
		catch (ConnectException ex) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
