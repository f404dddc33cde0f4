package io.bubus;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An {@link EmitInterceptor} holds an emit and releases or discards it later;
 * {@link EventBus#emitForHandlers} runs an event for some of its handlers only.
 */
class EmitInterceptorTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	public static class Placed extends BaseEvent<String> {

		public String order;

		public Placed() {
		}

		public Placed(String order) {
			this.order = order;
		}

	}

	public static class Shipped extends BaseEvent<String> {

	}

	/** Holds every emit and keeps it for the test to release. */
	static final class Holding implements EmitInterceptor {

		final List<PendingEmit> held = new CopyOnWriteArrayList<>();

		@Override
		public void onEmit(PendingEmit emit) {
			emit.hold("is held until the transaction commits");
			this.held.add(emit);
		}

	}

	@Test
	void heldEventRunsOnlyOnReleaseAndTheCallerGetsItsResultOnTheSameObject() {
		Holding interceptor = new Holding();
		try (EventBus bus = EventBus.builder("HeldBus").emitInterceptor(interceptor).build()) {
			List<String> ran = new CopyOnWriteArrayList<>();
			bus.on(Placed.class, (event) -> {
				ran.add(event.order);
				return "billed " + event.order;
			});
			Placed event = bus.emit(new Placed("o-1"));

			assertThat(interceptor.held).singleElement().satisfies((emit) -> {
				assertThat(emit.event()).isSameAs(event);
				assertThat(emit.bus()).isSameAs(bus);
			});
			assertThatIllegalStateException().isThrownBy(event::done)
				.withMessageEndingWith("is held until the transaction commits");
			assertThatIllegalStateException().isThrownBy(event::eventResult)
				.withMessageContaining("is held until the transaction commits");
			assertThat(bus.waitUntilIdle(WAIT)).isTrue();
			assertThat(ran).isEmpty();
			CompletableFuture<BaseEvent<String>> completion = event.completion();

			assertThat(interceptor.held.get(0).release()).isTrue();

			assertThat(event.eventResult()).isEqualTo("billed o-1");
			assertThat(completion).succeedsWithin(WAIT);
			assertThat(ran).containsExactly("o-1");
			assertThat(interceptor.held.get(0).release()).isFalse();
			assertThat(interceptor.held.get(0).discard("late")).isFalse();
		}
	}

	@Test
	void discardedEventNeverRunsAndWaitingFailsWithTheReason() {
		Holding interceptor = new Holding();
		try (EventBus bus = EventBus.builder("DiscardBus").emitInterceptor(interceptor).build()) {
			List<String> ran = new CopyOnWriteArrayList<>();
			bus.on(Placed.class, (event) -> {
				ran.add(event.order);
				return "billed";
			});
			Placed event = bus.emit(new Placed("o-2"));
			CompletableFuture<BaseEvent<String>> before = event.completion();

			assertThat(interceptor.held.get(0).discard("the transaction rolled back")).isTrue();

			assertThatIllegalStateException().isThrownBy(event::done)
				.withMessageEndingWith("was not dispatched: the transaction rolled back");
			assertThatThrownBy(() -> before.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
				.hasMessageContaining("the transaction rolled back");
			assertThat(event.completion()).isCompletedExceptionally();
			assertThat(interceptor.held.get(0).release()).isFalse();
			assertThat(bus.waitUntilIdle(WAIT)).isTrue();
			assertThat(ran).isEmpty();
			assertThat(bus.eventHistory()).isEmpty();
		}
	}

	@Test
	void interceptorThatDoesNotHoldLetsTheEmitGoOn() {
		List<String> seen = new CopyOnWriteArrayList<>();
		EmitInterceptor watching = (emit) -> seen.add(emit.event().eventType());
		try (EventBus bus = EventBus.builder("WatchBus").emitInterceptor(watching).build()) {
			bus.on(Placed.class, (event) -> "ok");
			assertThat(bus.emit(new Placed("o-3")).eventResult()).isEqualTo("ok");
			assertThat(seen).containsExactly("Placed");
		}
	}

	@Test
	void childHeldInsideAHandlerAndReleasedThereIsLinkedToItsParent() {
		AtomicReference<PendingEmit> heldChild = new AtomicReference<>();
		EmitInterceptor holdChildren = (emit) -> {
			if (emit.event() instanceof Shipped) {
				emit.hold("is held until the handler's transaction commits");
				heldChild.set(emit);
			}
		};
		try (EventBus bus = EventBus.builder("HeldChildBus").emitInterceptor(holdChildren).build()) {
			AtomicReference<Shipped> child = new AtomicReference<>();
			bus.on(Placed.class, (event) -> {
				Shipped shipped = bus.emit(new Shipped());
				child.set(shipped);
				// what a transaction commit at the end of the handler does
				heldChild.get().release();
				return shipped.eventResult();
			});
			bus.on(Shipped.class, (event) -> "shipped");
			Placed parent = bus.emit(new Placed("o-4"));

			assertThat(parent.eventResult()).isEqualTo("shipped");
			assertThat(child.get().eventParentId()).isEqualTo(parent.eventId());
			assertThat(parent.eventChildren()).containsExactly(child.get());
		}
	}

	@Test
	void emitForHandlersRunsOnlyTheSelectedHandlersAndKeepsTheEventId() {
		try (EventBus bus = new EventBus("SelectBus")) {
			List<String> ran = new CopyOnWriteArrayList<>();
			EventHandler billing = bus.on(Placed.class, (event) -> {
				ran.add("billing");
				return "billed";
			}, HandlerOptions.defaults().name("billing"));
			bus.on(Placed.class, (event) -> {
				ran.add("mail");
				return "mailed";
			}, HandlerOptions.defaults().name("mail"));
			Placed original = new Placed("o-5");
			Placed copy = BaseEvent.fromJson(original.toJson(), Placed.class);

			bus.emitForHandlers(copy, Set.of(billing.id())).done(WAIT);

			assertThat(copy.eventId()).isEqualTo(original.eventId());
			assertThat(ran).containsExactly("billing");
			assertThat(copy.eventResults().values()).extracting(EventResult::handlerName).containsExactly("billing");
			assertThat(copy.eventResult()).isEqualTo("billed");
		}
	}

	@Test
	void handlersForListsExactTypeHandlersBeforeWildcards() {
		try (EventBus bus = new EventBus("HandlersForBus")) {
			EventHandler star = bus.on("*", (event) -> "any");
			EventHandler placed = bus.on(Placed.class, (event) -> "placed");
			bus.on(Shipped.class, (event) -> "shipped");

			assertThat(bus.handlersFor("Placed")).containsExactly(placed, star);
		}
	}

}
