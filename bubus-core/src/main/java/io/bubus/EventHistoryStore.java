package io.bubus;

import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

/**
 * Durable history: completed events kept outside the JVM, so that history survives a
 * restart and {@link EventBus#find(Class)} can look past the in-memory window. Set with
 * {@code EventBus.builder(name).historyStore(store)}: the bus saves every event when it
 * completes on the bus, keyed by the bus <em>name</em> (a restarted bus with the same
 * name sees the earlier run's events), and {@code find} with a past window searches the
 * store, newest first, when the in-memory history has no match. Parent links of
 * {@link Find#childOf(BaseEvent)} are followed through the store too.
 * <p>
 * Events are stored as bubus JSON with their results ({@link BaseEvent#toJson()}), so
 * another runtime can read them. JDBC implementations for PostgreSQL and SQLite are in
 * {@code io.bubus.history}. Implementations must be thread-safe. A failing {@link #save}
 * is logged by the bus and does not affect the event.
 */
public interface EventHistoryStore extends AutoCloseable {

	/**
	 * Stores a completed event of a bus, replacing an earlier copy of the same event id
	 * for that bus.
	 * @param busName the name of the bus the event completed on
	 * @param event the event
	 */
	void save(String busName, BaseEvent<?> event);

	/**
	 * The stored JSON of one event of a bus.
	 * @param busName the bus name
	 * @param eventId the event id
	 * @return the event's bubus JSON, or empty
	 */
	Optional<String> get(String busName, String eventId);

	/**
	 * Stored events of a bus, newest first (by {@code event_created_at}), read lazily in
	 * pages as the stream is consumed.
	 * @param busName the bus name
	 * @param eventType only this event type, or {@code null} for every type
	 * @param createdSince only events created at or after this instant, or {@code null}
	 * @return the events' bubus JSON
	 */
	Stream<String> newestFirst(String busName, @Nullable String eventType, @Nullable Instant createdSince);

	/**
	 * Deletes stored events of every bus created before the instant.
	 * @param createdBefore the cutoff
	 * @return the number of events deleted
	 */
	int deleteCreatedBefore(Instant createdBefore);

	/** Releases the store's connections; idempotent. */
	@Override
	void close();

}
