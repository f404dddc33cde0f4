package io.bubus;

import java.time.Duration;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two bus-serial buses whose running handlers await each other's children: a handler on B
 * awaits a child on C while a handler on C awaits a child on B. Each awaiting handler
 * lends its bus to the work it waits for, so the cycle is detected and both children run
 * inline: both parents complete at once, not at the event timeout.
 */
class CrossBusAwaitTests {

	public static class CbParent extends BaseEvent<String> {

	}

	public static class CbChild extends BaseEvent<String> {

	}

	@RepeatedTest(20)
	@Timeout(value = 60, unit = TimeUnit.SECONDS)
	void handlersAwaitingEachOthersChildrenOnTwoSerialBusesBothComplete() throws Exception {
		try (EventBus b = EventBus.builder("CbB").eventTimeout(Duration.ofSeconds(60)).build();
				EventBus c = EventBus.builder("CbC").eventTimeout(Duration.ofSeconds(60)).build()) {
			CyclicBarrier bothRunning = new CyclicBarrier(2);
			b.on(CbParent.class, (event) -> {
				bothRunning.await(10, TimeUnit.SECONDS);
				return "b:" + c.emit(new CbChild()).eventResult();
			});
			c.on(CbParent.class, (event) -> {
				bothRunning.await(10, TimeUnit.SECONDS);
				return "c:" + b.emit(new CbChild()).eventResult();
			});
			b.on(CbChild.class, (event) -> "child on b");
			c.on(CbChild.class, (event) -> "child on c");
			CbParent onB = b.emit(new CbParent());
			CbParent onC = c.emit(new CbParent());
			long start = System.nanoTime();
			assertThat(onB.done(Duration.ofSeconds(10)).eventResult()).isEqualTo("b:child on c");
			assertThat(onC.done(Duration.ofSeconds(10)).eventResult()).isEqualTo("c:child on b");
			long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
			assertThat(tookMillis).as("both parents complete long before the 60 s event timeout").isLessThan(5_000);
			assertThat(b.waitUntilIdle(Duration.ofSeconds(10))).isTrue();
			assertThat(c.waitUntilIdle(Duration.ofSeconds(10))).isTrue();
		}
	}

}
