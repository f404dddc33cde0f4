package io.bubus.spring.autoconfigure.publication;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * An event emitted inside a transaction, as the publication log holds it: the event's
 * bubus JSON as it was emitted and one {@link HandlerPublication} per handler that runs
 * it.
 *
 * @param eventId the event id (the resubmitted event keeps it)
 * @param busName the bus (bean) name it was emitted on
 * @param eventType the event type
 * @param eventClassName the Java class the event is read back as
 * @param eventJson the event as bubus JSON, as emitted (no results)
 * @param publishedAt when the emitting transaction wrote it
 * @param completedAt when its last handler completed
 * @param nextAttemptAt when the schedule resubmits it next; {@code null} once completed
 * or when every incomplete handler used up its attempts
 * @param claimedBy the instance dispatching it now, if any
 * @param claimedUntil until when that claim holds
 * @param resubmissions how many times it was resubmitted
 * @param handlers its handler rows, by handler key
 * @author bubus-java
 * @since 0.1.0
 */
public record EventPublication(String eventId, String busName, String eventType, String eventClassName,
		String eventJson, Instant publishedAt, @Nullable Instant completedAt, @Nullable Instant nextAttemptAt,
		@Nullable String claimedBy, @Nullable Instant claimedUntil, int resubmissions,
		List<HandlerPublication> handlers) {

	/** Whether every handler completed the event. */
	public boolean isCompleted() {
		return this.completedAt != null;
	}

	/** Whether a handler's last run failed. */
	public boolean hasFailedHandler() {
		return this.handlers.stream().anyMatch((handler) -> handler.status() == HandlerPublication.Status.FAILED);
	}

	/** The handlers that did not complete it (failed or never finished). */
	public List<HandlerPublication> incompleteHandlers() {
		return this.handlers.stream().filter((handler) -> !handler.isCompleted()).toList();
	}

}
