package io.bubus.bridge;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
	void sendingToAListenerThatIsDownFailsWithAClearError() {
		try (HttpEventBridge sender = new HttpEventBridge(URI.create("http://127.0.0.1:1/events"), null)) {
			assertThatThrownBy(() -> sender.emit(new DynamicEvent("Note"))).isInstanceOf(BridgeException.class)
				.hasMessageContaining("could not POST to http://127.0.0.1:1/events");
		}
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
