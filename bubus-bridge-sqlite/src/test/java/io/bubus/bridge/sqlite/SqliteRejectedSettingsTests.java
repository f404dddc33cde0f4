package io.bubus.bridge.sqlite;

import java.nio.file.Path;
import java.time.Duration;

import io.bubus.bridge.RejectedSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteRejectedSettingsTests {

	@TempDir
	Path dir;

	@Test
	void aBridgeWhoseSettingsAreRejectedLeavesItsNameToTheNextBridge() {
		RejectedSettings.leaveTheNameToTheNextBridge(this.dir, "sqlite",
				(name) -> new SqliteEventBridge(Path.of("events.db"), "bad table", Duration.ofSeconds(1), name));
	}

}
