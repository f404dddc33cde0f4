package io.bubus.spring.autoconfigure.publication;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Runs the log's checks on one daemon thread of its own: at start when
 * {@code republish-on-restart} is set, then every {@code check-interval}. Starts after
 * the buses (handlers are registered by then) and stops before them.
 */
final class PublicationScheduler implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(PublicationScheduler.class);

	/** After the buses' lifecycle (DEFAULT_PHASE - 4096) starts, before it stops. */
	static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 2048;

	private final EventPublications publications;

	private final BubusPublicationProperties properties;

	private @Nullable ScheduledExecutorService executor;

	PublicationScheduler(EventPublications publications, BubusPublicationProperties properties) {
		this.publications = publications;
		this.properties = properties;
	}

	@Override
	public synchronized void start() {
		if (this.executor != null) {
			return;
		}
		ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "bubus-publications");
			thread.setDaemon(true);
			return thread;
		});
		this.executor = executor;
		if (this.properties.isRepublishOnRestart()) {
			executor.execute(() -> check(true));
		}
		Duration interval = this.properties.getCheckInterval();
		if (!interval.isZero() && !interval.isNegative()) {
			executor.scheduleWithFixedDelay(() -> check(false), interval.toMillis(), interval.toMillis(),
					TimeUnit.MILLISECONDS);
		}
	}

	private void check(boolean restart) {
		try {
			this.publications.check(restart);
		}
		catch (RuntimeException ex) {
			// the next check tries again; a broken database must not end the schedule
			log.warn("Publication log check failed: {}", ex.getMessage(), ex);
		}
	}

	@Override
	public synchronized void stop() {
		ScheduledExecutorService executor = this.executor;
		this.executor = null;
		if (executor == null) {
			return;
		}
		executor.shutdownNow();
		try {
			if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
				log.warn("The publication log check did not end within 10s of shutdown");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.executor != null;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
