package io.bubus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Middleware hooks (spec/integrations §2.1, §2.2, §2.4): which hooks fire, how often, in
 * which order, and what they see.
 */
class MiddlewareHookTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	public static class HookedEvent extends BaseEvent<String> {

		public int index;

		public HookedEvent() {
		}

		public HookedEvent(int index) {
			this.index = index;
		}

	}

	public static class UnhandledEvent extends BaseEvent<Void> {

	}

	/** One hook call as a middleware saw it. */
	record Call(String middleware, String kind, String busLabel, String eventId, String handlerId, String phase,
			String runtimeStatus, Object value) {

	}

	/** Appends every hook call to a list shared by all recorders of a test. */
	static final class Recorder implements EventBusMiddleware {

		private final String name;

		private final List<Call> calls;

		Recorder(String name, List<Call> calls) {
			this.name = name;
			this.calls = calls;
		}

		@Override
		public void onEventChange(EventBus bus, BaseEvent<?> event, EventStatus status) {
			record(new Call(this.name, "event", bus.label(), event.eventId(), "", status.wireValue(),
					event.eventStatus().wireValue(), ""));
		}

		@Override
		public void onEventResultChange(EventBus bus, BaseEvent<?> event, EventResult<?> result, ResultStatus status) {
			Object value = (result.error() != null) ? result.error().getClass().getSimpleName()
					: String.valueOf(result.result());
			record(new Call(this.name, "result", bus.label(), event.eventId(), result.handlerId(), status.wireValue(),
					result.status().wireValue(), value));
		}

		@Override
		public void onBusHandlersChange(EventBus bus, EventHandler handler, boolean registered) {
			record(new Call(this.name, registered ? "registered" : "unregistered", bus.label(), "", handler.id(),
					handler.eventPattern(), handler.eventbusId(), handler.eventbusName()));
		}

		private void record(Call call) {
			synchronized (this.calls) {
				this.calls.add(call);
			}
		}

	}

	private static List<Call> snapshot(List<Call> calls, Predicate<Call> filter) {
		synchronized (calls) {
			return calls.stream().filter(filter).toList();
		}
	}

	private static List<String> phases(List<Call> calls, Predicate<Call> filter) {
		return snapshot(calls, filter).stream().map(Call::phase).toList();
	}

	/**
	 * done() may return while the completing thread still runs the completed hooks: wait
	 * for them.
	 */
	private static void awaitCompletedHooks(List<Call> calls, BaseEvent<?>... events) {
		Set<String> ids = Arrays.stream(events).map(BaseEvent::eventId).collect(Collectors.toSet());
		await().atMost(WAIT)
			.pollDelay(Duration.ZERO)
			.pollInterval(Duration.ofMillis(5))
			.until(() -> snapshot(calls,
					(call) -> call.kind().equals("event") && call.phase().equals("completed")
							&& ids.contains(call.eventId()))
				.stream()
				.map(Call::eventId)
				.collect(Collectors.toSet())
				.size() == ids.size());
	}

	private static List<String> runtimeStatuses(List<Call> calls, Predicate<Call> filter) {
		return snapshot(calls, filter).stream().map(Call::runtimeStatus).toList();
	}

	@Test
	void successfulHandlerIsSeenStartedThenCompletedWithItsValue() {
		List<Call> calls = new ArrayList<>();
		try (EventBus bus = EventBus.builder("HookSuccessBus").middleware(new Recorder("A", calls)).build()) {
			bus.on(HookedEvent.class, (event) -> "ok");
			HookedEvent event = bus.emit(new HookedEvent(1));
			event.done(WAIT);
			awaitCompletedHooks(calls, event);

			List<Call> results = snapshot(calls, (call) -> call.kind().equals("result"));
			assertThat(results).extracting(Call::phase).containsExactly("pending", "started", "completed");
			assertThat(results.get(2).value()).isEqualTo("ok");
			assertThat(event.eventResult()).isEqualTo("ok");
		}
	}

	@Test
	void failingHandlerIsSeenCompletedWithRuntimeStatusErrorNeverAsAnErrorPhase() {
		List<Call> calls = new ArrayList<>();
		try (EventBus bus = EventBus.builder("HookErrorBus").middleware(new Recorder("A", calls)).build()) {
			bus.on(HookedEvent.class, (event) -> {
				throw new IllegalArgumentException("bad input");
			});
			awaitCompletedHooks(calls, bus.emit(new HookedEvent(1)).done(WAIT));

			List<Call> results = snapshot(calls, (call) -> call.kind().equals("result"));
			assertThat(results).extracting(Call::phase).containsExactly("pending", "started", "completed");
			assertThat(results).extracting(Call::runtimeStatus).containsExactly("pending", "started", "error");
			assertThat(results.get(2).value()).isEqualTo("IllegalArgumentException");
			assertThat(phases(calls, (call) -> call.kind().equals("event"))).containsExactly("pending", "started",
					"completed");
		}
	}

	@RepeatedTest(3)
	void everyEventAndResultSeesEachPhaseOnceInOrderOnEveryBusAndMiddlewaresRunInRegistrationOrder() {
		List<Call> calls = new ArrayList<>();
		List<EventBus> buses = new ArrayList<>();
		List<HookedEvent> events = new ArrayList<>();
		try {
			for (int b = 0; b < 5; b++) {
				EventBus bus = EventBus.builder("HookOrderBus" + b)
					.eventConcurrency((b % 2 == 0) ? EventConcurrency.PARALLEL : EventConcurrency.BUS_SERIAL)
					.eventHandlerConcurrency((b < 3) ? HandlerConcurrency.PARALLEL : HandlerConcurrency.SERIAL)
					.maxHistorySize(null)
					.middleware(new Recorder("A", calls))
					.middleware(new Recorder("B", calls))
					.build();
				buses.add(bus);
				bus.on(HookedEvent.class, (event) -> "first-" + event.index);
				bus.on("*", (event) -> (((HookedEvent) event).index % 7 == 0) ? fail() : "star");
			}
			for (int i = 0; i < 50; i++) {
				for (EventBus bus : buses) {
					events.add(bus.emit(new HookedEvent(i)));
				}
			}
			for (HookedEvent event : events) {
				event.done(WAIT);
			}
			awaitCompletedHooks(calls, events.toArray(BaseEvent<?>[]::new));

			for (HookedEvent event : events) {
				String bus = event.eventPath().get(0);
				Predicate<Call> ofEvent = (call) -> call.eventId().equals(event.eventId())
						&& call.busLabel().equals(bus);
				assertThat(phases(calls,
						ofEvent.and((call) -> call.kind().equals("event") && call.middleware().equals("A"))))
					.as("event hooks of %s", event)
					.containsExactly("pending", "started", "completed");
				for (EventResult<?> row : event.eventResults().values()) {
					assertThat(phases(calls, ofEvent
						.and((call) -> call.handlerId().equals(row.handlerId()) && call.middleware().equals("A"))))
						.as("result hooks of %s", row)
						.containsExactly("pending", "started", "completed");
				}
				List<Call> sequence = snapshot(calls, ofEvent);
				assertThat(sequence).hasSize(2 * (3 + 2 * 3));
				assertThat(sequence.get(0)).extracting(Call::kind, Call::phase).containsExactly("event", "pending");
				assertThat(sequence.get(sequence.size() - 1)).extracting(Call::kind, Call::phase)
					.containsExactly("event", "completed");
				List<String> handlerIds = new ArrayList<>(event.eventResults().keySet());
				handlerIds.add("");
				for (String handlerId : handlerIds) {
					List<Call> ofOne = sequence.stream().filter((call) -> call.handlerId().equals(handlerId)).toList();
					for (int i = 0; i < ofOne.size(); i += 2) {
						assertThat(ofOne.get(i).middleware()).isEqualTo("A");
						assertThat(ofOne.get(i + 1).middleware()).isEqualTo("B");
						assertThat(ofOne.get(i + 1).phase()).isEqualTo(ofOne.get(i).phase());
					}
				}
			}
		}
		finally {
			buses.forEach(EventBus::stop);
		}
	}

	private static String fail() {
		throw new IllegalStateException("every seventh event fails");
	}

	@Test
	void eventWithoutHandlersIsStillSeenStarted() {
		List<Call> calls = new ArrayList<>();
		try (EventBus bus = EventBus.builder("HookNoHandlerBus").middleware(new Recorder("A", calls)).build()) {
			awaitCompletedHooks(calls, bus.emit(new UnhandledEvent()).done(WAIT));

			assertThat(phases(calls, (call) -> call.kind().equals("event"))).containsExactly("pending", "started",
					"completed");
			assertThat(snapshot(calls, (call) -> call.kind().equals("result"))).isEmpty();
		}
	}

	@Test
	void eventTimeoutReportsTheAbortedHandlerAsStartedAndTheCancelledOneAsNeverStarted() throws Exception {
		List<Call> calls = new ArrayList<>();
		CountDownLatch never = new CountDownLatch(1);
		// spec §2.4 uses 20 ms; 200 ms keeps "the slow handler started" true on a
		// loaded machine
		try (EventBus bus = EventBus.builder("HookTimeoutBus")
			.eventTimeout(Duration.ofMillis(200))
			.middleware(new Recorder("A", calls))
			.build()) {
			EventHandler slow = bus.on(HookedEvent.class, (event) -> never.await(10, TimeUnit.SECONDS));
			EventHandler fast = bus.on(HookedEvent.class, (event) -> "fast");
			HookedEvent event = bus.emit(new HookedEvent(1));
			awaitCompletedHooks(calls, event.done(WAIT));

			assertThat(phases(calls, (call) -> call.kind().equals("event"))).containsExactly("pending", "started",
					"completed");
			Predicate<Call> ofSlow = (call) -> call.kind().equals("result") && call.handlerId().equals(slow.id());
			Predicate<Call> ofFast = (call) -> call.kind().equals("result") && call.handlerId().equals(fast.id());
			assertThat(phases(calls, ofSlow)).containsExactly("pending", "started", "completed");
			assertThat(runtimeStatuses(calls, ofSlow)).containsExactly("pending", "started", "error");
			assertThat(snapshot(calls, ofSlow).get(2).value()).isEqualTo("EventHandlerAbortedException");
			assertThat(phases(calls, ofFast)).containsExactly("pending", "completed");
			assertThat(runtimeStatuses(calls, ofFast)).containsExactly("pending", "error");
			assertThat(snapshot(calls, ofFast).get(1).value()).isEqualTo("EventHandlerCancelledException");
		}
	}

	@Test
	void classStringAndStarHandlersEachGetRegistrationResultAndUnregistrationHooks() {
		List<Call> calls = new ArrayList<>();
		try (EventBus bus = EventBus.builder("HookPatternBus").middleware(new Recorder("A", calls)).build()) {
			EventHandler byClass = bus.on(HookedEvent.class, (event) -> "class");
			EventHandler byString = bus.on("HookedEvent", (event) -> "string");
			EventHandler byStar = bus.on("*", (event) -> "star");

			List<Call> registered = snapshot(calls, (call) -> call.kind().equals("registered"));
			assertThat(registered).extracting(Call::handlerId)
				.containsExactly(byClass.id(), byString.id(), byStar.id());
			assertThat(registered).extracting(Call::phase).containsExactly("HookedEvent", "HookedEvent", "*");
			assertThat(registered).extracting(Call::runtimeStatus).containsOnly(bus.id());

			HookedEvent event = bus.emit(new HookedEvent(1));
			awaitCompletedHooks(calls, event.done(WAIT));
			Map<String, String> expected = Map.of(byClass.id(), "class", byString.id(), "string", byStar.id(), "star");
			expected.forEach((handlerId, value) -> {
				List<Call> rows = snapshot(calls,
						(call) -> call.handlerId().equals(handlerId) && call.kind().equals("result"));
				assertThat(rows).extracting(Call::phase).containsExactly("pending", "started", "completed");
				assertThat(rows.get(2).value()).isEqualTo(value);
			});

			bus.off(byClass);
			bus.off(byString);
			bus.off(byStar);
			assertThat(snapshot(calls, (call) -> call.kind().equals("unregistered"))).extracting(Call::handlerId)
				.containsExactly(byClass.id(), byString.id(), byStar.id());
		}
	}

	@Test
	void adHocEventTypeWithStringAndStarHandlersGetsTheSameHooks() {
		List<Call> calls = new ArrayList<>();
		try (EventBus bus = EventBus.builder("HookAdHocBus").middleware(new Recorder("A", calls)).build()) {
			EventHandler byString = bus.on("AdHocPatternEvent", (event) -> "string:" + ((DynamicEvent) event).get("n"));
			EventHandler byStar = bus.on("*", (event) -> "star");

			awaitCompletedHooks(calls, bus.emit(new DynamicEvent("AdHocPatternEvent", Map.of("n", 7))).done(WAIT));

			assertThat(snapshot(calls, (call) -> call.kind().equals("registered"))).extracting(Call::phase)
				.containsExactly("AdHocPatternEvent", "*");
			List<Call> stringRows = snapshot(calls,
					(call) -> call.handlerId().equals(byString.id()) && call.kind().equals("result"));
			List<Call> starRows = snapshot(calls,
					(call) -> call.handlerId().equals(byStar.id()) && call.kind().equals("result"));
			assertThat(stringRows).extracting(Call::phase).containsExactly("pending", "started", "completed");
			assertThat(starRows).extracting(Call::phase).containsExactly("pending", "started", "completed");
			assertThat(stringRows.get(2).value()).isEqualTo("string:7");
			assertThat(starRows.get(2).value()).isEqualTo("star");

			bus.off("AdHocPatternEvent");
			bus.off("*");
			assertThat(snapshot(calls, (call) -> call.kind().equals("unregistered"))).extracting(Call::handlerId)
				.containsExactly(byString.id(), byStar.id());
		}
	}

	@Test
	void forwardedEventFiresEachBussOwnMiddlewaresForItsOwnHandlers() {
		List<Call> callsA = new ArrayList<>();
		List<Call> callsB = new ArrayList<>();
		try (EventBus a = EventBus.builder("HookForwardA").middleware(new Recorder("A", callsA)).build();
				EventBus b = EventBus.builder("HookForwardB").middleware(new Recorder("B", callsB)).build()) {
			EventHandler onA = a.on(HookedEvent.class, (event) -> "on a");
			EventHandler onB = b.on(HookedEvent.class, (event) -> "on b");
			a.on("*", b::emit);
			HookedEvent event = a.emit(new HookedEvent(1));
			awaitCompletedHooks(callsA, event.done(WAIT));
			awaitCompletedHooks(callsB, event);

			assertThat(phases(callsA, (call) -> call.kind().equals("event"))).containsExactly("pending", "started",
					"completed");
			assertThat(phases(callsB, (call) -> call.kind().equals("event"))).containsExactly("pending", "started",
					"completed");
			assertThat(snapshot(callsA, (call) -> call.kind().equals("result"))).extracting(Call::handlerId)
				.doesNotContain(onB.id())
				.contains(onA.id());
			assertThat(snapshot(callsB, (call) -> call.kind().equals("result"))).extracting(Call::handlerId)
				.containsOnly(onB.id());
			assertThat(snapshot(callsB, (call) -> true)).extracting(Call::busLabel).containsOnly(b.label());
		}
	}

	@Test
	void hookThatThrowsIsLoggedAndTheBusAndLaterMiddlewaresCarryOn() {
		List<Call> calls = new ArrayList<>();
		EventBusMiddleware broken = new EventBusMiddleware() {
			@Override
			public void onEventChange(EventBus bus, BaseEvent<?> event, EventStatus status) {
				throw new IllegalStateException("broken hook");
			}

			@Override
			public void onEventResultChange(EventBus bus, BaseEvent<?> event, EventResult<?> result,
					ResultStatus status) {
				throw new IllegalStateException("broken hook");
			}

			@Override
			public String toString() {
				return "BrokenMiddleware";
			}
		};
		try (BusLogCapture logs = new BusLogCapture();
				EventBus bus = EventBus.builder("HookBrokenBus")
					.middleware(broken)
					.middleware(new Recorder("A", calls))
					.build()) {
			bus.on(HookedEvent.class, (event) -> "still ok");
			HookedEvent event = bus.emit(new HookedEvent(1));

			assertThat(event.done(WAIT).eventStatus()).isEqualTo(EventStatus.COMPLETED);
			awaitCompletedHooks(calls, event);
			assertThat(event.eventResult()).isEqualTo("still ok");
			assertThat(phases(calls, (call) -> call.kind().equals("event"))).containsExactly("pending", "started",
					"completed");
			assertThat(logs.contains("BrokenMiddleware", "failed in onEventChange")).isTrue();
		}
	}

}
