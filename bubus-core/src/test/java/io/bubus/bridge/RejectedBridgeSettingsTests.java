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

/**
 * A bridge whose constructor rejects its settings does not keep its name: the next bridge
 * with that name gets it as asked, not a suffixed one. (The bridges in their own
 * artifacts check this with {@link RejectedSettings} there.)
 */
class RejectedBridgeSettingsTests {

	@TempDir
	Path dir;

	static Stream<Arguments> rejectedSettings() {
		return Stream.of(
				rejected("http", (name) -> new HttpEventBridge(URI.create("ftp://127.0.0.1/events"), null, name, null)),
				rejected("jsonl", (name) -> new JsonlEventBridge(Path.of("events.jsonl"), Duration.ZERO, name, false)),
				rejected("socket", (name) -> new SocketEventBridge(Path.of(""), name)));
	}

	private static Arguments rejected(String type, Function<String, EventBridge> create) {
		return Arguments.of(type, create);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("rejectedSettings")
	void aBridgeWhoseSettingsAreRejectedLeavesItsNameToTheNextBridge(String type,
			Function<String, EventBridge> create) {
		RejectedSettings.leaveTheNameToTheNextBridge(this.dir, type, create);
	}

}
