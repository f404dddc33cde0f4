package io.bubus.spring.autoconfigure.health;

import java.time.Duration;

import io.bubus.bridge.EventBridge;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The health of one bridge: {@code DOWN} when it has receivers but is not listening
 * (closed, or its listener failed to start); {@code OUT_OF_SERVICE} for the failed-sends
 * window after its count of failed sends last grew (a batch it could not send); otherwise
 * {@code UP}. Details: type, listening, received and dropped messages, pending and failed
 * sends.
 * <p>
 * The count is sampled at each health check; the indicator's own monitor guards the last
 * sample and when it last grew, and nothing else is done under it.
 */
final class EventBridgeHealthIndicator implements HealthIndicator {

	private final EventBridge bridge;

	private final long windowNanos;

	private long lastFailedSends;

	private long lastFailureSeenAt;

	private boolean failureSeen;

	EventBridgeHealthIndicator(EventBridge bridge, Duration failedSendsWindow) {
		this.bridge = bridge;
		this.windowNanos = failedSendsWindow.toNanos();
	}

	@Override
	public Health health() {
		boolean listening = this.bridge.isStarted();
		long failedSends = this.bridge.failedSends();
		boolean failingRecently = sampleFailures(failedSends, System.nanoTime());
		Health.Builder builder;
		if (this.bridge.hasReceivers() && !listening) {
			builder = Health.down().withDetail("reason", "the bridge has receivers but is not listening");
		}
		else if (failingRecently) {
			builder = Health.outOfService()
				.withDetail("reason", "sends failed within the last " + Duration.ofNanos(this.windowNanos));
		}
		else {
			builder = Health.up();
		}
		return builder.withDetail("type", this.bridge.getClass().getSimpleName())
			.withDetail("listening", listening)
			.withDetail("received", this.bridge.receivedMessages())
			.withDetail("dropped", this.bridge.droppedMessages())
			.withDetail("pending_sends", this.bridge.pendingSends())
			.withDetail("failed_sends", failedSends)
			.build();
	}

	private synchronized boolean sampleFailures(long failedSends, long now) {
		if (failedSends > this.lastFailedSends) {
			this.lastFailedSends = failedSends;
			this.lastFailureSeenAt = now;
			this.failureSeen = true;
		}
		return this.failureSeen && now - this.lastFailureSeenAt < this.windowNanos;
	}

}
