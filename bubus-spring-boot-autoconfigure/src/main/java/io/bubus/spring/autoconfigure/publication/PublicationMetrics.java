package io.bubus.spring.autoconfigure.publication;

import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Meters of the publication log: gauges {@code bubus.publications.pending} (incomplete
 * publications), {@code bubus.publications.failed} (incomplete ones with a failed
 * handler) and {@code bubus.publications.stale}; counters
 * {@code bubus.publications.resubmitted}, {@code bubus.publications.completed} and
 * {@code bubus.publications.handler.failures}. The gauges count rows in the database, at
 * most once per 5 seconds however often they are scraped.
 */
final class PublicationMetrics implements MeterBinder {

	private static final long REFRESH_NANOS = 5_000_000_000L;

	private final EventPublications publications;

	private final BubusPublicationProperties properties;

	private long refreshedAt;

	private boolean refreshed;

	private double pending;

	private double failed;

	private double stale;

	PublicationMetrics(EventPublications publications, BubusPublicationProperties properties) {
		this.publications = publications;
		this.properties = properties;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		gauge(registry, "bubus.publications.pending", "Publications with a handler that did not complete them",
				(metrics) -> metrics.counts()[0]);
		gauge(registry, "bubus.publications.failed", "Incomplete publications with a failed handler",
				(metrics) -> metrics.counts()[1]);
		gauge(registry, "bubus.publications.stale", "Incomplete publications older than the staleness threshold",
				(metrics) -> metrics.counts()[2]);
		PublicationDispatcher dispatcher = this.publications.dispatcher();
		FunctionCounter.builder("bubus.publications.resubmitted", dispatcher, PublicationDispatcher::resubmittedCount)
			.description("Publications handed to their bus again")
			.register(registry);
		FunctionCounter.builder("bubus.publications.completed", dispatcher, PublicationDispatcher::completedCount)
			.description("Publications whose last incomplete handler completed")
			.register(registry);
		FunctionCounter
			.builder("bubus.publications.handler.failures", dispatcher, PublicationDispatcher::failedRunCount)
			.description("Failed handler runs of publications")
			.register(registry);
	}

	private void gauge(MeterRegistry registry, String name, String description,
			ToDoubleFunction<PublicationMetrics> value) {
		Gauge.builder(name, this, value).description(description).register(registry);
	}

	private synchronized double[] counts() {
		long now = System.nanoTime();
		if (!this.refreshed || now - this.refreshedAt > REFRESH_NANOS) {
			this.refreshed = true;
			this.refreshedAt = now;
			PublicationStore store = this.publications.dispatcher().store();
			try {
				this.pending = store.countIncomplete();
				this.failed = store.countFailed();
				this.stale = this.properties.getStalenessThreshold().isZero() ? 0 : store.countPublishedBefore(
						this.publications.dispatcher().now().minus(this.properties.getStalenessThreshold()));
			}
			catch (RuntimeException ex) {
				return new double[] { Double.NaN, Double.NaN, Double.NaN };
			}
		}
		return new double[] { this.pending, this.failed, this.stale };
	}

}
