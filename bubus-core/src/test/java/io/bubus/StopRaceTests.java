package io.bubus;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code stop()} against the runloop taking the event it was about to run: once
 * {@code stop()} has returned, no handler of that bus starts. The runloop claims the head
 * of the queue before its visit registers as running, so a stop between the two found the
 * event neither queued nor running; the visit then ran its handlers after {@code stop()}
 * returned.
 */
class StopRaceTests {

	private static final int ROUNDS = 20_000;

	private static final Duration WAIT = Duration.ofSeconds(20);

	public static class SrEvent extends BaseEvent<String> {

	}

	@Test
	@Timeout(value = 300, unit = TimeUnit.SECONDS)
	void noHandlerStartsAfterStopReturned() {
		int startedAfterStop = 0;
		int ran = 0;
		for (int round = 0; round < ROUNDS; round++) {
			EventBus bus = EventBus.builder("SrStop").build();
			AtomicBoolean stopReturned = new AtomicBoolean();
			AtomicBoolean enteredAfterStop = new AtomicBoolean();
			AtomicInteger runs = new AtomicInteger();
			bus.on(SrEvent.class, (event) -> {
				if (stopReturned.get()) {
					enteredAfterStop.set(true);
				}
				runs.incrementAndGet();
				return "ran";
			});
			SrEvent event = bus.emit(new SrEvent());
			// the loop starter takes the event a tick (about 100 µs) after the emit:
			// stop somewhere around that moment
			spin(round % 300);
			bus.stop();
			stopReturned.set(true);
			// a row already started when stop() returned may still enter its lambda
			// (it is aborted); a row not started then must never start
			boolean startedBeforeStopReturned = event.resultRows()
				.stream()
				.anyMatch((row) -> row.status() != ResultStatus.PENDING);
			assertThat(event.done(WAIT).eventStatus()).isEqualTo(EventStatus.COMPLETED);
			assertThat(event.resultRows()).allSatisfy((row) -> assertThat(row.isTerminal()).isTrue());
			if (enteredAfterStop.get() && !startedBeforeStopReturned) {
				startedAfterStop++;
			}
			ran += runs.get();
		}
		System.out.println("stop vs runloop over " + ROUNDS + " rounds: the handler ran in " + ran
				+ ", of which it started after stop returned in " + startedAfterStop);
		assertThat(startedAfterStop).as("handlers started after stop() returned").isZero();
	}

	private static void spin(long micros) {
		long until = System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(micros);
		while (System.nanoTime() < until) {
			Thread.onSpinWait();
		}
	}

}
