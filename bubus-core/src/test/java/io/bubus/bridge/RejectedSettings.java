package io.bubus.bridge;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The check that a bridge whose constructor rejects its settings does not keep its name:
 * the next bridge with that name gets it as asked, not a suffixed one.
 */
public final class RejectedSettings {

	private RejectedSettings() {
	}

	/**
	 * Creates a bridge with {@code create} (which must reject its settings), then a JSONL
	 * bridge in {@code dir} with the same name, and checks it got that name.
	 */
	public static void leaveTheNameToTheNextBridge(Path dir, String type, Function<String, EventBridge> create) {
		String name = BridgeTesting.randomName(type);
		assertThatIllegalArgumentException().isThrownBy(() -> create.apply(name));
		try (JsonlEventBridge next = new JsonlEventBridge(dir.resolve("next.jsonl"), Duration.ofSeconds(1), name,
				false)) {
			assertThat(next.name()).isEqualTo(name);
		}
	}

}
