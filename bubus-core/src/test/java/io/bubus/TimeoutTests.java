package io.bubus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Handler and event timeouts, their precedence, cascading cancellation to descendants and
 * the bus's health afterwards: spec/core §15, scenarios 27–32.
 */
class TimeoutTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	/** Long enough that only a timeout ends it. */
	private static final long FOREVER_MS = 30_000;

	public static class ToWork extends BaseEvent<String> {

		public String name = "";

		public ToWork() {
		}

		ToWork(String name) {
			this.name = name;
		}

	}

	public static class ToChild extends BaseEvent<String> {

		public String name = "";

		public ToChild() {
		}

		ToChild(String name) {
			this.name = name;
		}

	}

	public static class ToTail extends BaseEvent<String> {

	}

	// ---- scenario 27 ----

	@RepeatedTest(20)
	void handlerTimeoutFailsOnlyThatHandler() {
		try (EventBus bus = EventBus.builder("ToHandler")
			.eventTimeout(Duration.ofSeconds(5))
			.eventHandlerTimeout(Duration.ofMillis(50))
			.build()) {
			bus.on(ToWork.class, (event) -> {
				Thread.sleep(FOREVER_MS);
				return "slow";
			});
			bus.on(ToWork.class, (event) -> "fast");
			ToWork event = bus.emit(new ToWork());
			event.done(WAIT);

			List<EventResult<String>> rows = rows(event);
			assertThat(rows.get(0).status()).isEqualTo(ResultStatus.ERROR);
			assertThat(rows.get(0).error()).isInstanceOf(EventHandlerTimeoutException.class);
			assertThat(rows.get(1).status()).isEqualTo(ResultStatus.COMPLETED);
			assertThat(rows.get(1).result()).isEqualTo("fast");
			assertThat(event.eventStatus()).isEqualTo(EventStatus.COMPLETED);
		}
	}

	// ---- scenario 28 ----

	@RepeatedTest(20)
	void eventTimeoutCapsSerialHandlersCompletedAbortedCancelled() {
		AtomicInteger thirdCalls = new AtomicInteger();
		try (EventBus bus = EventBus.builder("ToSerialCap").eventTimeout(Duration.ofMillis(200)).build()) {
			bus.on(ToWork.class, (event) -> "first");
			bus.on(ToWork.class, (event) -> {
				Thread.sleep(FOREVER_MS);
				return "second";
			});
			bus.on(ToWork.class, (event) -> {
				thirdCalls.incrementAndGet();
				return "third";
			});
			ToWork event = bus.emit(new ToWork());
			event.done(WAIT);

			List<EventResult<String>> rows = rows(event);
			assertThat(rows.get(0).result()).isEqualTo("first");
			assertThat(rows.get(1).error()).isInstanceOf(EventHandlerAbortedException.class)
				.hasCauseInstanceOf(EventHandlerTimeoutException.class);
			assertThat(rows.get(2).error()).isInstanceOf(EventHandlerCancelledException.class);
			assertThat(thirdCalls).hasValue(0);
			assertThat(event.eventStatus()).isEqualTo(EventStatus.COMPLETED);
			assertThat(rows).allSatisfy((row) -> assertThat(row.completedAt()).isNotNull());
		}
	}

	@RepeatedTest(20)
	void eventTimeoutAbortsEveryStartedParallelHandler() {
		CountDownLatch bothStarted = new CountDownLatch(2);
		try (EventBus bus = EventBus.builder("ToParallelCap")
			.eventTimeout(Duration.ofMillis(300))
			.eventHandlerConcurrency(HandlerConcurrency.PARALLEL)
			.build()) {
			for (int i = 0; i < 2; i++) {
				bus.on(ToWork.class, (event) -> {
					bothStarted.countDown();
					Thread.sleep(FOREVER_MS);
					return "never";
				});
			}
			ToWork event = bus.emit(new ToWork());
			event.done(WAIT);

			assertThat(bothStarted.getCount()).isZero();
			assertThat(rows(event))
				.allSatisfy((row) -> assertThat(row.error()).isInstanceOf(EventHandlerAbortedException.class));
		}
	}

	@RepeatedTest(20)
	void handlerThatTimedOutOnItsOwnKeepsItsTimeoutErrorWhenTheEventTimesOut() {
		try (EventBus bus = EventBus.builder("ToKeepOwn")
			.eventTimeout(Duration.ofMillis(400))
			.eventHandlerConcurrency(HandlerConcurrency.PARALLEL)
			.build()) {
			bus.on(ToWork.class, (event) -> {
				Thread.sleep(FOREVER_MS);
				return "own";
			}, HandlerOptions.defaults().timeout(Duration.ofMillis(30)));
			bus.on(ToWork.class, (event) -> {
				Thread.sleep(FOREVER_MS);
				return "event";
			});
			ToWork event = bus.emit(new ToWork());
			event.done(WAIT);

			List<EventResult<String>> rows = rows(event);
			assertThat(rows.get(0).error()).isInstanceOf(EventHandlerTimeoutException.class);
			assertThat(rows.get(1).error()).isInstanceOf(EventHandlerAbortedException.class);
		}
	}

	@RepeatedTest(20)
	void coincidingHandlerAndEventTimeoutsAbort() {
		try (EventBus bus = new EventBus("ToCoincide")) {
			bus.on(ToWork.class, (event) -> {
				Thread.sleep(FOREVER_MS);
				return "never";
			});
			ToWork event = new ToWork();
			event.setEventTimeout(Duration.ofMillis(100));
			event.setEventHandlerTimeout(Duration.ofMillis(100));
			bus.emit(event).done(WAIT);
			assertThat(rows(event).get(0).error()).isInstanceOf(EventHandlerAbortedException.class);
		}
	}

	// ---- scenario 29 ----

	@Test
	void timeoutPrecedenceHandlerOverEventOverBus() {
		try (EventBus bus = EventBus.builder("ToPrecedence").eventTimeout(Duration.ofMillis(200)).build()) {
			bus.on(ToWork.class, (event) -> "default");
			bus.on(ToWork.class, (event) -> "override", HandlerOptions.defaults().timeout(Duration.ofMillis(120)));

			ToWork shortHandlers = new ToWork();
			shortHandlers.setEventTimeout(Duration.ofMillis(200));
			shortHandlers.setEventHandlerTimeout(Duration.ofMillis(50));
			bus.emit(shortHandlers).done(WAIT);
			assertThat(rows(shortHandlers)).extracting(EventResult::timeout)
				.containsExactly(Duration.ofMillis(50), Duration.ofMillis(120));

			ToWork shortEvent = new ToWork();
			shortEvent.setEventTimeout(Duration.ofMillis(80));
			shortEvent.setEventHandlerTimeout(Duration.ofMillis(200));
			bus.emit(shortEvent).done(WAIT);
			assertThat(rows(shortEvent)).extracting(EventResult::timeout)
				.containsExactly(Duration.ofMillis(80), Duration.ofMillis(80));
		}
		try (EventBus bus = EventBus.builder("ToBusOnly").eventTimeout(Duration.ofSeconds(12)).build()) {
			bus.on(ToWork.class, (event) -> "ok");
			ToWork event = bus.emit(new ToWork());
			event.done(WAIT);
			assertThat(rows(event).get(0).timeout()).isEqualTo(Duration.ofSeconds(12));
		}
	}

	@RepeatedTest(10)
	void nullEventTimeoutFallsBackToTheBusAndNullEverywhereMeansNoTimeout() {
		try (EventBus bus = EventBus.builder("ToBusFallback").eventTimeout(Duration.ofMillis(30)).build()) {
			bus.on(ToWork.class, (event) -> {
				Thread.sleep(FOREVER_MS);
				return "never";
			});
			ToWork event = new ToWork();
			event.setEventTimeout(null);
			bus.emit(event).done(WAIT);
			assertThat(rows(event).get(0).error()).isInstanceOf(EventHandlerAbortedException.class);
		}
		try (EventBus bus = EventBus.builder("ToNoTimeout").eventTimeout(null).build()) {
			bus.on(ToWork.class, (event) -> {
				Thread.sleep(100);
				return "slow but fine";
			});
			ToWork event = bus.emit(new ToWork());
			event.done(WAIT);
			assertThat(rows(event).get(0).timeout()).isNull();
			assertThat(event.eventResult()).isEqualTo("slow but fine");
		}
	}

	// ---- scenario 30 ----

	@RepeatedTest(30)
	void parentTimeoutCancelsItsQueuedChildWhichNeverRuns() {
		parentTimeoutCancelsQueuedChild(Duration.ofSeconds(60), null);
	}

	@RepeatedTest(30)
	void parentTimeoutCancelsItsQueuedChildEvenWithoutTimeoutsOfItsOwn() {
		parentTimeoutCancelsQueuedChild(null, null);
	}

	private void parentTimeoutCancelsQueuedChild(Duration busTimeout, Duration childTimeout) {
		AtomicInteger childRuns = new AtomicInteger();
		AtomicReference<ToChild> child = new AtomicReference<>();
		try (EventBus bus = EventBus.builder("ToCascade").eventTimeout(busTimeout).build()) {
			bus.on(ToWork.class, (event) -> {
				ToChild queued = new ToChild("queued");
				queued.setEventTimeout(childTimeout);
				child.set(bus.emit(queued));
				Thread.sleep(FOREVER_MS);
				return "never";
			});
			for (int i = 0; i < 2; i++) {
				bus.on(ToChild.class, (event) -> {
					childRuns.incrementAndGet();
					return "child ran";
				});
			}
			ToWork parent = new ToWork();
			parent.setEventTimeout(Duration.ofMillis(50));
			bus.emit(parent).done(WAIT);
			assertThat(bus.waitUntilIdle(WAIT)).isTrue();

			EventResult<String> parentRow = rows(parent).get(0);
			assertThat(parentRow.error()).isInstanceOf(EventHandlerAbortedException.class)
				.hasCauseInstanceOf(EventHandlerTimeoutException.class);
			assertThat(childRuns).hasValue(0);
			assertThat(child.get().eventStatus()).isEqualTo(EventStatus.COMPLETED);
			assertThat(rows(child.get())).hasSize(2).allSatisfy((row) -> {
				assertThat(row.error()).isInstanceOf(EventHandlerCancelledException.class);
				assertThat(row.error().getCause()).isSameAs(parentRow.error().getCause());
			});
			assertThat(parent.eventChildren()).containsExactly(child.get());
		}
	}

	// ---- scenario 31 ----

	@RepeatedTest(10)
	void threeLevelCascadeAbortsWhatRanAndCancelsWhatNeverStarted() {
		AtomicReference<ToChild> child = new AtomicReference<>();
		AtomicReference<ToChild> sibling = new AtomicReference<>();
		AtomicReference<ToChild> grandchild = new AtomicReference<>();
		AtomicReference<ToChild> queuedGrandchild = new AtomicReference<>();
		AtomicInteger neverRun = new AtomicInteger();
		try (EventBus bus = new EventBus("ToThreeLevels")) {
			bus.on(ToWork.class, (event) -> "fast", HandlerOptions.defaults().name("top_fast"));
			bus.on(ToWork.class, (event) -> {
				ToChild c = new ToChild("child");
				c.setEventTimeout(Duration.ofMillis(450));
				child.set(bus.emit(c));
				sibling.set(bus.emit(new ToChild("sibling")));
				c.done();
				Thread.sleep(FOREVER_MS);
				return "never";
			}, HandlerOptions.defaults().name("top_main"));
			bus.on(ToChild.class, (event) -> {
				switch (event.name) {
					case "child" -> {
						queuedGrandchild.set(bus.emit(new ToChild("queued_grandchild")));
						ToChild g = new ToChild("grandchild");
						g.setEventTimeout(Duration.ofMillis(150));
						grandchild.set(bus.emit(g));
						g.done();
						Thread.sleep(FOREVER_MS);
					}
					case "grandchild" -> Thread.sleep(FOREVER_MS);
					default -> neverRun.incrementAndGet();
				}
				return "never";
			}, HandlerOptions.defaults().name("a"));
			for (String name : List.of("b", "c", "d", "e")) {
				bus.on(ToChild.class, (event) -> {
					if (!event.name.equals("child")) {
						neverRun.incrementAndGet();
					}
					return name;
				}, HandlerOptions.defaults().name(name));
			}
			ToWork top = new ToWork("top");
			top.setEventTimeout(Duration.ofMillis(800));
			bus.emit(top).done(WAIT);
			assertThat(bus.waitUntilIdle(WAIT)).isTrue();

			assertThat(rows(top)).extracting((row) -> outcome(row)).containsExactly("completed", "aborted");
			// the child's own timeout aborts its handler "a"; b..e are cancelled with it
			assertThat(rows(child.get())).extracting((row) -> outcome(row))
				.containsExactly("aborted", "cancelled", "cancelled", "cancelled", "cancelled");
			assertThat(rows(grandchild.get())).extracting((row) -> outcome(row))
				.containsExactly("aborted", "cancelled", "cancelled", "cancelled", "cancelled");
			assertThat(rows(queuedGrandchild.get())).extracting((row) -> outcome(row))
				.containsOnly("cancelled")
				.hasSize(5);
			assertThat(rows(sibling.get())).extracting((row) -> outcome(row)).containsOnly("cancelled").hasSize(5);
			assertThat(neverRun).hasValue(0);

			// the nearest timed-out ancestor is the cause
			assertThat(rows(queuedGrandchild.get()).get(0).error().getCause().getMessage())
				.contains(child.get().eventId().substring(32));
			assertThat(rows(sibling.get()).get(0).error().getCause().getMessage())
				.contains(top.eventId().substring(32));

			for (ToChild event : List.of(child.get(), sibling.get(), grandchild.get(), queuedGrandchild.get())) {
				assertThat(event.eventStatus()).isEqualTo(EventStatus.COMPLETED);
				assertThat(event.eventCompletedAt()).isNotNull();
				assertThat(rows(event)).allSatisfy((row) -> assertThat(row.completedAt()).isNotNull());
			}
			assertThat(top.eventChildren()).containsExactly(child.get(), sibling.get());
			assertThat(child.get().eventChildren()).containsExactly(queuedGrandchild.get(), grandchild.get());
		}
	}

	// ---- scenario 32 ----

	@RepeatedTest(20)
	void busStaysHealthyAfterATimeoutInsideAQueueJump() throws Exception {
		ConcurrencyProbe probe = new ConcurrencyProbe();
		AtomicInteger tailRuns = new AtomicInteger();
		try (EventBus bus = new EventBus("ToHealthy")) {
			bus.on(ToWork.class, (event) -> {
				bus.emit(new ToChild("awaited")).done();
				Thread.sleep(FOREVER_MS);
				return "never";
			});
			bus.on(ToChild.class, (event) -> {
				Thread.sleep(FOREVER_MS);
				return "never";
			}, HandlerOptions.defaults().timeout(Duration.ofMillis(20)));
			bus.on(ToTail.class, (event) -> {
				tailRuns.incrementAndGet();
				probe.work("tail", Duration.ofMillis(5));
				return "tail";
			});
			ToWork parent = new ToWork();
			parent.setEventTimeout(Duration.ofMillis(100));
			bus.emit(parent).done(WAIT);
			assertThat(rows(parent).get(0).error()).isInstanceOf(EventHandlerAbortedException.class);

			List<ToTail> tails = List.of(bus.emit(new ToTail()), bus.emit(new ToTail()));
			ConcurrencyTests.awaitAll(tails);
			assertThat(tailRuns).hasValue(2);
			// a leaked lock permit would let the two tails overlap, a lost one would
			// hang them
			assertThat(probe.max()).isEqualTo(1);
			assertThat(bus.waitUntilIdle(WAIT)).isTrue();
			assertThat(bus.queueSize()).isZero();
		}
	}

	@RepeatedTest(20)
	void forwardedBusesStayHealthyAfterATimeoutInsideAQueueJump() {
		AtomicInteger tailRunsA = new AtomicInteger();
		AtomicInteger tailRunsB = new AtomicInteger();
		try (EventBus a = new EventBus("ToHealthyA"); EventBus b = new EventBus("ToHealthyB")) {
			a.on("*", b::emit);
			a.on(ToWork.class, (event) -> {
				a.emit(new ToChild("awaited")).done();
				Thread.sleep(FOREVER_MS);
				return "never";
			});
			b.on(ToChild.class, (event) -> {
				Thread.sleep(FOREVER_MS);
				return "never";
			});
			a.on(ToTail.class, (event) -> "a" + tailRunsA.incrementAndGet());
			b.on(ToTail.class, (event) -> "b" + tailRunsB.incrementAndGet());
			ToWork parent = new ToWork();
			parent.setEventTimeout(Duration.ofMillis(100));
			a.emit(parent).done(WAIT);

			ToTail tail = a.emit(new ToTail());
			assertThat(tail.done(WAIT).eventStatus()).isEqualTo(EventStatus.COMPLETED);
			assertThat(tail.eventResultsList()).containsExactly("a1", "b1");
			assertThat(a.waitUntilIdle(WAIT)).isTrue();
			assertThat(b.waitUntilIdle(WAIT)).isTrue();
			assertThat(tailRunsA).hasValue(1);
			assertThat(tailRunsB).hasValue(1);
		}
	}

	static List<EventResult<String>> rows(BaseEvent<String> event) {
		return new ArrayList<>(event.eventResults().values());
	}

	private static String outcome(EventResult<?> row) {
		if (row.status() == ResultStatus.COMPLETED) {
			return "completed";
		}
		Throwable error = row.error();
		if (error instanceof EventHandlerAbortedException) {
			return "aborted";
		}
		if (error instanceof EventHandlerCancelledException) {
			return "cancelled";
		}
		if (error instanceof EventHandlerTimeoutException) {
			return "timeout";
		}
		return String.valueOf(error);
	}

}
