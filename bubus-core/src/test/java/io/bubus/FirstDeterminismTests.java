package io.bubus;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "Emit and take the first result" does not depend on the caller racing the bus:
 * {@link EventBus#emitFirst} sets {@code FIRST} before the bus can start the event, so no
 * handler after the winner ever runs; and {@code first()} called while the bus runs the
 * event never lets a handler start once a winner exists.
 */
class FirstDeterminismTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	public static class FdQuery extends BaseEvent<String> {

	}

	/**
	 * The bus is busy when the event is emitted and free the moment after: the runloop
	 * gets to the event while the caller is still between emit and first. emitFirst wins
	 * that race every time.
	 */
	@RepeatedTest(200)
	@Timeout(value = 30, unit = TimeUnit.SECONDS)
	void emitFirstNeverRunsAHandlerAfterTheWinner() throws Exception {
		AtomicInteger thirdCalls = new AtomicInteger();
		try (EventBus bus = new EventBus("FdEmitFirst")) {
			CountDownLatch blockerRunning = new CountDownLatch(1);
			CountDownLatch release = new CountDownLatch(1);
			bus.on("FdBlocker", (event) -> {
				blockerRunning.countDown();
				release.await(10, TimeUnit.SECONDS);
				return null;
			});
			bus.on(FdQuery.class, (event) -> null);
			bus.on(FdQuery.class, (event) -> "winner");
			bus.on(FdQuery.class, (event) -> {
				thirdCalls.incrementAndGet();
				return "third";
			});
			bus.emit(new DynamicEvent("FdBlocker"));
			assertThat(blockerRunning.await(10, TimeUnit.SECONDS)).isTrue();
			FdQuery query = new FdQuery();
			// the runloop goes on to the query as soon as the blocker returns, with
			// nobody between emit and first() to decide the completion mode
			release.countDown();
			assertThat(bus.emitFirst(query)).isEqualTo("winner");
			assertThat(bus.waitUntilIdle(WAIT)).isTrue();
			assertThat(thirdCalls.get()).isZero();
			assertThat(query.eventHandlerCompletion()).isEqualTo(HandlerCompletion.FIRST);
			assertThat(query.resultRows().get(2).error()).isInstanceOf(EventHandlerCancelledException.class);
		}
	}

	/**
	 * A winner exists and a later handler runs when first() is called: that one is
	 * aborted and the ones after it never start.
	 */
	@RepeatedTest(50)
	@Timeout(value = 30, unit = TimeUnit.SECONDS)
	void firstCalledWhileALaterHandlerRunsStartsNothingElse() throws Exception {
		AtomicInteger fourthCalls = new AtomicInteger();
		try (EventBus bus = new EventBus("FdFirstLate")) {
			CountDownLatch thirdRunning = new CountDownLatch(1);
			bus.on(FdQuery.class, (event) -> null);
			bus.on(FdQuery.class, (event) -> "winner");
			bus.on(FdQuery.class, (event) -> {
				thirdRunning.countDown();
				Thread.sleep(10_000);
				return "third";
			});
			bus.on(FdQuery.class, (event) -> {
				fourthCalls.incrementAndGet();
				return "fourth";
			});
			FdQuery query = bus.emit(new FdQuery());
			Thread.ofVirtual().start(() -> query.done());
			assertThat(thirdRunning.await(10, TimeUnit.SECONDS)).isTrue();
			assertThat(query.first()).isEqualTo("winner");
			assertThat(bus.waitUntilIdle(WAIT)).isTrue();
			assertThat(fourthCalls.get()).isZero();
			assertThat(query.resultRows().get(2).error()).isInstanceOf(EventHandlerAbortedException.class);
			assertThat(query.resultRows().get(3).error()).isInstanceOf(EventHandlerCancelledException.class);
		}
	}

}
