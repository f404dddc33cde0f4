package io.bubus.spring.autoconfigure.publication;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The publication log of events emitted inside transactions: find publications (with
 * their handlers' results) and resubmit the handlers that did not complete them. A bean
 * when {@code bubus.publications.enabled=true}.
 *
 * {@snippet :
 * // resubmit every incomplete OrderPlaced publication older than a minute
 * publications.resubmitIncomplete((publication) -> publication.eventType().equals("OrderPlaced")
 * 		&& publication.publishedAt().isBefore(Instant.now().minusSeconds(60)));
 * }
 *
 * A resubmission runs only the handlers whose row is not completed, with the event's
 * original id, on the bus it was emitted on. It first claims the publication in the
 * database, so two instances sharing the log never resubmit the same publication at the
 * same time, and a publication still being dispatched is left alone.
 *
 * @author bubus-java
 * @since 0.1.0
 */
public class EventPublications {

	private static final Logger log = LoggerFactory.getLogger(EventPublications.class);

	private static final int FIND_LIMIT = 1000;

	private final PublicationDispatcher dispatcher;

	private final BubusPublicationProperties properties;

	EventPublications(PublicationDispatcher dispatcher, BubusPublicationProperties properties) {
		this.dispatcher = dispatcher;
		this.properties = properties;
	}

	/** The publication of this event, with its handler rows, while the log holds it. */
	public Optional<EventPublication> find(String eventId) {
		return store().find(eventId);
	}

	/**
	 * Publications with a handler that did not complete them, oldest first (at most
	 * 1000).
	 */
	public List<EventPublication> findIncomplete() {
		return find(Selection.INCOMPLETE, null, FIND_LIMIT);
	}

	/** Incomplete publications with a failed handler, oldest first (at most 1000). */
	public List<EventPublication> findFailed() {
		return find(Selection.FAILED, null, FIND_LIMIT);
	}

	/** The most recently completed publications, with their results, newest first. */
	public List<EventPublication> findCompleted(int limit) {
		return find(Selection.COMPLETED, null, limit);
	}

	/**
	 * Incomplete publications older than {@code bubus.publications.staleness-threshold}
	 * (none when it is 0), oldest first (at most 1000).
	 */
	public List<EventPublication> findStale() {
		return find(Selection.STALE, null, FIND_LIMIT);
	}

	/**
	 * Publications of one selection, of one event type unless {@code eventType} is
	 * {@code null}: incomplete, failed and stale ones oldest first, completed ones most
	 * recently completed first.
	 * @param selection which publications
	 * @param eventType the event type they have, or {@code null} for any
	 * @param limit the most to return
	 * @return the publications with their handler rows
	 */
	public List<EventPublication> find(Selection selection, @Nullable String eventType, int limit) {
		return store().find(selection, eventType, staleBefore(), limit);
	}

	/** How many publications the log holds, by selection, read from the database. */
	public Counts counts() {
		return store().counts(staleBefore());
	}

	private @Nullable Instant staleBefore() {
		Duration threshold = this.properties.getStalenessThreshold();
		if (threshold.isZero() || threshold.isNegative()) {
			return null;
		}
		return this.dispatcher.now().minus(threshold);
	}

	/**
	 * Resubmits the incomplete publications the filter accepts (no schedule, no attempt
	 * limit); returns how many were handed to their bus. Publications another dispatch
	 * holds are skipped.
	 */
	public int resubmitIncomplete(Predicate<EventPublication> filter) {
		int count = 0;
		for (EventPublication publication : findIncomplete()) {
			if (filter.test(publication) && resubmit(publication.eventId())) {
				count++;
			}
		}
		return count;
	}

	/** Resubmits the incomplete publications published longer than {@code age} ago. */
	public int resubmitIncompleteOlderThan(Duration age) {
		Instant before = this.dispatcher.now().minus(age);
		return resubmitIncomplete((publication) -> publication.publishedAt().isBefore(before));
	}

	/**
	 * Resubmits one publication to its handlers that did not complete it; false when it
	 * is unknown, completed, or being dispatched (here or by another instance).
	 */
	public boolean resubmit(String eventId) {
		if (!store().claimOne(eventId, this.dispatcher.instanceId(), this.dispatcher.now())) {
			return false;
		}
		return resubmitClaimedById(eventId);
	}

	/** One scheduled check: renew leases, resubmit what is due, report stale, purge. */
	void check(boolean restart) {
		PublicationStore store = store();
		Instant now = this.dispatcher.now();
		store.renewLeases(this.dispatcher.instanceId(), this.dispatcher.dispatchingEventIds(), now);
		List<String> claimed = store.claimDue(this.dispatcher.instanceId(), now, this.properties.getBatchSize(),
				restart);
		for (String eventId : claimed) {
			resubmitClaimedById(eventId);
		}
		Instant staleBefore = staleBefore();
		if (staleBefore != null) {
			long stale = store.countPublishedBefore(staleBefore);
			if (stale > 0) {
				log.warn(
						"{} publication(s) older than {} are still incomplete; see EventPublications.findStale() "
								+ "or GET /actuator/bubus/publications?status=stale",
						stale, this.properties.getStalenessThreshold());
			}
		}
		int purged = store.purgeCompleted(now);
		if (purged > 0) {
			log.debug("Applied completion mode {} to {} completed publication(s)", this.properties.getCompletionMode(),
					purged);
		}
	}

	private boolean resubmitClaimedById(String eventId) {
		Optional<EventPublication> publication = store().find(eventId);
		if (publication.isEmpty() || publication.get().isCompleted()) {
			store().unclaim(eventId, this.dispatcher.instanceId(), null);
			return false;
		}
		return this.dispatcher.resubmitClaimed(publication.get());
	}

	PublicationDispatcher dispatcher() {
		return this.dispatcher;
	}

	private PublicationStore store() {
		return this.dispatcher.store();
	}

	/** Which publications {@link #find(Selection, String, int)} returns. */
	public enum Selection {

		/** Those with a handler that did not complete them (failed or never finished). */
		INCOMPLETE,

		/** Incomplete ones with a handler whose last run failed. */
		FAILED,

		/** Incomplete ones published longer than the staleness threshold ago. */
		STALE,

		/** Those every handler completed, until the retention removes them. */
		COMPLETED

	}

	/**
	 * How many publications the log holds.
	 *
	 * @param incomplete those with a handler that did not complete them
	 * @param failed incomplete ones with a failed handler
	 * @param stale incomplete ones older than the staleness threshold (0 when it is off)
	 * @param completed completed ones the retention has not removed yet
	 * @param oldestIncomplete when the oldest incomplete one was published, if any
	 */
	public record Counts(long incomplete, long failed, long stale, long completed, @Nullable Instant oldestIncomplete) {
	}

}
