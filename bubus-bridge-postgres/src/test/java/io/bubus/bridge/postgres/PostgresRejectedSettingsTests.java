package io.bubus.bridge.postgres;

import java.nio.file.Path;

import io.bubus.bridge.RejectedSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresRejectedSettingsTests {

	@TempDir
	Path dir;

	@Test
	void aBridgeWhoseSettingsAreRejectedLeavesItsNameToTheNextBridge() {
		RejectedSettings.leaveTheNameToTheNextBridge(this.dir, "postgres",
				(name) -> new PostgresEventBridge("mysql://127.0.0.1/test", null, name));
	}

}
