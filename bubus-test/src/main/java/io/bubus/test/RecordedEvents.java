package io.bubus.test;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import io.bubus.BaseEvent;
import io.bubus.EventBus;
import io.bubus.EventBusMiddleware;
import io.bubus.EventStatus;

/**
 * Every event emitted to the buses it is installed on, from any thread, in the order the
 * buses accepted them; a forwarded event is recorded once. Unlike a bus's history it is
 * not bounded by {@code maxHistorySize}, and {@link #clear()} starts a new recording.
 * <p>
 * {@link BubusTest @BubusTest} installs one on the buses it creates and clears it before
 * each test; elsewhere add it as a middleware:
 * {@snippet :
 * RecordedEvents recorded = new RecordedEvents();
 * EventBus bus = EventBus.builder("Orders").middleware(recorded).build();
 * }
 * <p>
 * Thread-safety: the recorder's own monitor guards its list and is held only to add, copy
 * or clear it (never while calling out), so the bus hook that feeds it is short.
 */
public final class RecordedEvents implements EventBusMiddleware {

	private final Map<BaseEvent<?>, Boolean> seen = new IdentityHashMap<>();

	private final List<BaseEvent<?>> events = new ArrayList<>();

	@Override
	public void onEventChange(EventBus bus, BaseEvent<?> event, EventStatus status) {
		if (status == EventStatus.PENDING) {
			synchronized (this) {
				if (this.seen.put(event, Boolean.TRUE) == null) {
					this.events.add(event);
				}
			}
		}
	}

	/**
	 * The recorded events, oldest first.
	 * @return a copy
	 */
	public synchronized List<BaseEvent<?>> all() {
		return List.copyOf(this.events);
	}

	/**
	 * The recorded events of this type (subtypes included), oldest first.
	 * @param <E> the type
	 * @param type the type
	 * @return a copy
	 */
	public <E extends BaseEvent<?>> List<E> ofType(Class<E> type) {
		return all().stream().filter(type::isInstance).map(type::cast).toList();
	}

	/** Forgets what was recorded. */
	public synchronized void clear() {
		this.seen.clear();
		this.events.clear();
	}

	@Override
	public String toString() {
		return "RecordedEvents" + Failures.labels(all());
	}

}
