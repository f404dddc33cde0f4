package io.bubus;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/**
 * One emit seen by an {@link EmitInterceptor}: the bus, the event, and, once held, the
 * right to finish it later. {@link #release()} and {@link #discard(String)} may be called
 * from any thread; only the first of them has an effect.
 */
public final class PendingEmit {

	private static final int OPEN = 0;

	private static final int HELD = 1;

	private static final int DONE = 2;

	private final EventBus bus;

	private final BaseEvent<?> event;

	/** The handler that emitted it, so that a late release links it as its child. */
	private final @Nullable HandlerScope scope;

	private final AtomicInteger state = new AtomicInteger(OPEN);

	PendingEmit(EventBus bus, BaseEvent<?> event, @Nullable HandlerScope scope) {
		this.bus = bus;
		this.event = event;
		this.scope = scope;
	}

	/** The bus the event was emitted to. */
	public EventBus bus() {
		return this.bus;
	}

	/** The emitted event (the object the caller holds). */
	public BaseEvent<?> event() {
		return this.event;
	}

	/**
	 * Holds the event: {@code emit} returns it untaken. Call only inside
	 * {@link EmitInterceptor#onEmit}. {@code reason} completes the message of a
	 * {@code done()} called meanwhile ({@code "OrderPlaced#1a2b <reason>"}), so say when
	 * it will be dispatched, e.g. "is held until the surrounding transaction commits".
	 */
	public void hold(String reason) {
		Objects.requireNonNull(reason, "reason");
		if (!this.state.compareAndSet(OPEN, HELD)) {
			throw new IllegalStateException(this.event.label() + " is already held");
		}
		this.event.state.hold(reason);
	}

	/** Whether the interceptor held the event. */
	public boolean isHeld() {
		return this.state.get() != OPEN;
	}

	/**
	 * Finishes the held emit now, on the calling thread: the bus takes the event and runs
	 * it as an emit would have. Returns false when it was already released or discarded.
	 * @throws IllegalStateException when the bus was stopped meanwhile
	 */
	public boolean release() {
		if (!this.state.compareAndSet(HELD, DONE)) {
			return false;
		}
		this.event.state.unhold();
		this.bus.emitTaken(this.event, this.scope);
		return true;
	}

	/**
	 * Drops the held emit: the event is never dispatched; {@code done()} then fails with
	 * the reason and {@link BaseEvent#completion()} completes exceptionally. Returns
	 * false when it was already released or discarded.
	 */
	public boolean discard(String reason) {
		Objects.requireNonNull(reason, "reason");
		if (!this.state.compareAndSet(HELD, DONE)) {
			return false;
		}
		this.event.state.discard(reason);
		return true;
	}

}
