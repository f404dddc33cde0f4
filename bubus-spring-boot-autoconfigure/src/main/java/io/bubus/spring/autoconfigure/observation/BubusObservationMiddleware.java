package io.bubus.spring.autoconfigure.observation;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.bubus.BaseEvent;
import io.bubus.EventBus;
import io.bubus.EventBusMiddleware;
import io.bubus.EventResult;
import io.bubus.EventStatus;
import io.bubus.ResultStatus;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * An {@link EventBusMiddleware} that records Micrometer observations: {@code bubus.event}
 * for each event on each bus (started when the event is emitted or forwarded to the bus,
 * stopped when it completes) and {@code bubus.handler} for each handler run. A handler
 * observation's parent is its event's observation; an event emitted inside a handler gets
 * that handler's observation as parent, and any other event the observation current on
 * the emitting thread (an HTTP request, say), so traces follow the causal tree.
 * <p>
 * The auto-configuration adds it to every bus when an {@code ObservationRegistry} bean
 * exists. Observations are not opened in scope on the handler thread (their start and
 * stop can happen on different threads); the observation current at emit is restored
 * around handlers by context propagation instead.
 *
 * @author bubus-java
 * @since 0.1.0
 */
public class BubusObservationMiddleware implements EventBusMiddleware {

	private static final EventObservationConvention DEFAULT_EVENT_CONVENTION = new DefaultEventObservationConvention();

	private static final HandlerObservationConvention DEFAULT_HANDLER_CONVENTION = new DefaultHandlerObservationConvention();

	private final ObservationRegistry registry;

	private final @Nullable EventObservationConvention eventConvention;

	private final @Nullable HandlerObservationConvention handlerConvention;

	private final Map<String, Observation> events = new ConcurrentHashMap<>();

	private final Map<String, Observation> handlers = new ConcurrentHashMap<>();

	/**
	 * Creates a middleware with the default conventions.
	 * @param registry the registry to record into
	 */
	public BubusObservationMiddleware(ObservationRegistry registry) {
		this(registry, null, null);
	}

	/**
	 * Creates a middleware.
	 * @param registry the registry to record into
	 * @param eventConvention custom convention for event observations, or {@code null}
	 * @param handlerConvention custom convention for handler observations, or
	 * {@code null}
	 */
	public BubusObservationMiddleware(ObservationRegistry registry,
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
		Observation observation = BubusObservationDocumentation.EVENT
			.observation(this.eventConvention, DEFAULT_EVENT_CONVENTION, () -> context, this.registry)
			.parentObservation(parentOf(event))
			.start();
		Observation previous = this.events.put(eventKey(bus, event), observation);
		if (previous != null) {
			previous.stop();
		}
	}

	private @Nullable Observation parentOf(BaseEvent<?> event) {
		String parentId = event.eventParentId();
		String handlerId = event.eventEmittedByHandlerId();
		if (parentId != null && handlerId != null) {
			Observation handler = this.handlers.get(handlerKey(parentId, handlerId));
			if (handler != null) {
				return handler;
			}
		}
		return this.registry.getCurrentObservation();
	}

	private void eventCompleted(EventBus bus, BaseEvent<?> event) {
		Observation observation = this.events.remove(eventKey(bus, event));
		if (observation == null) {
			return;
		}
		List<EventResult<?>> results = resultsOn(bus, event);
		Outcome outcome = Outcome.of(results);
		((EventObservationContext) observation.getContext()).setOutcome(outcome);
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
		Observation observation = handlerObservation(bus, event, result).start();
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
		((HandlerObservationContext) observation.getContext()).setOutcome(outcome);
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
		return "BubusObservationMiddleware(" + this.events.size() + " events, " + this.handlers.size()
				+ " handlers in flight)";
	}

}
