package io.bubus;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.RepeatedTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Awaiting a child inside a handler processes it right away (queue-jump) without deadlock
 * and without letting other queued events overtake: spec/core §14, scenarios 21–26.
 */
class QueueJumpTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	public static class QjParent extends BaseEvent<String> {

		public int n;

		public QjParent() {
		}

		QjParent(int n) {
			this.n = n;
		}

	}

	public static class QjChild extends BaseEvent<String> {

		public String name = "";

		public QjChild() {
		}

		QjChild(String name) {
			this.name = name;
		}

	}

	public static class QjSibling extends BaseEvent<String> {

	}

	public static class QjSlow extends BaseEvent<String> {

	}

	// ---- scenario 21 ----

	@RepeatedTest(50)
	void awaitedChildRunsBeforeTheSiblingQueuedAheadOfIt() {
		ConcurrencyProbe probe = new ConcurrencyProbe();
		try (EventBus bus = new EventBus("QjBasic")) {
			bus.on(QjParent.class, (event) -> {
				probe.step("parent_start");
				bus.emit(new QjSibling());
				QjChild child = bus.emit(new QjChild("child"));
				child.done();
				probe.step("parent_end");
				return child.eventResult();
			});
			bus.on(QjChild.class, (event) -> {
				probe.step("child");
				return "from child";
			});
			bus.on(QjSibling.class, (event) -> {
				probe.step("sibling");
				return null;
			});
			QjParent parent = bus.emit(new QjParent(1));
			parent.done(WAIT);
			assertThat(bus.waitUntilIdle(WAIT)).isTrue();
			assertThat(probe.steps()).containsExactly("parent_start", "child", "parent_end", "sibling");
			assertThat(parent.eventResult()).isEqualTo("from child");
		}
	}

	@RepeatedTest(50)
	void resultAccessorInsideHandlerQueueJumpsInsteadOfDeadlocking() {
		try (EventBus bus = new EventBus("QjAccessor")) {
			bus.on(QjParent.class, (event) -> bus.emit(new QjChild("c")).eventResult() + "!");
			bus.on(QjChild.class, (event) -> event.name);
			QjParent parent = bus.emit(new QjParent(1));
			assertThat(parent.done(WAIT).eventStatus()).isEqualTo(EventStatus.COMPLETED);
			assertThat(parent.eventResult()).isEqualTo("c!");
		}
	}

	// ---- scenario 22 ----

	@RepeatedTest(50)
	void queueJumpDoesNotLetQueuedEventsOvertake() {
		ConcurrencyProbe probe = new ConcurrencyProbe();
		AtomicReference<QjChild> child = new AtomicReference<>();
		CountDownLatch allQueued = new CountDownLatch(1);
		try (EventBus bus = new EventBus("QjNoOvershoot")) {
			bus.on(QjParent.class, (event) -> {
				probe.step("E" + event.n + "_start");
				if (event.n == 1) {
					ConcurrencyProbe.awaitOpen(allQueued);
					child.set(bus.emit(new QjChild("c")));
					child.get().done();
				}
				probe.step("E" + event.n + "_end");
				return null;
			});
			bus.on(QjChild.class, (event) -> {
				probe.step("child");
				return null;
			});
			QjParent e1 = bus.emit(new QjParent(1));
			QjParent e2 = bus.emit(new QjParent(2));
			QjParent e3 = bus.emit(new QjParent(3));
			allQueued.countDown();
			ConcurrencyTests.awaitAll(List.of(e1, e2, e3));

			assertThat(probe.steps()).containsExactly("E1_start", "child", "E1_end", "E2_start", "E2_end", "E3_start",
					"E3_end");
			assertThat(child.get().eventStartedAt()).isBefore(e2.eventStartedAt()).isBefore(e3.eventStartedAt());
			assertThat(bus.eventHistory()).containsExactly(e1, e2, e3, child.get());
		}
	}

	// ---- scenario 23 ----

	@RepeatedTest(50)
	void awaitingOneOfManyChildrenRunsOnlyThatOneEarly() {
		ConcurrencyProbe probe = new ConcurrencyProbe();
		CountDownLatch allQueued = new CountDownLatch(1);
		try (EventBus bus = new EventBus("QjOneOfMany")) {
			bus.on(QjParent.class, (event) -> {
				probe.step("E" + event.n + "_start");
				if (event.n == 1) {
					ConcurrencyProbe.awaitOpen(allQueued);
					bus.emit(new QjChild("A"));
					QjChild b = bus.emit(new QjChild("B"));
					bus.emit(new QjChild("C"));
					b.done();
				}
				probe.step("E" + event.n + "_end");
				return null;
			});
			bus.on(QjChild.class, (event) -> {
				probe.step(event.name);
				return null;
			});
			QjParent e1 = bus.emit(new QjParent(1));
			bus.emit(new QjParent(2));
			bus.emit(new QjParent(3));
			allQueued.countDown();
			e1.done(WAIT);
			assertThat(bus.waitUntilIdle(WAIT)).isTrue();

			assertThat(probe.steps()).containsExactly("E1_start", "B", "E1_end", "E2_start", "E2_end", "E3_start",
					"E3_end", "A", "C");
			assertThat(e1.eventChildren()).extracting((event) -> ((QjChild) event).name).containsExactly("A", "B", "C");
		}
	}

	// ---- scenario 24 ----

	@RepeatedTest(50)
	void nestedQueueJumpsFinishInsideOut() {
		ConcurrencyProbe probe = new ConcurrencyProbe();
		try (EventBus bus = new EventBus("QjNested")) {
			bus.on(QjParent.class, (event) -> {
				probe.step("E" + event.n + "_start");
				if (event.n == 1) {
					bus.emit(new QjChild("C1")).done();
				}
				probe.step("E" + event.n + "_end");
				return null;
			});
			bus.on(QjChild.class, (event) -> {
				if (event.name.equals("C1")) {
					bus.emit(new QjChild("C2")).done();
				}
				probe.step(event.name + "_end");
				return null;
			});
			QjParent e1 = bus.emit(new QjParent(1));
			QjParent e2 = bus.emit(new QjParent(2));
			ConcurrencyTests.awaitAll(List.of(e1, e2));

			assertThat(probe.steps()).containsExactly("E1_start", "C2_end", "C1_end", "E1_end", "E2_start", "E2_end");
			QjChild c1 = (QjChild) e1.eventChildren().get(0);
			QjChild c2 = (QjChild) c1.eventChildren().get(0);
			assertThat(c2.eventParentId()).isEqualTo(c1.eventId());
			assertThat(c1.eventParentId()).isEqualTo(e1.eventId());
		}
	}

	@RepeatedTest(50)
	void twoHandlersAwaitingTheSameChildRunItOnce() throws Exception {
		AtomicInteger childRuns = new AtomicInteger();
		AtomicReference<QjChild> shared = new AtomicReference<>();
		CountDownLatch emitted = new CountDownLatch(1);
		CountDownLatch bothRunning = new CountDownLatch(2);
		try (EventBus bus = EventBus.builder("QjTwoAwaiters")
			.eventHandlerConcurrency(HandlerConcurrency.PARALLEL)
			.build()) {
			bus.on(QjParent.class, (event) -> {
				ConcurrencyProbe.meet(bothRunning);
				shared.set(bus.emit(new QjChild("once")));
				emitted.countDown();
				return shared.get().done().eventResult() + "-1";
			});
			bus.on(QjParent.class, (event) -> {
				ConcurrencyProbe.meet(bothRunning);
				ConcurrencyProbe.awaitOpen(emitted);
				return shared.get().done().eventResult() + "-2";
			});
			bus.on(QjChild.class, (event) -> {
				childRuns.incrementAndGet();
				return "child";
			});
			QjParent parent = bus.emit(new QjParent(1));
			parent.done(WAIT);

			assertThat(parent.eventResultsList()).containsExactly("child-1", "child-2");
			assertThat(childRuns).hasValue(1);
			assertThat(shared.get().eventResults()).hasSize(1);
			assertThat(parent.eventChildren()).containsExactly(shared.get());
		}
	}

	// ---- scenario 25 ----

	@RepeatedTest(50)
	void queueOrderWaitOnParallelBusLetsTheSiblingGoFirst() throws Exception {
		ConcurrencyProbe probe = new ConcurrencyProbe();
		AtomicReference<QjSibling> sibling = new AtomicReference<>();
		AtomicReference<QjChild> child = new AtomicReference<>();
		try (EventBus bus = EventBus.builder("QjQueueOrder").eventConcurrency(EventConcurrency.PARALLEL).build()) {
			bus.on(QjParent.class, (event) -> {
				sibling.set(bus.emit(new QjSibling()));
				child.set(bus.emit(new QjChild("c")));
				child.get().completion().get(10, TimeUnit.SECONDS);
				probe.step("parent_end");
				return null;
			});
			bus.on(QjSibling.class, (event) -> {
				probe.step("sibling_start");
				return null;
			});
			bus.on(QjChild.class, (event) -> {
				probe.step("child_end");
				return null;
			});
			QjParent parent = bus.emit(new QjParent(1));
			parent.done(WAIT);

			assertThat(probe.indexOf("child_end")).isLessThan(probe.indexOf("parent_end"));
			assertThat(sibling.get().eventStartedAt()).isBeforeOrEqualTo(child.get().eventStartedAt());
		}
	}

	@RepeatedTest(20)
	void awaitingACompletedEventReturnsAtOnce() {
		try (EventBus bus = new EventBus("QjCompleted")) {
			AtomicInteger runs = new AtomicInteger();
			bus.on(QjChild.class, (event) -> {
				runs.incrementAndGet();
				return null;
			});
			QjChild done = bus.emit(new QjChild("x"));
			done.done(WAIT);
			AtomicReference<BaseEvent<?>> seen = new AtomicReference<>();
			bus.on(QjParent.class, (event) -> {
				seen.set(done.done());
				return null;
			});
			bus.emit(new QjParent(1)).done(WAIT);
			assertThat(seen.get()).isSameAs(done);
			assertThat(done.done()).isSameAs(done);
			assertThat(runs).hasValue(1);
		}
	}

	// ---- scenario 26 ----

	@RepeatedTest(50)
	void crossBusQueueJumpWaitsForTheOtherBusesRunningEvent() throws Exception {
		ConcurrencyProbe probe = new ConcurrencyProbe();
		CountDownLatch slowStarted = new CountDownLatch(1);
		CountDownLatch childRanOnA = new CountDownLatch(2);
		try (EventBus a = new EventBus("QjCrossA"); EventBus b = new EventBus("QjCrossB")) {
			b.on(QjSlow.class, (event) -> {
				slowStarted.countDown();
				ConcurrencyProbe.awaitOpen(childRanOnA);
				Thread.sleep(5);
				probe.step("slow_end");
				return null;
			});
			for (int i = 0; i < 2; i++) {
				a.on(QjChild.class, (event) -> {
					probe.work("a", Duration.ofMillis(2));
					probe.step("child_a");
					childRanOnA.countDown();
					return null;
				});
				b.on(QjChild.class, (event) -> {
					probe.step("child_b");
					probe.work("b", Duration.ofMillis(2));
					return null;
				});
			}
			a.on(QjParent.class, (event) -> {
				ConcurrencyProbe.awaitOpen(slowStarted);
				QjChild child = a.emit(new QjChild("c"));
				b.emit(child);
				child.done();
				probe.step("parent_end");
				return null;
			});
			QjSlow slow = b.emit(new QjSlow());
			QjParent parent = a.emit(new QjParent(1));
			ConcurrencyTests.awaitAll(List.of(parent, slow));

			assertThat(probe.steps()).containsExactly("child_a", "child_a", "slow_end", "child_b", "child_b",
					"parent_end");
			assertThat(probe.max("a")).isEqualTo(1);
			assertThat(probe.max("b")).isEqualTo(1);
		}
	}

	@RepeatedTest(50)
	void crossBusQueueJumpStartsAtOnceOnAParallelBusWithItsOwnHandlerConcurrency() throws Exception {
		crossBusQueueJumpOverlapsTheSlowEvent(EventBus.builder("QjCrossParallelB")
			.eventConcurrency(EventConcurrency.PARALLEL)
			.eventHandlerConcurrency(HandlerConcurrency.PARALLEL)
			.build(), true);
	}

	@RepeatedTest(50)
	void crossBusQueueJumpStartsAtOnceOnABusWithParallelEventsAndSerialHandlers() throws Exception {
		crossBusQueueJumpOverlapsTheSlowEvent(
				EventBus.builder("QjCrossParallelEventsB").eventConcurrency(EventConcurrency.PARALLEL).build(), false);
	}

	private void crossBusQueueJumpOverlapsTheSlowEvent(EventBus b, boolean parallelHandlers) throws Exception {
		ConcurrencyProbe probe = new ConcurrencyProbe();
		CountDownLatch slowStarted = new CountDownLatch(1);
		CountDownLatch childRanOnB = new CountDownLatch(1);
		CountDownLatch bothHandlersOnB = new CountDownLatch(2);
		try (EventBus a = new EventBus("QjCrossSerialA"); b) {
			b.on(QjSlow.class, (event) -> {
				slowStarted.countDown();
				ConcurrencyProbe.awaitOpen(childRanOnB);
				probe.step("slow_end");
				return null;
			});
			for (int i = 0; i < 2; i++) {
				a.on(QjChild.class, (event) -> {
					probe.work("a", Duration.ofMillis(2));
					probe.step("child_a_end");
					return null;
				});
				b.on(QjChild.class, (event) -> {
					probe.step("child_b_start");
					probe.enter("b");
					try {
						if (parallelHandlers) {
							ConcurrencyProbe.meet(bothHandlersOnB);
						}
						else {
							Thread.sleep(2);
						}
					}
					finally {
						probe.exit("b");
					}
					childRanOnB.countDown();
					return null;
				});
			}
			a.on(QjParent.class, (event) -> {
				ConcurrencyProbe.awaitOpen(slowStarted);
				QjChild child = a.emit(new QjChild("c"));
				b.emit(child);
				child.done();
				probe.step("parent_end");
				return null;
			});
			QjSlow slow = b.emit(new QjSlow());
			QjParent parent = a.emit(new QjParent(1));
			ConcurrencyTests.awaitAll(List.of(parent, slow));

			// B's own runloop may take the child before the awaiting handler gets to it,
			// so only B's overlap with its slow event is certain, not the A-then-B order
			List<String> steps = probe.steps();
			assertThat(steps.indexOf("child_b_start")).isLessThan(steps.indexOf("slow_end"));
			assertThat(steps.lastIndexOf("child_b_start")).isLessThan(steps.indexOf("parent_end"));
			assertThat(probe.max("a")).isEqualTo(1);
			assertThat(probe.max("b")).isEqualTo(parallelHandlers ? 2 : 1);
		}
	}

	@RepeatedTest(50)
	void awaitedChildForwardedToAnotherBusJumpsThatBusesQueueToo() throws Exception {
		ConcurrencyProbe probe = new ConcurrencyProbe();
		CountDownLatch firstSlowStarted = new CountDownLatch(1);
		AtomicReference<Thread> awaiting = new AtomicReference<>();
		AtomicReference<QjChild> forwarded = new AtomicReference<>();
		try (EventBus a = new EventBus("QjForwardA"); EventBus b = new EventBus("QjForwardB")) {
			a.on(QjChild.class, b::emit);
			b.on(QjSlow.class, (event) -> {
				probe.step("slow_start");
				if (firstSlowStarted.getCount() > 0) {
					firstSlowStarted.countDown();
					// until the child reached B and the awaiting handler waits for
					// B's lock (parked, looking for a cross-bus cycle now and then)
					await().atMost(WAIT)
						.until(() -> forwarded.get() != null && forwarded.get().eventPath().size() == 2
								&& EnumSet.of(Thread.State.WAITING, Thread.State.TIMED_WAITING)
									.contains(awaiting.get().getState()));
				}
				probe.step("slow_end");
				return null;
			});
			b.on(QjChild.class, (event) -> {
				probe.step("child_b");
				return "b";
			});
			a.on(QjParent.class, (event) -> {
				ConcurrencyProbe.awaitOpen(firstSlowStarted);
				awaiting.set(Thread.currentThread());
				QjChild child = a.emit(new QjChild("c"));
				forwarded.set(child);
				String result = child.done().eventResult();
				probe.step("parent_end");
				return result;
			});
			QjSlow slow1 = b.emit(new QjSlow());
			QjSlow slow2 = b.emit(new QjSlow());
			QjParent parent = a.emit(new QjParent(1));
			ConcurrencyTests.awaitAll(List.of(parent, slow1, slow2));

			List<String> steps = probe.steps();
			assertThat(steps.indexOf("slow_end")).isLessThan(steps.indexOf("child_b"));
			assertThat(steps.indexOf("child_b")).isLessThan(steps.lastIndexOf("slow_start"));
			assertThat(parent.eventResult()).isEqualTo("b");
		}
	}

	@RepeatedTest(50)
	void globalSerialQueueJumpAcrossBusesDoesNotDeadlock() {
		try (EventBus a = EventBus.builder("QjGlobalA").eventConcurrency(EventConcurrency.GLOBAL_SERIAL).build();
				EventBus b = EventBus.builder("QjGlobalB").eventConcurrency(EventConcurrency.GLOBAL_SERIAL).build()) {
			a.on(QjParent.class, (event) -> {
				QjChild child = a.emit(new QjChild("c"));
				b.emit(child);
				return String.join(",", child.eventResultsList());
			});
			a.on(QjChild.class, (event) -> "a");
			b.on(QjChild.class, (event) -> "b");
			b.on(QjSibling.class, (event) -> "sibling");
			QjSibling queuedOnB = b.emit(new QjSibling());
			QjParent parent = a.emit(new QjParent(1));
			ConcurrencyTests.awaitAll(List.of(parent, queuedOnB));
			assertThat(parent.eventResult()).isEqualTo("a,b");
		}
	}

}
