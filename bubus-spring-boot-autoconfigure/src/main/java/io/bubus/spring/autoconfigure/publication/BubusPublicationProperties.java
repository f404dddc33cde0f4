package io.bubus.spring.autoconfigure.publication;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties of the publication log ({@code bubus.publications.*}).
 *
 * {@snippet lang = yaml :
 * bubus:
 *   publications:
 *     enabled: true
 *     republish-on-restart: true
 *     instance-id: ${HOSTNAME}
 *     max-attempts: 5
 *     retention: 7d
 *     completion-mode: archive
 * }
 *
 * @author bubus-java
 * @since 0.1.0
 */
@ConfigurationProperties("bubus.publications")
public class BubusPublicationProperties {

	/**
	 * Whether events emitted inside a Spring-managed transaction are written to the
	 * publication log in that transaction and dispatched after commit. Needs a single
	 * DataSource.
	 */
	private boolean enabled;

	/**
	 * Whether the application resubmits incomplete publications when it starts: those of
	 * an earlier run with the same instance-id at once, the others once their lease
	 * expired.
	 */
	private boolean republishOnRestart;

	/**
	 * Name of this application instance in the log's claim column. Give each replica a
	 * stable one (a pod or host name) so that a restarted instance resumes its own
	 * unfinished publications at once instead of after the lease; empty = a random id per
	 * start.
	 */
	private @Nullable String instanceId;

	/**
	 * How long a claim on a publication lasts without renewal. The instance that
	 * dispatches a publication renews its claims on every check; another instance takes a
	 * publication over only when its lease expired.
	 */
	private Duration lease = Duration.ofMinutes(5);

	/**
	 * How often the log is checked for due resubmissions, expired leases, stale
	 * publications and retention; 0 = never (resubmit through EventPublications only).
	 */
	private Duration checkInterval = Duration.ofSeconds(30);

	/**
	 * Delay before the first resubmission of a failed handler; each further attempt waits
	 * backoff-multiplier times longer, at most max-backoff.
	 */
	private Duration backoff = Duration.ofSeconds(10);

	/**
	 * Factor between the delays of consecutive resubmissions.
	 */
	private double backoffMultiplier = 2.0;

	/**
	 * Longest delay between two resubmissions.
	 */
	private Duration maxBackoff = Duration.ofHours(1);

	/**
	 * Attempts (the first dispatch included) after which a failed handler is no longer
	 * resubmitted on the schedule; EventPublications.resubmit still runs it.
	 */
	private int maxAttempts = 10;

	/**
	 * Incomplete publications older than this are reported stale (a warning on each check
	 * and the bubus.publications.stale gauge); 0 = off.
	 */
	private Duration stalenessThreshold = Duration.ofHours(1);

	/**
	 * How long completed publications (with their results) stay queryable before the
	 * completion mode applies to them.
	 */
	private Duration retention = Duration.ofDays(7);

	/**
	 * What happens to a completed publication once the retention has passed: delete it,
	 * move it to the archive tables, or keep it.
	 */
	private CompletionMode completionMode = CompletionMode.DELETE;

	/**
	 * Whether to create the log's tables when they do not exist (CREATE TABLE IF NOT
	 * EXISTS, at startup).
	 */
	private boolean initializeSchema = true;

	/**
	 * Most publications claimed for resubmission in one check.
	 */
	private int batchSize = 100;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public boolean isRepublishOnRestart() {
		return this.republishOnRestart;
	}

	public void setRepublishOnRestart(boolean republishOnRestart) {
		this.republishOnRestart = republishOnRestart;
	}

	public @Nullable String getInstanceId() {
		return this.instanceId;
	}

	public void setInstanceId(@Nullable String instanceId) {
		this.instanceId = instanceId;
	}

	public Duration getLease() {
		return this.lease;
	}

	public void setLease(Duration lease) {
		this.lease = lease;
	}

	public Duration getCheckInterval() {
		return this.checkInterval;
	}

	public void setCheckInterval(Duration checkInterval) {
		this.checkInterval = checkInterval;
	}

	public Duration getBackoff() {
		return this.backoff;
	}

	public void setBackoff(Duration backoff) {
		this.backoff = backoff;
	}

	public double getBackoffMultiplier() {
		return this.backoffMultiplier;
	}

	public void setBackoffMultiplier(double backoffMultiplier) {
		this.backoffMultiplier = backoffMultiplier;
	}

	public Duration getMaxBackoff() {
		return this.maxBackoff;
	}

	public void setMaxBackoff(Duration maxBackoff) {
		this.maxBackoff = maxBackoff;
	}

	public int getMaxAttempts() {
		return this.maxAttempts;
	}

	public void setMaxAttempts(int maxAttempts) {
		this.maxAttempts = maxAttempts;
	}

	public Duration getStalenessThreshold() {
		return this.stalenessThreshold;
	}

	public void setStalenessThreshold(Duration stalenessThreshold) {
		this.stalenessThreshold = stalenessThreshold;
	}

	public Duration getRetention() {
		return this.retention;
	}

	public void setRetention(Duration retention) {
		this.retention = retention;
	}

	public CompletionMode getCompletionMode() {
		return this.completionMode;
	}

	public void setCompletionMode(CompletionMode completionMode) {
		this.completionMode = completionMode;
	}

	public boolean isInitializeSchema() {
		return this.initializeSchema;
	}

	public void setInitializeSchema(boolean initializeSchema) {
		this.initializeSchema = initializeSchema;
	}

	public int getBatchSize() {
		return this.batchSize;
	}

	public void setBatchSize(int batchSize) {
		this.batchSize = batchSize;
	}

	/** What happens to a completed publication once the retention has passed. */
	public enum CompletionMode {

		/** Delete its rows. */
		DELETE,

		/** Move its rows to the {@code _archive} tables. */
		ARCHIVE,

		/** Keep its rows. */
		KEEP

	}

}
