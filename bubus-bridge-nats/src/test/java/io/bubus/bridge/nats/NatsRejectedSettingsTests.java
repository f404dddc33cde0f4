package io.bubus.bridge.nats;

import java.nio.file.Path;

import io.bubus.bridge.RejectedSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NatsRejectedSettingsTests {

	@TempDir
	Path dir;

	@Test
	void aBridgeWhoseSettingsAreRejectedLeavesItsNameToTheNextBridge() {
		RejectedSettings.leaveTheNameToTheNextBridge(this.dir, "nats",
				(name) -> new NatsEventBridge("nats://127.0.0.1:4222", "events.>", name));
	}

}
