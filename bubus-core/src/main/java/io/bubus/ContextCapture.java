package io.bubus;

import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import org.jspecify.annotations.Nullable;

/**
 * Captures the caller's thread-local context (every {@code ThreadLocalAccessor} in the
 * global {@link ContextRegistry}) at emit and restores it around each handler.
 */
final class ContextCapture {

	private static final ContextRegistry REGISTRY = ContextRegistry.getInstance();

	// clearMissing: a thread-local the emitter had no value for is cleared around the
	// handler, so a value a previous handler left on a reused thread does not leak in
	private static final ContextSnapshotFactory FACTORY = ContextSnapshotFactory.builder()
		.contextRegistry(REGISTRY)
		.clearMissing(true)
		.build();

	private static final ContextSnapshot.Scope NOOP = () -> {
	};

	private ContextCapture() {
	}

	static @Nullable ContextSnapshot capture() {
		if (REGISTRY.getThreadLocalAccessors().isEmpty()) {
			return null;
		}
		return FACTORY.captureAll();
	}

	static ContextSnapshot.Scope restore(@Nullable ContextSnapshot snapshot) {
		return (snapshot != null) ? snapshot.setThreadLocals() : NOOP;
	}

}
