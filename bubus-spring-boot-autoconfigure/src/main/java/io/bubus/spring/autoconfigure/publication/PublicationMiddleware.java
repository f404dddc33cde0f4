package io.bubus.spring.autoconfigure.publication;

import io.bubus.BaseEvent;
import io.bubus.EventBus;
import io.bubus.EventBusMiddleware;
import io.bubus.EventHandler;
import io.bubus.EventResult;
import io.bubus.EventStatus;
import io.bubus.ResultStatus;

/**
 * Writes the runs of handlers of publications to the log: each finished handler run as it
 * finishes, and the end of the dispatch when the event completes on the bus. One instance
 * per bus.
 */
final class PublicationMiddleware implements EventBusMiddleware {

	private final String busName;

	private final PublicationDispatcher dispatcher;

	PublicationMiddleware(String busName, PublicationDispatcher dispatcher) {
		this.busName = busName;
		this.dispatcher = dispatcher;
	}

	@Override
	public void onEventResultChange(EventBus bus, BaseEvent<?> event, EventResult<?> result, ResultStatus status) {
		if (status == ResultStatus.COMPLETED) {
			this.dispatcher.handlerFinished(this.busName, event, result);
		}
	}

	@Override
	public void onBusHandlersChange(EventBus bus, EventHandler handler, boolean registered) {
		// a bus with handlers is one a resubmission may need: known by its configured
		// name even when the JVM gave it a unique suffix (two contexts in one JVM)
		this.dispatcher.knowBus(this.busName, bus);
	}

	@Override
	public void onEventChange(EventBus bus, BaseEvent<?> event, EventStatus status) {
		if (status == EventStatus.COMPLETED) {
			this.dispatcher.eventFinished(this.busName, event);
		}
	}

}
