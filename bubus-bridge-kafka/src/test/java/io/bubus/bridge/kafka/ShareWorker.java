package io.bubus.bridge.kafka;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.bubus.DynamicEvent;

/**
 * A child JVM sharing a topic's events with the test's instances: listens in a consumer
 * group and appends the label of each {@code Note} it handles to a file (one unbuffered
 * write per event, so what it handled is on record when it is killed), writes a ready
 * file once listening, and runs until killed (at most 120 s).
 * <p>
 * Arguments: bootstrap servers, topic, group, output file, ready file.
 */
public final class ShareWorker {

	private ShareWorker() {
	}

	public static void main(String[] args) throws Exception {
		Path ready = Path.of(args[4]);
		try (FileOutputStream out = new FileOutputStream(args[3], true);
				KafkaEventBridge bridge = new KafkaEventBridge(args[0], null, args[1], "ShareWorker").group(args[2])) {
			bridge.on("Note", (event) -> {
				try {
					out.write((((DynamicEvent) event).get("label") + "\n").getBytes(StandardCharsets.UTF_8));
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
				return null;
			});
			Files.writeString(ready, "listening");
			new CountDownLatch(1).await(120, TimeUnit.SECONDS);
		}
		System.exit(0);
	}

}
