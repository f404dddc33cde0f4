package io.bubus;

import java.util.List;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One bus's middleware hooks: every call from the runtime to an
 * {@link EventBusMiddleware} goes through here, and an exception a hook throws is logged
 * and dropped, so a failing middleware never stops an event.
 * <p>
 * Where hooks run (see docs/architecture.md): on the thread that changed the state, after
 * it let go of every runtime monitor. Event phases and row changes of one event on one
 * bus are queued on that bus entry's {@link HookSequence} under its monitor and run after
 * it is left, in order and one at a time; {@link #eventChange} reports each of pending,
 * started and completed exactly once per event on this bus.
 */
final class BusHooks {

	private static final Logger log = LoggerFactory.getLogger(EventBus.class);

	private final EventBus bus;

	private final List<EventBusMiddleware> middlewares;

	BusHooks(EventBus bus, List<EventBusMiddleware> middlewares) {
		this.bus = bus;
		this.middlewares = List.copyOf(middlewares);
	}

	List<EventBusMiddleware> middlewares() {
		return this.middlewares;
	}

	boolean isEmpty() {
		return this.middlewares.isEmpty();
	}

	/**
	 * Asks the middlewares whether a handler's new event repeats one they recorded before
	 * a restart (see {@link EventBusMiddleware#recordedEmission}); the first answer gives
	 * the event its recorded id and finished rows.
	 */
	void recallEmission(BaseEvent<?> event, HandlerScope scope) {
		for (EventBusMiddleware middleware : this.middlewares) {
			@Nullable BaseEvent<?> recorded;
			try {
				recorded = middleware.recordedEmission(this.bus, scope.event, scope.result, event);
			}
			catch (RuntimeException ex) {
				log.warn("{} middleware {} failed in recordedEmission", this.bus.label(), middleware, ex);
				continue;
			}
			if (recorded != null) {
				event.adoptRecorded(recorded);
				return;
			}
		}
	}

	/**
	 * Reports an event phase to the middlewares: each of pending, started, completed
	 * exactly once per event on this bus, in that order (see
	 * {@code EventState.reportPhase}).
	 */
	void eventChange(BaseEvent<?> event, EventStatus status) {
		if (!this.middlewares.isEmpty()) {
			event.state.reportPhase(this.bus, status, (phase) -> callEventHooks(event, phase));
		}
	}

	private void callEventHooks(BaseEvent<?> event, EventStatus status) {
		for (EventBusMiddleware middleware : this.middlewares) {
			try {
				middleware.onEventChange(this.bus, event, status);
			}
			catch (RuntimeException ex) {
				log.warn("{} middleware {} failed in onEventChange", this.bus.label(), middleware, ex);
			}
		}
	}

	void resultChange(BaseEvent<?> event, EventResult<?> result, ResultStatus status) {
		for (EventBusMiddleware middleware : this.middlewares) {
			try {
				middleware.onEventResultChange(this.bus, event, result, status);
			}
			catch (RuntimeException ex) {
				log.warn("{} middleware {} failed in onEventResultChange", this.bus.label(), middleware, ex);
			}
		}
	}

	void handlersChange(EventHandler handler, boolean registered) {
		for (EventBusMiddleware middleware : this.middlewares) {
			try {
				middleware.onBusHandlersChange(this.bus, handler, registered);
			}
			catch (RuntimeException ex) {
				log.warn("{} middleware {} failed in onBusHandlersChange", this.bus.label(), middleware, ex);
			}
		}
	}

	/** Reports this bus's rows completed, then the event, so result hooks come first. */
	void completed(BaseEvent<?> event) {
		if (this.middlewares.isEmpty()) {
			return;
		}
		for (EventResult<?> row : event.resultRows()) {
			if (row.bus == this.bus && row.isTerminal()) {
				row.report(ResultStatus.COMPLETED);
			}
		}
		eventChange(event, EventStatus.COMPLETED);
	}

}
