package io.bubus.spring.autoconfigure.publication;

import java.time.Duration;
import java.time.Instant;
import java.util.function.ToDoubleFunction;

import io.bubus.spring.autoconfigure.publication.EventPublications.Counts;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

/**
 * Meters of the publication log. Gauges, read from the database (the whole log, every
 * instance sharing it): {@code bubus.publications.pending} (incomplete publications),
 * {@code bubus.publications.failed} (incomplete ones with a failed handler),
 * {@code bubus.publications.stale} (incomplete ones older than the staleness threshold),
 * {@code bubus.publications.retained} (completed ones the retention keeps) and
 * {@code bubus.publications.oldest.age} (seconds since the oldest incomplete one was
 * published, 0 when there is none). Counters of this instance:
 * {@code bubus.publications.resubmitted}, {@code bubus.publications.completed} and
 * {@code bubus.publications.handler.failures}. The gauges query the database at most once
 * per 5 seconds however often they are scraped, and are NaN while it cannot be read.
 */
final class PublicationMetrics implements MeterBinder {

	private static final long REFRESH_NANOS = Duration.ofSeconds(5).toNanos();

	private final EventPublications publications;

	private long refreshedAt;

	private boolean refreshed;

	/** The last counts read, {@code null} when the last read failed. */
	private @Nullable Counts counts;

	PublicationMetrics(EventPublications publications) {
		this.publications = publications;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		gauge(registry, "bubus.publications.pending", "Publications with a handler that did not complete them",
				(counts) -> counts.incomplete());
		gauge(registry, "bubus.publications.failed", "Incomplete publications with a failed handler",
				(counts) -> counts.failed());
		gauge(registry, "bubus.publications.stale", "Incomplete publications older than the staleness threshold",
				(counts) -> counts.stale());
		gauge(registry, "bubus.publications.retained", "Completed publications the retention keeps",
				(counts) -> counts.completed());
		Gauge.builder("bubus.publications.oldest.age", this, (metrics) -> metrics.value(this::oldestAge))
			.description("Seconds since the oldest incomplete publication was published")
			.baseUnit("seconds")
			.register(registry);
		PublicationDispatcher dispatcher = this.publications.dispatcher();
		FunctionCounter.builder("bubus.publications.resubmitted", dispatcher, PublicationDispatcher::resubmittedCount)
			.description("Publications handed to their bus again by this instance")
			.register(registry);
		FunctionCounter.builder("bubus.publications.completed", dispatcher, PublicationDispatcher::completedCount)
			.description("Publications whose last incomplete handler completed on this instance")
			.register(registry);
		FunctionCounter
			.builder("bubus.publications.handler.failures", dispatcher, PublicationDispatcher::failedRunCount)
			.description("Failed handler runs of publications on this instance")
			.register(registry);
	}

	private void gauge(MeterRegistry registry, String name, String description, ToDoubleFunction<Counts> value) {
		Gauge.builder(name, this, (metrics) -> metrics.value(value)).description(description).register(registry);
	}

	private double oldestAge(Counts counts) {
		Instant oldest = counts.oldestIncomplete();
		if (oldest == null) {
			return 0;
		}
		return Math.max(0, Duration.between(oldest, this.publications.dispatcher().now()).toMillis() / 1000.0);
	}

	private synchronized double value(ToDoubleFunction<Counts> value) {
		long now = System.nanoTime();
		if (!this.refreshed || now - this.refreshedAt > REFRESH_NANOS) {
			this.refreshed = true;
			this.refreshedAt = now;
			try {
				this.counts = this.publications.counts();
			}
			catch (RuntimeException ex) {
				this.counts = null;
			}
		}
		Counts counts = this.counts;
		return (counts != null) ? value.applyAsDouble(counts) : Double.NaN;
	}

}
