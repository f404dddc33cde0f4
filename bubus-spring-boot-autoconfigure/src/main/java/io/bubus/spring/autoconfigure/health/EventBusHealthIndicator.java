package io.bubus.spring.autoconfigure.health;

import io.bubus.EventBus;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The health of one bus: {@code DOWN} once it is stopped; {@code OUT_OF_SERVICE} when it
 * refuses events once its history is full ({@code max-history-drop=false}) and the
 * history has reached the threshold share of its bound; otherwise {@code UP}. A bus that
 * drops old history (the starter's default) sits at its bound in normal operation, so
 * that is only a detail. Details: queue and history sizes, the bound and the drop
 * setting.
 */
final class EventBusHealthIndicator implements HealthIndicator {

	private final EventBus bus;

	private final double historyThreshold;

	EventBusHealthIndicator(EventBus bus, double historyThreshold) {
		this.bus = bus;
		this.historyThreshold = historyThreshold;
	}

	@Override
	public Health health() {
		int historySize = this.bus.eventHistory().size();
		Integer max = this.bus.maxHistorySize();
		Health.Builder builder;
		if (this.bus.isStopped()) {
			builder = Health.down().withDetail("reason", "the bus is stopped");
		}
		else if (max != null && max > 0 && !this.bus.maxHistoryDrop()
				&& historySize >= Math.ceil(max * this.historyThreshold)) {
			builder = Health.outOfService()
				.withDetail("reason", "history holds " + historySize + " of " + max
						+ " events; new events are refused once it is full (max-history-drop=false)");
		}
		else {
			builder = Health.up();
		}
		builder.withDetail("label", this.bus.label())
			.withDetail("queue_size", this.bus.queueSize())
			.withDetail("history_size", historySize)
			.withDetail("max_history_drop", this.bus.maxHistoryDrop());
		if (max != null) {
			builder.withDetail("max_history_size", max);
		}
		return builder.build();
	}

}
