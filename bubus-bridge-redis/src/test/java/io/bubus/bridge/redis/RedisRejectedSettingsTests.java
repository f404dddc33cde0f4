package io.bubus.bridge.redis;

import java.nio.file.Path;

import io.bubus.bridge.RejectedSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedisRejectedSettingsTests {

	@TempDir
	Path dir;

	@Test
	void aBridgeWhoseSettingsAreRejectedLeavesItsNameToTheNextBridge() {
		RejectedSettings.leaveTheNameToTheNextBridge(this.dir, "redis",
				(name) -> new RedisEventBridge("http://127.0.0.1:6379/0", null, name));
	}

}
