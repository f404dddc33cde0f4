package io.bubus.spring.autoconfigure.publication;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.bubus.BaseEvent;
import io.bubus.DynamicEvent;
import io.bubus.EventBus;
import io.bubus.EventResult;
import io.bubus.PendingEmit;
import io.bubus.ResultStatus;
import io.bubus.json.BubusJson;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dispatches publications and writes what their handlers did: the first dispatch after
 * the emitting transaction committed, and every resubmission of the handlers that did not
 * complete.
 * <p>
 * Threads: {@link #dispatchCommitted} runs on the committing thread (Spring's
 * afterCommit), {@link #resubmitClaimed} on the scheduler thread or the caller of
 * {@link EventPublications}, {@link #handlerFinished}/{@link #eventFinished} on the
 * threads the bus reports results on. They share only {@link #inFlight} (a concurrent
 * map; an entry is added before the bus takes the event and removed by the event's
 * completion hook) and the database, where the claim columns decide who dispatches a
 * publication (see {@link PublicationStore}). No lock is held while a bus runs.
 */
final class PublicationDispatcher {

	private static final Logger log = LoggerFactory.getLogger(PublicationDispatcher.class);

	/** Set while this thread resubmits: the emit interceptor lets that emit through. */
	private static final ThreadLocal<Boolean> RESUBMITTING = new ThreadLocal<>();

	private final PublicationStore store;

	private final String instanceId;

	private final Clock clock;

	private final Function<String, @Nullable EventBus> buses;

	/** Publications this instance is dispatching: bus name + event id to its handlers. */
	private final Map<String, InFlight> inFlight = new ConcurrentHashMap<>();

	/** Buses by the name their publications carry, as their middleware saw them. */
	private final Map<String, EventBus> knownBuses = new ConcurrentHashMap<>();

	private final AtomicLong resubmitted = new AtomicLong();

	private final AtomicLong completed = new AtomicLong();

	private final AtomicLong failedRuns = new AtomicLong();

	PublicationDispatcher(PublicationStore store, String instanceId, Clock clock,
			Function<String, @Nullable EventBus> buses) {
		this.store = store;
		this.instanceId = instanceId;
		this.clock = clock;
		this.buses = buses;
	}

	static boolean isResubmitting() {
		return RESUBMITTING.get() != null;
	}

	PublicationStore store() {
		return this.store;
	}

	String instanceId() {
		return this.instanceId;
	}

	Instant now() {
		return this.clock.instant();
	}

	long resubmittedCount() {
		return this.resubmitted.get();
	}

	long completedCount() {
		return this.completed.get();
	}

	long failedRunCount() {
		return this.failedRuns.get();
	}

	/** The ids of the publications this instance is dispatching now. */
	Set<String> dispatchingEventIds() {
		return this.inFlight.values().stream().map(InFlight::eventId).collect(Collectors.toSet());
	}

	void knowBus(String busName, EventBus bus) {
		this.knownBuses.put(busName, bus);
	}

	/** The emitting transaction committed: the bus takes the held event now. */
	void dispatchCommitted(PendingEmit emit, String busName, Map<String, String> handlerKeys) {
		String eventId = emit.event().eventId();
		this.inFlight.put(key(busName, eventId), new InFlight(eventId, handlerKeys));
		try {
			emit.release();
		}
		catch (RuntimeException ex) {
			// the bus stopped between the emit and the commit: the log keeps it for a
			// resubmission
			this.inFlight.remove(key(busName, eventId));
			emit.discard(
					"its bus no longer accepts events (" + ex.getMessage() + "); the publication log resubmits it");
			this.store.unclaim(eventId, this.instanceId, now());
			log.warn("Publication {} on bus {} could not be dispatched after commit; it stays in the log", eventId,
					busName, ex);
		}
	}

	/**
	 * Resubmits a publication this instance has claimed to its handlers that did not
	 * complete it; returns whether a bus took it. A publication that cannot be dispatched
	 * now (unknown bus, unreadable event) is unclaimed for a later attempt.
	 */
	boolean resubmitClaimed(EventPublication publication) {
		String eventId = publication.eventId();
		EventBus bus = this.knownBuses.get(publication.busName());
		if (bus == null || bus.isStopped()) {
			bus = this.buses.apply(publication.busName());
		}
		if (bus == null) {
			log.warn("Publication {} names bus {}, which this application does not have; retrying later", eventId,
					publication.busName());
			this.store.unclaim(eventId, this.instanceId, now().plus(this.store.backoff(1)));
			return false;
		}
		BaseEvent<?> event;
		try {
			event = decode(publication);
		}
		catch (RuntimeException ex) {
			log.warn("Publication {} ({}) could not be read back ({}); retrying later", eventId,
					publication.eventType(), ex.getClass().getName());
			this.store.unclaim(eventId, this.instanceId, now().plus(this.store.backoff(1)));
			return false;
		}
		Map<String, String> current = HandlerKeys.of(bus.handlersFor(event.eventType()));
		Set<String> incomplete = publication.incompleteHandlers()
			.stream()
			.map(HandlerPublication::handlerKey)
			.collect(Collectors.toSet());
		Map<String, String> selected = new LinkedHashMap<>();
		current.forEach((handlerId, handlerKey) -> {
			if (incomplete.remove(handlerKey)) {
				selected.put(handlerId, handlerKey);
			}
		});
		for (String missing : incomplete) {
			// counted as a failed attempt, so that the attempt limit ends the schedule
			this.store.recordRun(eventId, missing, false, null, "HandlerNotRegistered", "no handler called " + missing
					+ " is registered for " + event.eventType() + " on bus " + publication.busName(), now());
		}
		if (selected.isEmpty()) {
			finish(eventId);
			return false;
		}
		String flightKey = key(publication.busName(), eventId);
		this.inFlight.put(flightKey, new InFlight(eventId, selected));
		this.resubmitted.incrementAndGet();
		RESUBMITTING.set(Boolean.TRUE);
		try {
			bus.emitForHandlers(event, selected.keySet());
			return true;
		}
		catch (RuntimeException ex) {
			this.inFlight.remove(flightKey);
			this.store.unclaim(eventId, this.instanceId, now().plus(this.store.backoff(1)));
			log.warn("Publication {} could not be resubmitted to bus {}: {}", eventId, publication.busName(),
					ex.getMessage());
			return false;
		}
		finally {
			RESUBMITTING.remove();
		}
	}

	private static BaseEvent<?> decode(EventPublication publication) {
		String className = publication.eventClassName();
		if (className != null && !className.equals(DynamicEvent.class.getName())) {
			try {
				Class<?> type = Class.forName(className, false, Thread.currentThread().getContextClassLoader());
				if (BaseEvent.class.isAssignableFrom(type)) {
					return fromJson(publication.eventJson(), type);
				}
			}
			catch (ClassNotFoundException ex) {
				// read it as a DynamicEvent: handlers registered by type string still run
			}
		}
		return BaseEvent.fromJson(publication.eventJson());
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private static BaseEvent<?> fromJson(String json, Class<?> type) {
		return BaseEvent.fromJson(json, (Class) type);
	}

	/** A handler of a publication in flight here finished a run. */
	void handlerFinished(String busName, BaseEvent<?> event, EventResult<?> result) {
		InFlight flight = this.inFlight.get(key(busName, event.eventId()));
		String handlerKey = (flight != null) ? flight.handlerKeys.get(result.handlerId()) : null;
		if (handlerKey == null) {
			return;
		}
		if (result.status() == ResultStatus.COMPLETED) {
			this.store.recordRun(event.eventId(), handlerKey, true, resultJson(result), null, null, now());
			return;
		}
		this.failedRuns.incrementAndGet();
		Throwable error = result.error();
		this.store.recordRun(event.eventId(), handlerKey, false, null,
				(error != null) ? error.getClass().getName() : "unknown",
				(error != null) ? error.getMessage() : "the handler did not complete", now());
	}

	/** A publication in flight here completed on its bus: its claim ends. */
	void eventFinished(String busName, BaseEvent<?> event) {
		if (this.inFlight.remove(key(busName, event.eventId())) != null) {
			finish(event.eventId());
		}
	}

	private void finish(String eventId) {
		if (this.store.finish(eventId, this.instanceId, now())) {
			this.completed.incrementAndGet();
		}
	}

	/**
	 * The result as JSON, written by the payload mapper as in the event's own JSON: with
	 * the starter, the application's {@code JsonMapper} (its modules and
	 * {@code spring.jackson.*} settings).
	 */
	private static @Nullable String resultJson(EventResult<?> result) {
		try {
			return BubusJson.payloadMapper().writeValueAsString(result.result());
		}
		catch (RuntimeException ex) {
			// a result Jackson cannot write is still a completed run
			return null;
		}
	}

	private static String key(String busName, String eventId) {
		return busName + '\u0000' + eventId;
	}

	private record InFlight(String eventId, Map<String, String> handlerKeys) {
	}

}
