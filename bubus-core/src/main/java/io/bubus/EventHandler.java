package io.bubus;

import java.time.Duration;
import java.time.Instant;

import io.bubus.internal.Ids;
import io.bubus.internal.Timestamps;
import org.jspecify.annotations.Nullable;

/**
 * One handler registration on one bus: what {@link EventBus#on} returns and what
 * {@link EventBus#off(EventHandler)} takes. The id is a deterministic UUIDv5 of the bus
 * id, handler name, source location, registration time and pattern, so it is the same in
 * every runtime that reads the registration.
 */
public final class EventHandler {

	/**
	 * The id: given, or derived on first use (a SHA-1 over the registration; most
	 * handlers run without anyone asking for it).
	 */
	private volatile @Nullable String id;

	private final boolean explicitId;

	private final String handlerName;

	private final @Nullable String filePath;

	private final long registeredAt;

	private final String eventPattern;

	private final String eventbusName;

	private final String eventbusId;

	final EventHandlerFunction<BaseEvent<?>> function;

	private volatile @Nullable Duration handlerTimeout;

	private volatile boolean handlerTimeoutSet;

	private volatile @Nullable Duration handlerSlowTimeout;

	private volatile boolean handlerSlowTimeoutSet;

	EventHandler(@Nullable String id, String handlerName, @Nullable String filePath, long registeredAt,
			String eventPattern, String eventbusName, String eventbusId, EventHandlerFunction<BaseEvent<?>> function) {
		this.handlerName = handlerName.isBlank() ? "anonymous" : handlerName;
		this.filePath = filePath;
		this.registeredAt = registeredAt;
		this.eventPattern = eventPattern;
		this.eventbusName = eventbusName;
		this.eventbusId = eventbusId;
		this.function = function;
		this.id = id;
		this.explicitId = id != null;
	}

	/** The handler id (UUIDv5 unless given explicitly). */
	public String id() {
		String value = this.id;
		if (value == null) {
			// deterministic: a thread that races here computes the same value
			value = Ids.handlerId(this.eventbusId, this.handlerName,
					(this.filePath != null) ? this.filePath : "unknown", Timestamps.format(this.registeredAt),
					this.eventPattern);
			this.id = value;
		}
		return value;
	}

	/**
	 * Whether the id was given (an option, or read from JSON) rather than derived: two
	 * handler objects can share an id only then, since derived ids include the unique
	 * registration timestamp.
	 */
	boolean hasExplicitId() {
		return this.explicitId;
	}

	/** Whether both stand for the same registration (the same object or the same id). */
	static boolean same(EventHandler a, EventHandler b) {
		return a == b || ((a.explicitId || b.explicitId) && a.id().equals(b.id()));
	}

	/**
	 * Consistent with identity equality, and cheaper than the identity hash for the
	 * per-event result index.
	 */
	@Override
	public int hashCode() {
		return Long.hashCode(this.registeredAt);
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return this == other;
	}

	/** The handler name ({@code SimpleClass.method} for method references). */
	public String handlerName() {
		return this.handlerName;
	}

	/** Where the handler was registered ({@code File.java:42}), or {@code null}. */
	public @Nullable String handlerFilePath() {
		return this.filePath;
	}

	/** When it was registered. */
	public Instant handlerRegisteredAt() {
		return Timestamps.toInstant(this.registeredAt);
	}

	long registeredAtNanos() {
		return this.registeredAt;
	}

	/** The event type this handler listens to, or {@code "*"}. */
	public String eventPattern() {
		return this.eventPattern;
	}

	/** Name of the bus it is registered on. */
	public String eventbusName() {
		return this.eventbusName;
	}

	/** Id of the bus it is registered on. */
	public String eventbusId() {
		return this.eventbusId;
	}

	/** {@code name#id4}. */
	public String label() {
		return this.handlerName + "#" + Ids.id4(id());
	}

	/** The handler-level timeout override, or {@code null}. */
	public @Nullable Duration handlerTimeout() {
		return this.handlerTimeout;
	}

	/** Whether a handler-level timeout was set (a set {@code null} disables it). */
	public boolean handlerTimeoutSet() {
		return this.handlerTimeoutSet;
	}

	/**
	 * Overrides the timeout for this handler; {@code null} disables the handler timeout.
	 */
	public void setHandlerTimeout(@Nullable Duration timeout) {
		HandlerOptions.requirePositive("handlerTimeout", timeout);
		this.handlerTimeout = timeout;
		this.handlerTimeoutSet = true;
	}

	/** The slow-warning threshold override, or {@code null}. */
	public @Nullable Duration handlerSlowTimeout() {
		return this.handlerSlowTimeout;
	}

	boolean handlerSlowTimeoutSet() {
		return this.handlerSlowTimeoutSet;
	}

	/**
	 * Overrides the slow-warning threshold for this handler; {@code null} disables it.
	 */
	public void setHandlerSlowTimeout(@Nullable Duration slowTimeout) {
		HandlerOptions.requirePositive("handlerSlowTimeout", slowTimeout);
		this.handlerSlowTimeout = slowTimeout;
		this.handlerSlowTimeoutSet = true;
	}

	@Override
	public String toString() {
		return (this.filePath != null) ? this.handlerName + "() @ " + this.filePath
				: this.handlerName + "#" + Ids.id4(id()) + "()";
	}

}
