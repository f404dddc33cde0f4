package io.bubus;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One bus's history: the events it accepted, oldest first, by id, with the bound
 * ({@code maxHistorySize}) and what a full history does ({@code maxHistoryDrop}: drop the
 * oldest completed entries first, or reject new events).
 * <p>
 * Lock rule: {@link #lock} (a monitor) guards the map and the accept step of an emit, so
 * two emits of one event to one bus accept it once. It may take an event's monitor inside
 * (a leaf); no user code, hook or other runtime lock runs under it: {@link #search} tests
 * user filters outside it, on candidates taken a few at a time.
 */
final class BusHistory {

	private static final Logger log = LoggerFactory.getLogger(EventBus.class);

	private final String label;

	private final @Nullable Integer maxSize;

	private final boolean drop;

	private final LinkedHashMap<String, BaseEvent<?>> events = new LinkedHashMap<>();

	private final Object lock = new Object();

	/** Whether the bus warned that it drops uncompleted entries (under the lock). */
	private boolean warnedDrop;

	BusHistory(String label, @Nullable Integer maxSize, boolean drop) {
		this.label = label;
		this.maxSize = maxSize;
		this.drop = drop;
	}

	/**
	 * The accept step of an emit: unless the event was already accepted here (or its path
	 * names this bus: a forwarding loop), marks it accepted, counts it pending on the
	 * runloop and records it. Returns whether it was accepted.
	 * @throws HistoryFullException when the history is full and drop is off
	 */
	boolean accept(BaseEvent<?> event, BusRunloop runloop) {
		EventBus bus = runloop.bus();
		synchronized (this.lock) {
			if (!event.state.acceptable(bus)) {
				return false;
			}
			checkCapacity(event);
			event.state.accept(bus);
			runloop.accepted();
			this.events.put(event.eventId(), event);
			trimOnEmit();
			return true;
		}
	}

	/** Puts a restored event into history, and back in the queue when it was queued. */
	void restore(BaseEvent<?> event, boolean queued, BusRunloop runloop) {
		synchronized (this.lock) {
			this.events.put(event.eventId(), event);
			if (queued) {
				event.state.acceptRestored(runloop.bus());
				runloop.restoreQueued(event);
			}
		}
	}

	private void checkCapacity(BaseEvent<?> event) {
		Integer max = this.maxSize;
		if (max == null || max == 0 || this.drop || this.events.size() < max) {
			return;
		}
		throw new HistoryFullException(this.label + ".emit(" + event.eventType() + ") rejected: history limit reached ("
				+ this.events.size() + "/" + max + "); set maxHistoryDrop(true) (bubus.max-history-drop=true) "
				+ "to drop old history instead of rejecting new events, or raise maxHistorySize");
	}

	private void trimOnEmit() {
		Integer max = this.maxSize;
		if (max != null && max > 0 && this.drop && this.events.size() > max + Math.max(1, max / 5)) {
			trimHistory(max);
		}
	}

	/** Drops the oldest completed entries first, then the oldest of any status. */
	private void trimHistory(int max) {
		int over = this.events.size() - max;
		for (Iterator<BaseEvent<?>> it = this.events.values().iterator(); over > 0 && it.hasNext();) {
			if (it.next().eventStatus() == EventStatus.COMPLETED) {
				it.remove();
				over--;
			}
		}
		if (over <= 0) {
			return;
		}
		if (!this.warnedDrop) {
			this.warnedDrop = true;
			log.warn("{} history is over its limit of {}; dropping oldest history entries (even uncompleted events)",
					this.label, max);
		}
		for (Iterator<BaseEvent<?>> it = this.events.values().iterator(); over > 0 && it.hasNext();) {
			it.next();
			it.remove();
			over--;
		}
	}

	/** An event this bus holds completed: keeps the bound (or forgets it at size 0). */
	void completed(BaseEvent<?> event) {
		Integer max = this.maxSize;
		if (max != null && (max == 0 || this.drop)) {
			synchronized (this.lock) {
				if (max == 0) {
					this.events.remove(event.eventId());
				}
				else if (this.events.size() > max) {
					trimHistory(max);
				}
			}
		}
	}

	/** The events, oldest first (queued, processing and completed). */
	List<BaseEvent<?>> events() {
		synchronized (this.lock) {
			return List.copyOf(this.events.values());
		}
	}

	int size() {
		synchronized (this.lock) {
			return this.events.size();
		}
	}

	/** Removes the completed events; returns how many. */
	int clearCompleted() {
		synchronized (this.lock) {
			int before = this.events.size();
			this.events.values().removeIf((event) -> event.eventStatus() == EventStatus.COMPLETED);
			return before - this.events.size();
		}
	}

	void clear() {
		synchronized (this.lock) {
			this.events.clear();
		}
	}

	@Nullable BaseEvent<?> get(String eventId) {
		synchronized (this.lock) {
			return this.events.get(eventId);
		}
	}

	/**
	 * Newest-first search of the history, without copying it. {@code quick} (no user
	 * code) is tested under the history lock; {@code full} (user filters, may be
	 * {@code null}) outside it, on candidates taken a few at a time.
	 */
	@Nullable BaseEvent<?> search(Predicate<BaseEvent<?>> quick, @Nullable Predicate<BaseEvent<?>> full) {
		BaseEvent<?> resumeAfter = null;
		int chunk = 32;
		while (true) {
			List<BaseEvent<?>> candidates;
			boolean more = false;
			synchronized (this.lock) {
				candidates = (full != null) ? new ArrayList<>(Math.min(chunk, this.events.size())) : List.of();
				boolean skipping = resumeAfter != null;
				for (BaseEvent<?> event : this.events.sequencedValues().reversed()) {
					if (skipping) {
						skipping = event != resumeAfter;
						continue;
					}
					if (!quick.test(event)) {
						continue;
					}
					if (full == null) {
						return event;
					}
					if (candidates.size() == chunk) {
						more = true;
						break;
					}
					candidates.add(event);
				}
				if (skipping) {
					// the last event looked at left the history meanwhile: look at all
					// of it
					resumeAfter = null;
					chunk = Integer.MAX_VALUE;
					continue;
				}
			}
			for (BaseEvent<?> event : candidates) {
				if (full.test(event)) {
					return event;
				}
			}
			if (!more) {
				return null;
			}
			resumeAfter = candidates.get(candidates.size() - 1);
			chunk = Integer.MAX_VALUE;
		}
	}

	@Nullable BaseEvent<?> historyEvent(String eventId) {
		synchronized (this.lock) {
			return this.events.get(eventId);
		}
	}

}
