package io.bubus;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two actors released together by a barrier, many rounds, in the manner of jcstress: each
 * round's outcome is classified, the forbidden ones fail the test, and the histogram of
 * the allowed ones is printed so a run shows that both sides of each race were hit.
 */
class CoreRaceTests {

	private static final int ROUNDS = 1_000;

	private static final Duration WAIT = Duration.ofSeconds(20);

	public static class RcEvent extends BaseEvent<String> {

	}

	private ExecutorService actors;

	private final Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();

	@BeforeEach
	void startActors() {
		this.actors = Executors.newFixedThreadPool(2);
	}

	@AfterEach
	void stopActors() {
		this.actors.shutdownNow();
	}

	/** Emit against stop: refused, or accepted and then completed; never left queued. */
	@Test
	@Timeout(value = 120, unit = TimeUnit.SECONDS)
	void emitAgainstStop() throws Exception {
		for (int round = 0; round < ROUNDS; round++) {
			EventBus bus = EventBus.builder("RcStop" + round).build();
			AtomicInteger runs = new AtomicInteger();
			bus.on(RcEvent.class, (event) -> {
				runs.incrementAndGet();
				return "ran";
			});
			RcEvent event = new RcEvent();
			String[] emitted = new String[1];
			race(() -> {
				try {
					bus.emit(event);
					emitted[0] = "accepted";
				}
				catch (IllegalStateException ex) {
					emitted[0] = "refused";
				}
			}, bus::stop);
			if (emitted[0].equals("accepted")) {
				assertThat(event.done(WAIT).eventStatus()).isEqualTo(EventStatus.COMPLETED);
				EventResult<?> row = event.resultRows().get(0);
				assertThat(row.isTerminal()).isTrue();
				count("accepted, handler " + (runs.get() == 1 ? "ran" : "cancelled or aborted"));
			}
			else {
				assertThat(runs).hasValue(0);
				count("refused");
			}
			assertThat(bus.waitUntilIdle(WAIT)).isTrue();
			assertThat(bus.queueSize()).isZero();
		}
		report("emit vs stop");
	}

	/**
	 * Two callers' done() against the runloop: the handler runs once, both see it
	 * complete.
	 */
	@Test
	@Timeout(value = 120, unit = TimeUnit.SECONDS)
	void doneAgainstTheRunloop() throws Exception {
		try (EventBus bus = EventBus.builder("RcDone").maxHistoryDrop(true).build()) {
			Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
			bus.on(RcEvent.class, (event) -> {
				runs.computeIfAbsent(event.eventId(), (id) -> new AtomicInteger()).incrementAndGet();
				return Thread.currentThread().getName().startsWith("bubus-") ? "runloop" : "caller";
			});
			for (int round = 0; round < ROUNDS; round++) {
				RcEvent event = bus.emit(new RcEvent());
				String[] seen = new String[2];
				race(() -> seen[0] = event.done().eventResult(), () -> seen[1] = event.done().eventResult());
				assertThat(runs.get(event.eventId())).hasValue(1);
				assertThat(seen[0]).isNotNull().isEqualTo(seen[1]);
				assertThat(bus.waitUntilIdle(Duration.ZERO)).as("idle once both callers learned the result").isTrue();
				count("run by the " + seen[0]);
			}
		}
		report("done() vs runloop");
	}

	/**
	 * A handler that finishes right at its event's timeout: completed with its value, or
	 * ended by the timeout without one; never both, and the event always completes.
	 */
	@Test
	@Timeout(value = 120, unit = TimeUnit.SECONDS)
	void eventTimeoutAgainstCompletion() throws Exception {
		try (EventBus bus = EventBus.builder("RcTimeout").maxHistoryDrop(true).build()) {
			bus.on(RcEvent.class, (event) -> {
				LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
				return "value";
			});
			for (int round = 0; round < ROUNDS; round++) {
				RcEvent event = new RcEvent();
				event.setEventTimeout(Duration.ofNanos(TimeUnit.MICROSECONDS.toNanos(1_500 + (round % 10) * 100)));
				bus.emit(event);
				assertThat(event.done(WAIT).eventStatus()).isEqualTo(EventStatus.COMPLETED);
				EventResult<?> row = event.resultRows().get(0);
				assertThat(row.isTerminal()).isTrue();
				if (row.status() == ResultStatus.COMPLETED) {
					assertThat(row.error()).isNull();
					assertThat(row.result()).isEqualTo("value");
					count("completed");
				}
				else {
					assertThat(row.status()).isEqualTo(ResultStatus.ERROR);
					assertThat(row.result()).isNull();
					assertThat(row.error()).isInstanceOfAny(EventHandlerAbortedException.class,
							EventHandlerCancelledException.class, EventHandlerTimeoutException.class);
					count("timed out: " + row.error().getClass().getSimpleName());
				}
			}
			assertThat(bus.waitUntilIdle(WAIT)).isTrue();
		}
		report("event timeout vs completion");
	}

	/** Runs the two actors at once (released by a barrier) and waits for both. */
	private void race(Runnable first, Runnable second) throws Exception {
		CyclicBarrier start = new CyclicBarrier(2);
		Future<?> a = this.actors.submit(() -> {
			await(start);
			first.run();
			return null;
		});
		Future<?> b = this.actors.submit(() -> {
			await(start);
			second.run();
			return null;
		});
		a.get(WAIT.toSeconds(), TimeUnit.SECONDS);
		b.get(WAIT.toSeconds(), TimeUnit.SECONDS);
	}

	private static void await(CyclicBarrier barrier) throws Exception {
		barrier.await(WAIT.toSeconds(), TimeUnit.SECONDS);
	}

	private void count(String outcome) {
		this.outcomes.computeIfAbsent(outcome, (key) -> new AtomicInteger()).incrementAndGet();
	}

	private void report(String race) {
		System.out.printf("%s over %d rounds: %s%n", race, ROUNDS, new TreeMap<>(this.outcomes));
	}

}
