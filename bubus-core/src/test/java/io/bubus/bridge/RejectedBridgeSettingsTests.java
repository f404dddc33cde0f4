package io.bubus.bridge;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * A bridge whose constructor rejects its settings does not keep its name: the next bridge
 * with that name gets it as asked, not a suffixed one.
 */
class RejectedBridgeSettingsTests {

	@TempDir
	Path dir;

	static Stream<Arguments> rejectedSettings() {
		return Stream.of(rejected("redis", (name) -> new RedisEventBridge("http://127.0.0.1:6379/0", null, name)),
				rejected("nats", (name) -> new NatsEventBridge("nats://127.0.0.1:4222", "events.>", name)),
				rejected("postgres", (name) -> new PostgresEventBridge("mysql://127.0.0.1/test", null, name)),
				rejected("rabbitmq",
						(name) -> new RabbitMqEventBridge(URI.create("http://127.0.0.1:5672"), "q", null, name)),
				rejected("http", (name) -> new HttpEventBridge(URI.create("ftp://127.0.0.1/events"), null, name, null)),
				rejected("jsonl", (name) -> new JsonlEventBridge(Path.of("events.jsonl"), Duration.ZERO, name, false)),
				rejected("socket", (name) -> new SocketEventBridge(Path.of(""), name)),
				rejected("sqlite", (name) -> new SqliteEventBridge(Path.of("events.db"), "bad table",
						Duration.ofSeconds(1), name)));
	}

	private static Arguments rejected(String type, Function<String, EventBridge> create) {
		return Arguments.of(type, create);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("rejectedSettings")
	void aBridgeWhoseSettingsAreRejectedLeavesItsNameToTheNextBridge(String type,
			Function<String, EventBridge> create) {
		String name = BridgeTesting.randomName(type);
		assertThatIllegalArgumentException().isThrownBy(() -> create.apply(name));
		try (JsonlEventBridge next = new JsonlEventBridge(this.dir.resolve("next.jsonl"), Duration.ofSeconds(1), name,
				false)) {
			assertThat(next.name()).isEqualTo(name);
		}
	}

}
