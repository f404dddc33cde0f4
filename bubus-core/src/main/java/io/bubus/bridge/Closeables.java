package io.bubus.bridge;

import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * Closing connections that may already be broken, where a failure to close changes
 * nothing.
 */
final class Closeables {

	private Closeables() {
	}

	static void closeQuietly(@Nullable AutoCloseable closeable) {
		if (closeable == null) {
			return;
		}
		try {
			closeable.close();
		}
		catch (Exception ex) {
			LoggerFactory.getLogger(Closeables.class).debug("could not close {}: {}", closeable, ex.toString());
		}
	}

}
