package io.bubus.middleware;

import io.bubus.BaseEvent;
import io.bubus.EventResult;
import org.jspecify.annotations.Nullable;

/**
 * Emitted by {@link AutoErrorEventMiddleware} when a handler fails: its event type is the
 * failed event's type plus {@code ErrorEvent} ({@code OrderPlacedErrorEvent}), so a
 * handler subscribes to it by that string, or by a class of that name with an
 * {@code errorType} field. On the wire: {@code error_type} (the error's class name, or
 * its bubus name such as {@code EventHandlerTimeoutError}) and {@code error}
 * ({@code {"type", "message"}}).
 */
public class AutoErrorEvent extends BaseEvent<Object> {

	/** The error's class name (its bubus name for the handler-control errors). */
	public String errorType = "";

	/** The error as bubus JSON writes errors. */
	public @Nullable ErrorInfo error;

	private @Nullable String type;

	private transient @Nullable Throwable exception;

	/** For JSON. */
	public AutoErrorEvent() {
	}

	/** The error event for a failure of an event of {@code sourceEventType}. */
	public AutoErrorEvent(String sourceEventType, Throwable exception) {
		this.type = sourceEventType + AutoErrorEventMiddleware.SUFFIX;
		this.exception = exception;
		this.errorType = EventResult.errorType(exception);
		this.error = new ErrorInfo(this.errorType, exception.getMessage());
	}

	@Override
	public String eventType() {
		return (this.type != null) ? this.type : super.eventType();
	}

	/**
	 * The handler's exception, in the process that caught it ({@code null} once received
	 * over the wire).
	 */
	public @Nullable Throwable exception() {
		return this.exception;
	}

	/**
	 * An error as bubus JSON writes it.
	 *
	 * @param type the error's class name or bubus name
	 * @param message its message
	 */
	public record ErrorInfo(String type, @Nullable String message) {

	}

}
