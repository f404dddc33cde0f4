package io.bubus.bridge.sqlite;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import io.bubus.BaseEvent;
import io.bubus.EventStatus;

/**
 * Writes a parent's row before its children's. Python and TypeScript bubus read a bridge
 * table in {@code (event_created_at, event_id)} order from a cursor, so a row committed
 * after a row created later is skipped for good; and a forwarder on {@code "*"} runs
 * after an event's own handlers, so a handler that emits and awaits a child hands the
 * child to the bridge before its parent.
 * <p>
 * An event whose parent (in this process, {@link BaseEvent#eventParent()}) is still being
 * handled and has not been sent through this bridge is held back. It is sent right after
 * its parent, when the parent is sent; when the parent completes without being sent here;
 * or at {@link #close()}, in creation order. Its own held children follow it. At most
 * {@code maxHeld} events are held; beyond that they are sent at once.
 */
final class ParentFirstOrder {

	/** Ids remembered as sent, to let children of a sent parent through at once. */
	private static final int SENT_IDS = 10_000;

	private final Object lock = new Object();

	private final Consumer<BaseEvent<?>> sender;

	private final BiConsumer<BaseEvent<?>, RuntimeException> heldSendFailed;

	private final Runnable heldFull;

	private final int maxHeld;

	/** Events held back, by the id of the parent they wait for, in emit order. */
	private final Map<String, List<BaseEvent<?>>> held = new LinkedHashMap<>();

	/** Ids of the events held back. */
	private final Set<String> heldIds = new HashSet<>();

	private final Map<String, Boolean> sent = new LinkedHashMap<>(256, 0.75f, false) {

		@Override
		protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
			return size() > SENT_IDS;
		}

	};

	private boolean closed;

	/**
	 * @param sender sends one event (throws when it cannot)
	 * @param heldSendFailed told when an event that was held back could not be sent
	 * (nobody else hears of it: its {@code emit} returned long ago)
	 * @param heldFull told when an event is sent at once because {@code maxHeld} are held
	 * @param maxHeld the most events held back at a time
	 */
	ParentFirstOrder(Consumer<BaseEvent<?>> sender, BiConsumer<BaseEvent<?>, RuntimeException> heldSendFailed,
			Runnable heldFull, int maxHeld) {
		this.sender = sender;
		this.heldSendFailed = heldSendFailed;
		this.heldFull = heldFull;
		this.maxHeld = maxHeld;
	}

	/**
	 * Sends the event, then the events held back for it; or holds it back for its parent.
	 * @return whether it was sent now (else it is held back)
	 * @throws RuntimeException what the sender throws for this event
	 */
	boolean emit(BaseEvent<?> event) {
		synchronized (this.lock) {
			if (holdBack(event)) {
				return false;
			}
			sendWithHeldChildren(event);
			return true;
		}
	}

	/** Events held back now. */
	int held() {
		synchronized (this.lock) {
			return this.heldIds.size();
		}
	}

	/**
	 * Sends every event still held back, in creation order; later ones are sent at once.
	 */
	void close() {
		synchronized (this.lock) {
			this.closed = true;
			List<BaseEvent<?>> events = new ArrayList<>();
			this.held.values().forEach(events::addAll);
			this.held.clear();
			this.heldIds.clear();
			events.sort(Comparator.comparing(BaseEvent::eventCreatedAt));
			events.forEach(this::sendHeld);
		}
	}

	private boolean holdBack(BaseEvent<?> event) {
		if (this.closed) {
			return false;
		}
		BaseEvent<?> parent = event.eventParent();
		if (parent == null) {
			return false;
		}
		String parentId = parent.eventId();
		// a parent held back itself takes its children along when it goes
		boolean parentHeld = this.heldIds.contains(parentId);
		if (!parentHeld && (this.sent.containsKey(parentId) || parent.eventStatus() == EventStatus.COMPLETED)) {
			return false;
		}
		if (this.heldIds.size() >= this.maxHeld) {
			this.heldFull.run();
			return false;
		}
		List<BaseEvent<?>> children = this.held.get(parentId);
		if (children == null) {
			children = new ArrayList<>();
			this.held.put(parentId, children);
			// released off the completing thread: a send may wait for the database
			parent.completion().whenComplete((done, failure) -> Thread.ofVirtual().start(() -> release(parentId)));
		}
		children.add(event);
		this.heldIds.add(event.eventId());
		return true;
	}

	/**
	 * The parent completed: unless it is held back itself (then its children go with it),
	 * it was not sent here, and its held children go now.
	 */
	private void release(String parentId) {
		synchronized (this.lock) {
			if (this.heldIds.contains(parentId)) {
				return;
			}
			List<BaseEvent<?>> children = takeHeldChildren(parentId);
			for (BaseEvent<?> child : children) {
				if (!holdBack(child)) {
					sendHeld(child);
				}
			}
		}
	}

	private void sendWithHeldChildren(BaseEvent<?> event) {
		this.sender.accept(event);
		this.sent.put(event.eventId(), Boolean.TRUE);
		takeHeldChildren(event.eventId()).forEach(this::sendHeld);
	}

	private List<BaseEvent<?>> takeHeldChildren(String parentId) {
		List<BaseEvent<?>> children = this.held.remove(parentId);
		if (children == null) {
			return List.of();
		}
		children.forEach((child) -> this.heldIds.remove(child.eventId()));
		return children;
	}

	private void sendHeld(BaseEvent<?> event) {
		try {
			sendWithHeldChildren(event);
		}
		catch (RuntimeException ex) {
			this.heldSendFailed.accept(event, ex);
			// its own held children have nothing left to wait for
			takeHeldChildren(event.eventId()).forEach(this::sendHeld);
		}
	}

}
