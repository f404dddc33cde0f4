package io.bubus.bridge.rabbitmq;

import java.net.URI;
import java.nio.file.Path;

import io.bubus.bridge.RejectedSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RabbitMqRejectedSettingsTests {

	@TempDir
	Path dir;

	@Test
	void aBridgeWhoseSettingsAreRejectedLeavesItsNameToTheNextBridge() {
		RejectedSettings.leaveTheNameToTheNextBridge(this.dir, "rabbitmq",
				(name) -> new RabbitMqEventBridge(URI.create("http://127.0.0.1:5672"), "q", null, name));
	}

}
