package io.bubus;

import java.io.Serializable;

import org.jspecify.annotations.Nullable;

/**
 * A handler: receives the event, returns its result (or {@code null}). Returning a
 * {@link java.util.concurrent.CompletionStage} makes the handler asynchronous; its value
 * is the result. Returning an event stores that event (that is how forwarding
 * {@code a.on("*", b::emit)} works). A thrown exception is captured on the handler's
 * result; the bus keeps going.
 * <p>
 * The interface is {@link Serializable} only so that the bus can read the name of a
 * method reference ({@code Billing.charge}); handlers are never serialized.
 *
 * @param <E> the event type
 */
@FunctionalInterface
public interface EventHandlerFunction<E> extends Serializable {

	/** Handles one event. */
	@Nullable Object handle(E event) throws Exception;

}
