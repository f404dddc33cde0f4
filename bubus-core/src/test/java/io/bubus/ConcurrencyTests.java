package io.bubus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.RepeatedTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Event concurrency (global-serial, bus-serial, parallel) and handler concurrency
 * (serial, parallel), with per-event overrides: spec/core §12, scenarios 16–18.
 */
class ConcurrencyTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	public static class CcWork extends BaseEvent<String> {

		public String lane = "";

		public int n;

		public CcWork() {
		}

		CcWork(String lane, int n) {
			this.lane = lane;
			this.n = n;
		}

	}

	// ---- scenario 16: event concurrency ----

	@RepeatedTest(50)
	void busSerialEventsRunOneAtATimePerBusButOverlapAcrossBuses() throws Exception {
		ConcurrencyProbe probe = new ConcurrencyProbe();
		CountDownLatch firstOfEachBus = new CountDownLatch(2);
		try (EventBus a = new EventBus("CcBusSerialA"); EventBus b = new EventBus("CcBusSerialB")) {
			for (EventBus bus : List.of(a, b)) {
				bus.on(CcWork.class, (event) -> {
					probe.enter(event.lane);
					try {
						if (event.n == 0) {
							ConcurrencyProbe.meet(firstOfEachBus);
						}
						Thread.sleep(2);
					}
					finally {
						probe.exit(event.lane);
					}
					return null;
				});
			}
			List<CcWork> events = new ArrayList<>();
			for (int i = 0; i < 3; i++) {
				events.add(a.emit(new CcWork("a", i)));
				events.add(b.emit(new CcWork("b", i)));
			}
			awaitAll(events);
			assertThat(probe.max("a")).isEqualTo(1);
			assertThat(probe.max("b")).isEqualTo(1);
			assertThat(probe.max()).isGreaterThanOrEqualTo(2);
		}
	}

	@RepeatedTest(50)
	void globalSerialRunsOneEventAtATimeAcrossBusesInPerBusFifoOrder() throws Exception {
		ConcurrencyProbe probe = new ConcurrencyProbe();
		try (EventBus a = globalSerial("CcGlobalA"); EventBus b = globalSerial("CcGlobalB")) {
			for (EventBus bus : List.of(a, b)) {
				bus.on(CcWork.class, (event) -> {
					probe.step(event.lane + event.n);
					probe.work("all", Duration.ofMillis(2));
					return null;
				});
			}
			List<CcWork> events = new ArrayList<>();
			for (int i = 0; i < 3; i++) {
				events.add(a.emit(new CcWork("a", i)));
				events.add(b.emit(new CcWork("b", i)));
			}
			awaitAll(events);
			assertThat(probe.max()).isEqualTo(1);
			assertThat(probe.steps().stream().filter((step) -> step.startsWith("a"))).containsExactly("a0", "a1", "a2");
			assertThat(probe.steps().stream().filter((step) -> step.startsWith("b"))).containsExactly("b0", "b1", "b2");
		}
	}

	@RepeatedTest(50)
	void parallelEventsOverlapOnOneBus() throws Exception {
		CountDownLatch allThree = new CountDownLatch(3);
		try (EventBus bus = EventBus.builder("CcParallel").eventConcurrency(EventConcurrency.PARALLEL).build()) {
			bus.on(CcWork.class, (event) -> {
				ConcurrencyProbe.meet(allThree);
				return "ok";
			});
			List<CcWork> events = List.of(bus.emit(new CcWork("p", 0)), bus.emit(new CcWork("p", 1)),
					bus.emit(new CcWork("p", 2)));
			awaitAll(events);
			assertThat(events).allSatisfy((event) -> assertThat(event.eventResult()).isEqualTo("ok"));
		}
	}

	@RepeatedTest(50)
	void parallelEventOverrideOverlapsOnBusSerialBus() throws Exception {
		CountDownLatch both = new CountDownLatch(2);
		try (EventBus bus = new EventBus("CcOverrideParallel")) {
			bus.on(CcWork.class, (event) -> {
				ConcurrencyProbe.meet(both);
				return "ok";
			});
			CcWork first = new CcWork("p", 0);
			CcWork second = new CcWork("p", 1);
			first.setEventConcurrency(EventConcurrency.PARALLEL);
			second.setEventConcurrency(EventConcurrency.PARALLEL);
			awaitAll(List.of(bus.emit(first), bus.emit(second)));
			assertThat(first.eventResult()).isEqualTo("ok");
			assertThat(second.eventResult()).isEqualTo("ok");
		}
	}

	@RepeatedTest(50)
	void busSerialEventOverrideSerializesOnParallelBus() throws Exception {
		ConcurrencyProbe probe = new ConcurrencyProbe();
		try (EventBus bus = EventBus.builder("CcOverrideSerial").eventConcurrency(EventConcurrency.PARALLEL).build()) {
			bus.on(CcWork.class, (event) -> {
				probe.work("all", Duration.ofMillis(3));
				return null;
			});
			List<CcWork> events = new ArrayList<>();
			for (int i = 0; i < 3; i++) {
				CcWork event = new CcWork("s", i);
				event.setEventConcurrency(EventConcurrency.BUS_SERIAL);
				events.add(bus.emit(event));
			}
			awaitAll(events);
			assertThat(probe.max()).isEqualTo(1);
		}
	}

	// ---- scenario 17: handler concurrency ----

	@RepeatedTest(50)
	void parallelHandlerOverrideRunsHandlersOfOneEventTogether() throws Exception {
		CountDownLatch both = new CountDownLatch(2);
		try (EventBus bus = new EventBus("CcHandlersParallel")) {
			bus.on(CcWork.class, (event) -> {
				ConcurrencyProbe.meet(both);
				return "one";
			});
			bus.on(CcWork.class, (event) -> {
				ConcurrencyProbe.meet(both);
				return "two";
			});
			CcWork event = new CcWork("h", 0);
			event.setEventHandlerConcurrency(HandlerConcurrency.PARALLEL);
			bus.emit(event).done(WAIT);
			assertThat(event.eventResultsList()).containsExactly("one", "two");
		}
	}

	@RepeatedTest(50)
	void serialHandlerOverrideRunsHandlersOneAtATimeInRegistrationOrder() throws Exception {
		ConcurrencyProbe probe = new ConcurrencyProbe();
		try (EventBus bus = EventBus.builder("CcHandlersSerial")
			.eventHandlerConcurrency(HandlerConcurrency.PARALLEL)
			.build()) {
			for (int i = 0; i < 3; i++) {
				String name = "h" + i;
				bus.on(CcWork.class, (event) -> {
					probe.step(name);
					probe.work("all", Duration.ofMillis(2));
					return name;
				});
			}
			CcWork event = new CcWork("h", 0);
			event.setEventHandlerConcurrency(HandlerConcurrency.SERIAL);
			bus.emit(event).done(WAIT);
			assertThat(probe.max()).isEqualTo(1);
			assertThat(probe.steps()).containsExactly("h0", "h1", "h2");
			assertThat(event.eventResultsList()).containsExactly("h0", "h1", "h2");
		}
	}

	@RepeatedTest(5)
	void parallelHandlersFinishInAboutTheTimeOfTheSlowestOne() throws Exception {
		try (EventBus bus = EventBus.builder("CcHandlersTiming")
			.eventHandlerConcurrency(HandlerConcurrency.PARALLEL)
			.build()) {
			for (int i = 0; i < 2; i++) {
				bus.on(CcWork.class, (event) -> {
					Thread.sleep(300);
					return "done";
				});
			}
			long start = System.nanoTime();
			CcWork event = bus.emit(new CcWork("t", 0));
			event.done(WAIT);
			Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
			// serial would take >= 600 ms
			assertThat(elapsed).isLessThan(Duration.ofMillis(550));
			assertThat(event.eventResultsList()).containsExactly("done", "done");
		}
	}

	@RepeatedTest(50)
	void parallelEventsWithSerialHandlersOverlapEventsButNeverOneEventsHandlers() throws Exception {
		ConcurrencyProbe probe = new ConcurrencyProbe();
		CountDownLatch firstHandlers = new CountDownLatch(2);
		try (EventBus bus = EventBus.builder("CcParallelEventsSerialHandlers")
			.eventConcurrency(EventConcurrency.PARALLEL)
			.eventHandlerConcurrency(HandlerConcurrency.SERIAL)
			.build()) {
			bus.on(CcWork.class, (event) -> {
				probe.enter(event.eventId());
				try {
					ConcurrencyProbe.meet(firstHandlers);
				}
				finally {
					probe.exit(event.eventId());
				}
				return null;
			});
			bus.on(CcWork.class, (event) -> {
				probe.work(event.eventId(), Duration.ofMillis(2));
				return null;
			});
			CcWork one = bus.emit(new CcWork("x", 0));
			CcWork two = bus.emit(new CcWork("x", 1));
			awaitAll(List.of(one, two));
			assertThat(probe.max(one.eventId())).isEqualTo(1);
			assertThat(probe.max(two.eventId())).isEqualTo(1);
			assertThat(probe.max()).isGreaterThanOrEqualTo(2);
		}
	}

	// ---- scenario 18: pending while waiting for the handler lock ----

	@RepeatedTest(10)
	void serialHandlerWaitingForTheLockStaysPendingAndDoesNotWarnSlowEarly() throws Exception {
		CountDownLatch firstStarted = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		try (BusLogCapture logs = new BusLogCapture(); EventBus bus = new EventBus("CcLockPending")) {
			bus.on(CcWork.class, (event) -> {
				firstStarted.countDown();
				ConcurrencyProbe.awaitOpen(release);
				return "one";
			}, HandlerOptions.defaults().name("blocker"));
			bus.on(CcWork.class, (event) -> {
				Thread.sleep(400);
				return "two";
			}, HandlerOptions.defaults().name("waiter").slowTimeout(Duration.ofMillis(30)));
			CcWork event = bus.emit(new CcWork("l", 0));
			ConcurrencyProbe.awaitOpen(firstStarted);

			List<EventResult<String>> rows = List.copyOf(event.eventResults().values());
			assertThat(rows).extracting(EventResult::status)
				.containsExactly(ResultStatus.STARTED, ResultStatus.PENDING);
			await().during(Duration.ofMillis(200))
				.atMost(Duration.ofSeconds(2))
				.until(() -> !logs.contains("Slow event handler", "waiter#"));

			release.countDown();
			event.done(WAIT);
			assertThat(rows).extracting(EventResult::status)
				.containsExactly(ResultStatus.COMPLETED, ResultStatus.COMPLETED);
			assertThat(rows).extracting(EventResult::result).containsExactly("one", "two");
			await().atMost(Duration.ofSeconds(5)).until(() -> logs.contains("Slow event handler", "waiter#"));
		}
	}

	private static EventBus globalSerial(String name) {
		return EventBus.builder(name).eventConcurrency(EventConcurrency.GLOBAL_SERIAL).build();
	}

	static void awaitAll(List<? extends BaseEvent<?>> events) {
		for (BaseEvent<?> event : events) {
			assertThat(event.done(WAIT).eventStatus()).isEqualTo(EventStatus.COMPLETED);
		}
	}

}
