package io.bubus.bridge;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a bridge logs about bad input: bridge, size, type and field, never a value from
 * the message.
 */
class BridgeLogLinesTests {

	private static final String CARD = "4111 1111 1111 1111";

	@Test
	void droppedMessagesAreDescribedWithoutTheirValues() throws Exception {
		List<String> bad = List.of(
				"{\"event_type\":\"Ping\",\"event_id\":\"" + BadInput.uuid() + "\",\"label\":\"x\",\"count\":\"" + CARD
						+ "\"}",
				BadInput.with(BadInput.note("bad-id"), "event_id", CARD),
				BadInput.with(BadInput.note("bad-time"), "event_created_at", CARD),
				"{\"event_type\":\"Note\",\"card\":\"" + CARD + "\" oops");
		try (LogCapture logs = new LogCapture(EventBridge.class);
				HttpEventBridge bridge = new HttpEventBridge(null, URI.create("http://127.0.0.1:0/in"), "HttpLogLines",
						null)) {
			bridge.start();
			HttpClient client = HttpClient.newHttpClient();
			for (String body : bad) {
				HttpRequest request = HttpRequest.newBuilder(bridge.listenUri())
					.POST(HttpRequest.BodyPublishers.ofString(body))
					.build();
				assertThat(client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(400);
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> logs.lines().size() >= bad.size());

			assertThat(logs.lines()).hasSize(bad.size())
				.allSatisfy((line) -> assertThat(line)
					.startsWith("WARN bridge HttpLogLines dropped a received message: message of ")
					.doesNotContain("4111"));
			assertThat(logs.lines().get(0)).contains("event_type Ping: payload does not fit Ping (field \"count\")");
			assertThat(logs.lines().get(1)).contains("event_type Note: invalid field \"event_id\": Invalid UUID");
			assertThat(logs.lines().get(2)).contains("invalid field \"event_created_at\"");
			assertThat(logs.lines().get(3)).contains("not valid JSON");
		}
	}

}
