package io.bubus;

/**
 * Cancellation that follows the causal tree: when a handler times out or is aborted,
 * everything it emitted that has not finished is stopped too. Started rows become
 * {@link EventHandlerAbortedException}, pending rows and queued copies
 * {@link EventHandlerCancelledException}, each with the nearest timeout as its cause.
 */
final class Cascade {

	private Cascade() {
	}

	static void cancelChildren(EventResult<?> row, Throwable cause) {
		for (BaseEvent<?> child : row.eventChildren()) {
			cancelEvent(child, cause);
		}
	}

	static void cancelEvent(BaseEvent<?> event, Throwable cause) {
		if (event.eventStatus() == EventStatus.COMPLETED) {
			return;
		}
		for (EventBus bus : event.busesInPathOrder()) {
			if (event.claim(bus)) {
				bus.cancelQueued(event, cause);
			}
		}
		for (EventResult<?> row : event.resultRows()) {
			row.interrupt((started) -> started
					? new EventHandlerAbortedException("Aborted running handler " + row.handler().label()
							+ " due to parent error: " + cause.getMessage(), cause)
					: new EventHandlerCancelledException("Cancelled pending handler " + row.handler().label()
							+ " due to parent error: " + cause.getMessage(), cause));
			cancelChildren(row, cause);
		}
		event.tryComplete();
	}

}
