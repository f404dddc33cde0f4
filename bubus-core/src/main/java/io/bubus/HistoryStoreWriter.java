package io.bubus;

/**
 * The middleware a bus with an {@link EventHistoryStore} appends to its own: saves each
 * event when it completes on the bus.
 */
final class HistoryStoreWriter implements EventBusMiddleware {

	private final EventHistoryStore store;

	HistoryStoreWriter(EventHistoryStore store) {
		this.store = store;
	}

	@Override
	public void onEventChange(EventBus bus, BaseEvent<?> event, EventStatus status) {
		if (status == EventStatus.COMPLETED) {
			this.store.save(bus.name(), event);
		}
	}

	@Override
	public String toString() {
		return "HistoryStoreWriter(" + this.store + ")";
	}

}
