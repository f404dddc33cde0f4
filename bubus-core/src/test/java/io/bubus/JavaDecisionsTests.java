package io.bubus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.bubus.internal.Ids;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The rows of the "Java decisions" table of the API contract (where the Python and
 * TypeScript buses differ) that are about core behaviour, one or more tests per row.
 */
class JavaDecisionsTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	public static class DecisionEvent extends BaseEvent<String> {

		public String tag;

		public DecisionEvent() {
		}

		public DecisionEvent(String tag) {
			this.tag = tag;
		}

	}

	public static class DecisionChild extends BaseEvent<String> {

	}

	public static class DecisionNumber extends BaseEvent<Integer> {

	}

	public static class DecisionAny extends BaseEvent<Object> {

	}

	// ---- awaiting raises ----

	@Test
	void doneNeverThrowsHandlerErrorsButResultAccessorsDo() {
		try (EventBus bus = new EventBus("DecisionRaiseBus")) {
			IllegalStateException failure = new IllegalStateException("handler broke");
			bus.on(DecisionEvent.class, (event) -> {
				throw failure;
			});
			DecisionEvent event = bus.emit(new DecisionEvent("x"));

			assertThat(event.done()).isSameAs(event);
			assertThat(event.done(WAIT)).isSameAs(event);
			assertThat(event.completion().join()).isSameAs(event);
			assertThatThrownBy(event::eventResult).isSameAs(failure);
			assertThatThrownBy(event::eventResultsList).isSameAs(failure);
			assertThatThrownBy(event::first).isSameAs(failure);
		}
	}

	// ---- first() when all handlers fail ----

	@Test
	void firstThrowsLikeEventResultWhenEveryHandlerFails() {
		try (EventBus bus = new EventBus("DecisionFirstFailBus")) {
			IllegalStateException one = new IllegalStateException("one");
			IllegalArgumentException two = new IllegalArgumentException("two");
			bus.on(DecisionEvent.class, (event) -> {
				throw one;
			});
			bus.on(DecisionEvent.class, (event) -> {
				throw two;
			});
			DecisionEvent event = bus.emit(new DecisionEvent("x"));

			assertThatThrownBy(event::first).isInstanceOf(EventHandlerErrors.class)
				.satisfies((thrown) -> assertThat(((EventHandlerErrors) thrown).errors()).containsExactly(one, two));
			assertThat(event.eventHandlerCompletion()).isEqualTo(HandlerCompletion.FIRST);
		}
	}

	@Test
	void firstReturnsNullWhenEveryHandlerReturnedNull() {
		try (EventBus bus = new EventBus("DecisionFirstNullBus")) {
			bus.on(DecisionEvent.class, (event) -> null);
			bus.on(DecisionEvent.class, (event) -> null);
			DecisionEvent event = bus.emit(new DecisionEvent("x"));

			assertThat(event.first()).isNull();
			assertThat(event.eventResults().values())
				.allSatisfy((row) -> assertThat(row.status()).isEqualTo(ResultStatus.COMPLETED));
		}
	}

	@Test
	void firstReturnsTheWinnerEvenWhenAnEarlierHandlerFailed() throws Exception {
		try (EventBus bus = new EventBus("DecisionFirstWinnerBus")) {
			CountDownLatch release = new CountDownLatch(1);
			bus.on(DecisionChild.class, (event) -> {
				release.await();
				return null;
			});
			bus.on(DecisionEvent.class, (event) -> {
				throw new IllegalStateException("early failure");
			});
			bus.on(DecisionEvent.class, (event) -> "winner");
			EventHandler never = bus.on(DecisionEvent.class, (event) -> "never");
			bus.emit(new DecisionChild());
			DecisionEvent event = bus.emit(new DecisionEvent("x"));
			// the bus is busy with the blocker, so first() is set before the event starts
			Thread.ofVirtual().start(() -> {
				await().atMost(WAIT).until(() -> event.eventHandlerCompletion() == HandlerCompletion.FIRST);
				release.countDown();
			});

			assertThat(event.first()).isEqualTo("winner");
			assertThat(event.eventResults().get(never.id()).error()).isInstanceOf(EventHandlerCancelledException.class)
				.hasMessage("Cancelled: first() resolved");
		}
	}

	@Test
	void firstCalledWhileTheEventIsAlreadyRunningStillSkipsTheRemainingHandlers() {
		try (EventBus bus = new EventBus("DecisionFirstLateBus")) {
			AtomicInteger laterRuns = new AtomicInteger();
			bus.on(DecisionEvent.class, (event) -> {
				// a handler may wait: keep running until first() has been called
				while (event.eventHandlerCompletion() != HandlerCompletion.FIRST) {
					Thread.sleep(5);
				}
				return "winner";
			});
			EventHandler later = bus.on(DecisionEvent.class, (event) -> {
				laterRuns.incrementAndGet();
				return "later";
			});
			DecisionEvent event = bus.emit(new DecisionEvent("late first"));
			await().atMost(WAIT).until(() -> event.eventStatus() == EventStatus.STARTED);

			assertThat(event.first()).isEqualTo("winner");
			assertThat(laterRuns).hasValue(0);
			assertThat(event.eventResults().get(later.id()).error()).isInstanceOf(EventHandlerCancelledException.class);
		}
	}

	// ---- queued children when the parent times out ----

	@Test
	void queuedChildOfATimedOutParentIsCancelledAndNeverRuns() {
		try (EventBus bus = new EventBus("DecisionCascadeBus")) {
			AtomicInteger childRuns = new AtomicInteger();
			AtomicReference<DecisionChild> child = new AtomicReference<>();
			EventHandler parentHandler = bus.on(DecisionEvent.class, (event) -> {
				child.set(bus.emit(new DecisionChild()));
				Thread.sleep(5_000);
				return "too late";
			});
			EventHandler childHandler = bus.on(DecisionChild.class, (event) -> {
				childRuns.incrementAndGet();
				return "child ran";
			});
			DecisionEvent parent = new DecisionEvent("slow");
			parent.setEventTimeout(Duration.ofMillis(200));
			bus.emit(parent);

			assertThat(parent.done(WAIT).eventStatus()).isEqualTo(EventStatus.COMPLETED);
			assertThat(child.get().done(WAIT).eventStatus()).isEqualTo(EventStatus.COMPLETED);
			assertThat(bus.waitUntilIdle(WAIT)).isTrue();

			assertThat(parent.eventResults().get(parentHandler.id()).error())
				.isInstanceOf(EventHandlerAbortedException.class);
			assertThat(childRuns).hasValue(0);
			EventResult<String> childRow = child.get().eventResults().get(childHandler.id());
			assertThat(childRow.status()).isEqualTo(ResultStatus.ERROR);
			assertThat(childRow.error()).isInstanceOf(EventHandlerCancelledException.class)
				.hasCauseInstanceOf(EventHandlerTimeoutException.class);
		}
	}

	// ---- queue-jump bus order ----

	@Test
	void queueJumpProcessesTheAwaitedEventOnItsBusesInPathOrder() {
		try (EventBus main = new EventBus("DecisionJumpMain");
				EventBus first = new EventBus("DecisionJumpFirst");
				EventBus second = new EventBus("DecisionJumpSecond")) {
			List<String> order = Collections.synchronizedList(new ArrayList<>());
			first.on(DecisionChild.class, (event) -> order.add("first") ? "first" : null);
			second.on(DecisionChild.class, (event) -> order.add("second") ? "second" : null);
			AtomicReference<DecisionChild> emitted = new AtomicReference<>();
			main.on(DecisionEvent.class, (event) -> {
				DecisionChild child = new DecisionChild();
				emitted.set(child);
				// hold both runloops so only the queue-jump can run the child
				second.pause();
				first.pause();
				try {
					second.emit(child);
					first.emit(child);
					child.done(WAIT);
				}
				finally {
					first.resume();
					second.resume();
				}
				order.add("parent end");
				return "parent";
			});

			main.emit(new DecisionEvent("jump")).done(WAIT);

			assertThat(emitted.get().eventPath()).containsExactly(second.label(), first.label());
			assertThat(order).containsExactly("second", "first", "parent end");
		}
	}

	// ---- parent link for bus.emit in a handler ----

	@Test
	void emitAnywhereOnTheHandlerThreadLinksTheParent() {
		try (EventBus bus = new EventBus("DecisionAmbientBus")) {
			AtomicReference<DecisionChild> child = new AtomicReference<>();
			EventHandler handler = bus.on(DecisionEvent.class, (event) -> {
				child.set(emitFromHelper(bus));
				return null;
			});
			DecisionEvent parent = bus.emit(new DecisionEvent("ambient"));
			parent.done(WAIT);
			DecisionChild outside = bus.emit(new DecisionChild());
			outside.done(WAIT);

			assertThat(child.get().eventParentId()).isEqualTo(parent.eventId());
			assertThat(child.get().eventEmittedByHandlerId()).isEqualTo(handler.id());
			assertThat(outside.eventParentId()).isNull();
			assertThat(outside.eventEmittedByHandlerId()).isNull();
		}
	}

	private static DecisionChild emitFromHelper(EventBus bus) {
		return bus.emit(new DecisionChild());
	}

	// ---- sibling serial handlers during a queue-jump ----

	@Test
	void siblingSerialHandlerStaysPendingWhileTheFirstAwaitsAChild() {
		try (EventBus bus = new EventBus("DecisionSiblingBus")) {
			List<String> order = Collections.synchronizedList(new ArrayList<>());
			AtomicReference<ResultStatus> siblingDuringChild = new AtomicReference<>();
			AtomicReference<DecisionEvent> parentRef = new AtomicReference<>();
			bus.on(DecisionEvent.class, (event) -> {
				order.add("h1 start");
				bus.emit(new DecisionChild()).done(WAIT);
				order.add("h1 end");
				return "h1";
			});
			EventHandler sibling = bus.on(DecisionEvent.class, (event) -> {
				order.add("h2");
				return "h2";
			});
			bus.on(DecisionChild.class, (event) -> {
				order.add("child");
				siblingDuringChild.set(parentRef.get().eventResults().get(sibling.id()).status());
				return "child";
			});
			DecisionEvent parent = new DecisionEvent("siblings");
			parentRef.set(parent);
			bus.emit(parent).done(WAIT);

			assertThat(order).containsExactly("h1 start", "child", "h1 end", "h2");
			assertThat(siblingDuringChild).hasValue(ResultStatus.PENDING);
		}
	}

	// ---- event_results in event JSON ----

	@Test
	void eventResultsAreAnArrayWhenPresentAndAbsentWhenEmpty() {
		try (EventBus bus = new EventBus("DecisionResultsJsonBus")) {
			DecisionEvent none = bus.emit(new DecisionEvent("none"));
			none.done(WAIT);
			bus.on(DecisionChild.class, (event) -> "ok");
			DecisionChild some = bus.emit(new DecisionChild());
			some.done(WAIT);

			assertThat(JsonVectors.tree(none.toJson()).has("event_results")).isFalse();
			assertThat(JsonVectors.tree(some.toJson()).get("event_results").isArray()).isTrue();
			String emptyArray = none.toJson().replace("\"event_type\"", "\"event_results\":[],\"event_type\"");
			assertThat(BaseEvent.fromJson(emptyArray).eventResults()).isEmpty();
			assertThat(BaseEvent.fromJson(none.toJson()).eventResults()).isEmpty();
		}
	}

	// ---- error JSON ----

	@Test
	void handlerControlErrorsUseTheBubusWireNames() {
		try (EventBus bus = new EventBus("DecisionErrorNameBus")) {
			bus.on(DecisionEvent.class, (event) -> {
				Thread.sleep(5_000);
				return "late";
			}, HandlerOptions.defaults().timeout(Duration.ofMillis(100)));
			bus.on(DecisionEvent.class, (event) -> {
				throw new UnsupportedOperationException("plain failure");
			});
			DecisionEvent event = bus.emit(new DecisionEvent("errors"));
			event.done(WAIT);

			JsonNode rows = JsonVectors.tree(event.toJson()).get("event_results");
			assertThat(rows.get(0).get("error").get("type").asString()).isEqualTo("EventHandlerTimeoutError");
			assertThat(rows.get(0).get("error").get("message").asString()).contains("timed out after 0.1s");
			assertThat(rows.get(1).get("error").get("type").asString()).isEqualTo("UnsupportedOperationException");
			assertThat(rows.get(1).get("error").get("message").asString()).isEqualTo("plain failure");
			BaseEvent<?> back = BaseEvent.fromJson(event.toJson());
			assertThat(back.eventResults().values().iterator().next().error())
				.isInstanceOf(EventHandlerTimeoutException.class);
		}
	}

	// ---- event_pending_bus_count ----

	@Test
	void pendingBusCountCountsBusesStillHoldingTheEventAndEndsAtZero() throws Exception {
		try (EventBus a = new EventBus("DecisionCountA"); EventBus b = new EventBus("DecisionCountB")) {
			CountDownLatch entered = new CountDownLatch(2);
			CountDownLatch release = new CountDownLatch(1);
			EventHandlerFunction<BaseEvent<?>> blocking = (event) -> {
				entered.countDown();
				release.await();
				return null;
			};
			a.on("DecisionEvent", blocking);
			b.on("DecisionEvent", blocking);
			DecisionEvent event = new DecisionEvent("count");
			// serial handlers of one event share a lock across buses; parallel lets
			// both run
			event.setEventHandlerConcurrency(HandlerConcurrency.PARALLEL);
			assertThat(event.eventPendingBusCount()).isZero();

			a.emit(event);
			b.emit(event);
			assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
			assertThat(event.eventPendingBusCount()).isEqualTo(2);

			release.countDown();
			event.done(WAIT);
			assertThat(event.eventPendingBusCount()).isZero();
			assertThat(JsonVectors.tree(event.toJson()).get("event_pending_bus_count").asInt()).isZero();
		}
	}

	// ---- result accessor inside a handler ----

	@Test
	void resultAccessorInsideAHandlerQueueJumpsInsteadOfDeadlocking() {
		try (EventBus bus = EventBus.builder("DecisionAccessorJumpBus")
			.eventConcurrency(EventConcurrency.GLOBAL_SERIAL)
			.build()) {
			bus.on(DecisionChild.class, (event) -> "from child");
			bus.on(DecisionEvent.class, (event) -> "parent saw " + bus.emit(new DecisionChild()).eventResult());
			DecisionEvent parent = bus.emit(new DecisionEvent("accessor"));

			assertThat(parent.done(WAIT).eventResult()).isEqualTo("parent saw from child");
		}
	}

	// ---- event_children ----

	@Test
	void childEmittedToTwoBusesIsListedOnce() {
		try (EventBus a = new EventBus("DecisionDedupA"); EventBus b = new EventBus("DecisionDedupB")) {
			EventHandler handler = a.on(DecisionEvent.class, (event) -> {
				DecisionChild child = new DecisionChild();
				a.emit(child);
				b.emit(child);
				return null;
			});
			DecisionEvent parent = a.emit(new DecisionEvent("dedup"));
			parent.done(WAIT);

			assertThat(parent.eventChildren()).hasSize(1);
			assertThat(parent.eventResults().get(handler.id()).eventChildren()).hasSize(1);
			assertThat(parent.eventChildren().get(0).eventPath()).containsExactly(a.label(), b.label());
			assertThat(JsonVectors.tree(parent.toJson()).get("event_results").get(0).get("event_children").size())
				.isEqualTo(1);
		}
	}

	// ---- default bus name / duplicate names ----

	@Test
	void unnamedBusIsNamedAfterTheEndOfItsId() {
		try (EventBus bus = new EventBus()) {
			assertThat(bus.name()).isEqualTo("EventBus_" + Ids.id8(bus.id()));
			assertThat(bus.label()).isEqualTo(bus.name() + "#" + Ids.id4(bus.id()));
		}
	}

	@Test
	void nameInUseByALiveBusGetsASuffixAndAWarningUntilThatBusStops() {
		try (BusLogCapture logs = new BusLogCapture()) {
			EventBus original = new EventBus("DecisionTakenName");
			EventBus duplicate = new EventBus("DecisionTakenName");
			try {
				assertThat(original.name()).isEqualTo("DecisionTakenName");
				assertThat(duplicate.name()).matches("DecisionTakenName_[0-9a-f]{8}");
				assertThat(logs.contains("DecisionTakenName", "already exists", duplicate.name())).isTrue();
			}
			finally {
				duplicate.stop();
				original.stop();
			}
			try (EventBus reused = new EventBus("DecisionTakenName")) {
				assertThat(reused.name()).isEqualTo("DecisionTakenName");
			}
		}
	}

	// ---- on(BaseEvent.class) ----

	@Test
	void handlerForBaseEventClassIsRefused() {
		try (EventBus bus = new EventBus("DecisionBaseEventBus")) {
			assertThatIllegalArgumentException().isThrownBy(() -> bus.on(BaseEvent.class, (event) -> null))
				.withMessageContaining("BaseEvent");
		}
	}

	// ---- result repr in the log tree ----

	@Test
	void logTreeShowsResultsInJsonForm() {
		try (EventBus bus = new EventBus("DecisionTreeBus")) {
			bus.on(DecisionAny.class, (event) -> "ok");
			bus.on(DecisionAny.class, (event) -> 42);
			bus.on(DecisionAny.class, (event) -> null);
			bus.on(DecisionAny.class, (event) -> List.of(1, 2, 3));
			bus.on(DecisionAny.class, (event) -> {
				throw new IllegalStateException("Test error message");
			});
			DecisionAny event = bus.emit(new DecisionAny());
			event.done(WAIT);

			String tree = bus.logTree();

			assertThat(tree).contains("└── DecisionAny#" + Ids.id4(event.eventId()) + " [")
				.contains("✅ " + bus.label() + ".")
				.contains("→ \"ok\"")
				.contains("→ 42")
				.contains("→ None")
				.contains("→ list(3 items)")
				.contains("❌ " + bus.label() + ".")
				.contains("IllegalStateException: Test error message")
				.contains("s)]");
		}
	}

	@Test
	void logTreeOfAnEmptyBusSaysSo() {
		try (EventBus bus = new EventBus("DecisionEmptyTreeBus")) {
			assertThat(bus.logTree()).isEqualTo("(No events in history)");
		}
	}

	// ---- started ----

	@Test
	void eventIsStartedWhenABusStartsProcessingItBeforeItsFirstHandler() {
		try (EventBus bus = new EventBus("DecisionStartedBus")) {
			AtomicReference<EventStatus> seen = new AtomicReference<>();
			EventHandler handler = bus.on(DecisionEvent.class, (event) -> {
				seen.set(event.eventStatus());
				return "ok";
			});
			DecisionEvent event = bus.emit(new DecisionEvent("started"));
			event.done(WAIT);

			assertThat(seen).hasValue(EventStatus.STARTED);
			assertThat(event.eventStartedAt()).isBefore(event.eventResults().get(handler.id()).startedAt());
		}
	}

	// ---- result coercion ----

	@Test
	void resultCoercionIsStrict() {
		try (EventBus bus = new EventBus("DecisionCoercionBus")) {
			EventHandler text = bus.on(DecisionNumber.class, (event) -> "123");
			EventHandler fraction = bus.on(DecisionNumber.class, (event) -> 1.5);
			EventHandler bool = bus.on(DecisionNumber.class, (event) -> true);
			EventHandler wide = bus.on(DecisionNumber.class, (event) -> 5L);
			EventHandler exact = bus.on(DecisionNumber.class, (event) -> 7);
			DecisionNumber event = bus.emit(new DecisionNumber());
			event.done(WAIT);

			for (EventHandler rejected : List.of(text, fraction, bool)) {
				assertThat(event.eventResults().get(rejected.id()).error())
					.isInstanceOf(EventHandlerResultSchemaException.class);
			}
			assertThat(event.eventResults().get(wide.id()).result()).isEqualTo(5);
			assertThat(event.eventResults().get(exact.id()).result()).isEqualTo(7);
			assertThat(event.eventResultsList(ResultFilter.defaults().raiseIfAny(false))).containsExactly(5, 7);
		}
	}

}
