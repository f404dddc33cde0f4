package io.bubus;

/**
 * Decides on each {@link EventBus#emit} before the bus takes the event: let it go on, or
 * hold it and dispatch it later (the Spring starter holds events emitted inside a
 * transaction until that transaction commits). Set with
 * {@code EventBus.builder(name).emitInterceptor(i)}.
 * <p>
 * The interceptor runs on the emitting thread, before the bus takes any lock, once per
 * emit. To hold the event it calls {@link PendingEmit#hold(String)} before it returns;
 * {@code emit} then returns the same event object, which no bus has taken yet, and the
 * interceptor owns it: exactly one later {@link PendingEmit#release()} runs the rest of
 * that emit (the same bus, the same event object, linked under the handler that emitted
 * it), or {@link PendingEmit#discard(String)} drops it. While held, {@code done()} and
 * {@code eventResult()} fail at once with the hold's reason instead of waiting, and
 * {@link BaseEvent#completion()} completes after the release, or exceptionally on
 * discard. An interceptor that throws fails the emit with that exception.
 */
@FunctionalInterface
public interface EmitInterceptor {

	/** Called for each emit; call {@code emit.hold(reason)} to take the event over. */
	void onEmit(PendingEmit emit);

}
