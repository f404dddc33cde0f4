package io.bubus.middleware;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.bubus.BaseEvent;
import io.bubus.EventBus;
import io.bubus.EventBusMiddleware;
import io.bubus.EventResult;
import io.bubus.EventStatus;
import io.bubus.ResultStatus;
import io.bubus.middleware.observation.BubusObservationDocumentation;
import io.bubus.middleware.observation.DefaultEventObservationConvention;
import io.bubus.middleware.observation.DefaultHandlerObservationConvention;
import io.bubus.middleware.observation.EventObservationContext;
import io.bubus.middleware.observation.EventObservationConvention;
import io.bubus.middleware.observation.HandlerObservationContext;
import io.bubus.middleware.observation.HandlerObservationConvention;
import io.bubus.middleware.observation.Outcome;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Tracing and timing through Micrometer Observation: a {@code bubus.event} observation
 * for each event on each bus (started when the event is emitted or forwarded to the bus,
 * stopped when it completes there) and a {@code bubus.handler} observation for each
 * handler run. With a tracing bridge on the registry (Micrometer Tracing with
 * OpenTelemetry or Brave) they become spans; with a meter registry handler they become
 * timers tagged with the low-cardinality keys of {@link BubusObservationDocumentation}.
 * <p>
 * Parents follow the causal tree: a handler's parent is its event's observation on the
 * same bus; an event emitted inside a handler gets that handler's observation as parent
 * (on whichever bus the handler ran, as long as both buses use this middleware instance),
 * an event forwarded from another bus gets its observation on that bus, an event with a
 * known parent event otherwise that event's observation, and any other event the
 * observation current on the emitting thread (an HTTP request, say). With a tracer the
 * spans have the same parents. Observations are not kept open in scope on handler threads
 * (start and stop can happen on different threads); context propagation restores the
 * observation current at emit around handlers instead, so a span that handler code starts
 * itself is a child of the span current at emit (same trace).
 * <p>
 * Needs {@code io.micrometer:micrometer-observation}. Share one instance between the
 * buses of an application so that parents across buses are found; the Spring Boot starter
 * registers one on every bus when an {@link ObservationRegistry} bean exists.
 *
 * {@snippet :
 * ObservationEventBusMiddleware tracing = new ObservationEventBusMiddleware(observationRegistry);
 * EventBus orders = EventBus.builder("Orders").middleware(tracing).build();
 * EventBus audit = EventBus.builder("Audit").middleware(tracing).build();
 * }
 */
public class ObservationEventBusMiddleware implements EventBusMiddleware {

	private static final EventObservationConvention DEFAULT_EVENT_CONVENTION = new DefaultEventObservationConvention();

	private static final HandlerObservationConvention DEFAULT_HANDLER_CONVENTION = new DefaultHandlerObservationConvention();

	private final ObservationRegistry registry;

	private final @Nullable EventObservationConvention eventConvention;

	private final @Nullable HandlerObservationConvention handlerConvention;

	/** Event observations in flight, by bus id and event id. */
	private final Map<String, Observation> events = new ConcurrentHashMap<>();

	/** The first event observation in flight of each event id (the bus it began on). */
	private final Map<String, Observation> eventsById = new ConcurrentHashMap<>();

	/** Handler observations in flight, by event id and handler id. */
	private final Map<String, Observation> handlers = new ConcurrentHashMap<>();

	/**
	 * Creates a middleware with the default conventions.
	 * @param registry the registry to record into
	 */
	public ObservationEventBusMiddleware(ObservationRegistry registry) {
		this(registry, null, null);
	}

	/**
	 * Creates a middleware.
	 * @param registry the registry to record into
	 * @param eventConvention custom convention for event observations, or {@code null}
	 * @param handlerConvention custom convention for handler observations, or
	 * {@code null}
	 */
	public ObservationEventBusMiddleware(ObservationRegistry registry,
			@Nullable EventObservationConvention eventConvention,
			@Nullable HandlerObservationConvention handlerConvention) {
		this.registry = registry;
		this.eventConvention = eventConvention;
		this.handlerConvention = handlerConvention;
	}

	@Override
	public void onEventChange(EventBus bus, BaseEvent<?> event, EventStatus status) {
		if (status == EventStatus.PENDING) {
			eventEmitted(bus, event);
		}
		else if (status == EventStatus.COMPLETED) {
			eventCompleted(bus, event);
		}
	}

	@Override
	public void onEventResultChange(EventBus bus, BaseEvent<?> event, EventResult<?> result, ResultStatus status) {
		if (status == ResultStatus.STARTED) {
			handlerStarted(bus, event, result);
		}
		else if (status == ResultStatus.COMPLETED || status == ResultStatus.ERROR) {
			handlerFinished(bus, event, result);
		}
	}

	private void eventEmitted(EventBus bus, BaseEvent<?> event) {
		if (this.registry.isNoop()) {
			return;
		}
		EventObservationContext context = new EventObservationContext(bus, event);
		Observation parent = parentOf(event);
		Observation observation = startWithin(parent,
				BubusObservationDocumentation.EVENT
					.observation(this.eventConvention, DEFAULT_EVENT_CONVENTION, () -> context, this.registry)
					.parentObservation(parent));
		this.eventsById.putIfAbsent(event.eventId(), observation);
		Observation previous = this.events.put(eventKey(bus, event), observation);
		if (previous != null) {
			previous.stop();
		}
	}

	private @Nullable Observation parentOf(BaseEvent<?> event) {
		Observation forwardedFrom = this.eventsById.get(event.eventId());
		if (forwardedFrom != null) {
			return forwardedFrom;
		}
		String parentId = event.eventParentId();
		if (parentId != null) {
			String handlerId = event.eventEmittedByHandlerId();
			Observation handler = (handlerId != null) ? this.handlers.get(handlerKey(parentId, handlerId)) : null;
			if (handler != null) {
				return handler;
			}
			Observation parentEvent = this.eventsById.get(parentId);
			if (parentEvent != null) {
				return parentEvent;
			}
		}
		return this.registry.getCurrentObservation();
	}

	private void eventCompleted(EventBus bus, BaseEvent<?> event) {
		Observation observation = this.events.remove(eventKey(bus, event));
		if (observation == null) {
			return;
		}
		this.eventsById.remove(event.eventId(), observation);
		List<EventResult<?>> results = resultsOn(bus, event);
		Outcome outcome = Outcome.of(results);
		if (observation.getContext() instanceof EventObservationContext context) {
			// a no-op observation (turned off by an ObservationPredicate) has a
			// plain context
			context.setOutcome(outcome);
		}
		if (outcome != Outcome.COMPLETED) {
			Throwable error = firstError(results);
			if (error != null) {
				observation.error(error);
			}
		}
		observation.stop();
	}

	private void handlerStarted(EventBus bus, BaseEvent<?> event, EventResult<?> result) {
		if (this.registry.isNoop()) {
			return;
		}
		Observation observation = startWithin(this.events.get(eventKey(bus, event)),
				handlerObservation(bus, event, result));
		this.handlers.put(handlerKey(event.eventId(), result.handlerId()), observation);
	}

	private void handlerFinished(EventBus bus, BaseEvent<?> event, EventResult<?> result) {
		Observation observation = this.handlers.remove(handlerKey(event.eventId(), result.handlerId()));
		if (observation == null) {
			if (this.registry.isNoop()) {
				return;
			}
			// Cancelled before it started: record it, with no duration.
			observation = handlerObservation(bus, event, result).start();
		}
		Outcome outcome = Outcome.of(result);
		if (observation.getContext() instanceof HandlerObservationContext context) {
			context.setOutcome(outcome);
		}
		Throwable error = result.error();
		if (error != null) {
			observation.error(error);
		}
		observation.stop();
	}

	private Observation handlerObservation(EventBus bus, BaseEvent<?> event, EventResult<?> result) {
		HandlerObservationContext context = new HandlerObservationContext(bus, event, result);
		return BubusObservationDocumentation.HANDLER
			.observation(this.handlerConvention, DEFAULT_HANDLER_CONVENTION, () -> context, this.registry)
			.parentObservation(this.events.get(eventKey(bus, event)));
	}

	/**
	 * Starts an observation with its parent in scope. A tracer prefers the span current
	 * on the thread over the parent observation's when they differ, and a thread that
	 * emits a child event or starts a handler has the context of the original emit
	 * restored; opening the parent's scope for the start keeps the span tree equal to the
	 * observation tree.
	 */
	private Observation startWithin(@Nullable Observation parent, Observation observation) {
		if (parent == null || parent == this.registry.getCurrentObservation()) {
			return observation.start();
		}
		try (Observation.Scope scope = parent.openScope()) {
			return observation.start();
		}
	}

	private static List<EventResult<?>> resultsOn(EventBus bus, BaseEvent<?> event) {
		return event.eventResults()
			.values()
			.stream()
			.<EventResult<?>>map((result) -> result)
			.filter((result) -> result.eventbusId().equals(bus.id()))
			.toList();
	}

	private static @Nullable Throwable firstError(List<EventResult<?>> results) {
		for (EventResult<?> result : results) {
			if (result.error() != null) {
				return result.error();
			}
		}
		return null;
	}

	private static String eventKey(EventBus bus, BaseEvent<?> event) {
		return bus.id() + "/" + event.eventId();
	}

	private static String handlerKey(String eventId, String handlerId) {
		return eventId + "/" + handlerId;
	}

	@Override
	public String toString() {
		return "ObservationEventBusMiddleware(" + this.events.size() + " events, " + this.handlers.size()
				+ " handlers in flight)";
	}

}
