package io.bubus;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Emit against stop, and a caller's {@code done()} against the runloop, on a small bus
 * with one handler, in Lincheck's stress mode: random scenarios of {@code emit},
 * {@code emitAndWait} and {@code stop}, one call on each of two threads released at once
 * and one call after them, each run many times on real threads, a new bus each run; every
 * run's results must be those of some order of the same calls on {@link Spec}, a bus that
 * accepts events until it is stopped and refuses them after.
 * <p>
 * {@code emitAndWait} checks on its own thread what the order cannot tell: the event it
 * emitted completes within {@link #WAIT} (never stuck in the queue of a stopped bus,
 * never lost between the caller that runs it and the runloop), its handler ran at most
 * once, and its row says what happened (completed with the handler's value after one run,
 * cancelled without a run, or aborted). Otherwise it returns what went wrong, which no
 * order gives. Once the threads finished, {@link SmallBus#everyAcceptedEventCompleted}
 * checks that the events nobody waited for ran all the same, and that the bus is idle
 * with an empty queue.
 * <p>
 * Not model-checked: the bus runs its runloop on a virtual thread that the shared
 * {@code bubus-loop-starter} thread starts a tick after an emit, arms deadlines on the
 * shared {@code bubus-timer} thread, and keeps its name in a map of weak references.
 * Lincheck's model checker controls only the threads a scenario starts and needs each
 * schedule to replay exactly; on this bus it stops with "non-determinism found" and then
 * hangs on the runloop it does not control. The concurrent units under the bus are
 * model-checked on their own ({@link HookSequenceLincheckTests},
 * {@code DuplicateWindowLincheckTests}).
 */
@Tag("lincheck")
class EmitStopLincheckTests {

	static final Duration WAIT = Duration.ofSeconds(5);

	@Test
	void everyEmitIsRefusedOrItsEventCompletesWhateverStopRacesIt() {
		new StressOptions().sequentialSpecification(Spec.class)
			.iterations(15)
			.invocationsPerIteration(1000)
			.threads(2)
			.actorsPerThread(1)
			.actorsBefore(0)
			.actorsAfter(1)
			.check(SmallBus.class);
	}

	public static class LcEvent extends BaseEvent<String> {

	}

	/**
	 * The operations Lincheck runs, on a new bus each run; public, as Lincheck
	 * instantiates it.
	 */
	public static final class SmallBus {

		private final EventBus bus = EventBus.builder(null).build();

		/** Handler runs by event id. */
		private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

		/** Accepted events nobody waited for, with their completion. */
		private final ConcurrentLinkedQueue<CompletableFuture<BaseEvent<String>>> accepted = new ConcurrentLinkedQueue<>();

		public SmallBus() {
			this.bus.on(LcEvent.class, (event) -> {
				this.runs.computeIfAbsent(event.eventId(), (id) -> new AtomicInteger()).incrementAndGet();
				return "ran";
			});
		}

		/**
		 * Emits and does not wait. The completion future is taken before the emit: taken
		 * later, it would start the runloop like any waiting does, and hide an event left
		 * in the queue.
		 */
		@Operation
		public String emit() {
			LcEvent event = new LcEvent();
			CompletableFuture<BaseEvent<String>> completion = event.completion();
			try {
				this.bus.emit(event);
			}
			catch (IllegalStateException ex) {
				return "refused";
			}
			this.accepted.add(completion);
			return "accepted";
		}

		@Operation
		public String emitAndWait() {
			LcEvent event = new LcEvent();
			try {
				this.bus.emit(event);
			}
			catch (IllegalStateException ex) {
				return "refused";
			}
			String problem = problem(event);
			return (problem != null) ? problem : "completed";
		}

		@Operation
		public void stop() {
			this.bus.stop();
		}

		@Validate
		public void everyAcceptedEventCompleted() {
			try {
				for (CompletableFuture<BaseEvent<String>> completion : this.accepted) {
					String problem = problem((LcEvent) completion.get(WAIT.toSeconds(), TimeUnit.SECONDS));
					if (problem != null) {
						throw new IllegalStateException(problem);
					}
				}
				if (!this.bus.waitUntilIdle(WAIT) || this.bus.queueSize() != 0) {
					throw new IllegalStateException(
							this.bus.label() + " not idle: " + this.bus.queueSize() + " queued");
				}
			}
			catch (TimeoutException ex) {
				throw new IllegalStateException("an event nobody waited for did not run in " + WAIT, ex);
			}
			catch (InterruptedException | ExecutionException ex) {
				throw new IllegalStateException(ex);
			}
			finally {
				// frees the generated name
				this.bus.stop();
			}
		}

		/** What is wrong with an accepted event once it should be done, or null. */
		private String problem(LcEvent event) {
			try {
				event.done(WAIT);
			}
			catch (EventTimeoutException ex) {
				return "stuck: " + event.eventStatus() + " after " + WAIT;
			}
			int ran = ranTimes(event);
			if (event.eventStatus() != EventStatus.COMPLETED || event.resultRows().size() != 1) {
				return "done but " + event.eventStatus() + " with " + event.resultRows().size() + " rows";
			}
			EventResult<?> row = event.resultRows().get(0);
			boolean consistent = switch (row.status()) {
				case COMPLETED -> ran == 1 && "ran".equals(row.result());
				case ERROR -> (row.error() instanceof EventHandlerCancelledException && ran == 0)
						|| (row.error() instanceof EventHandlerAbortedException && ran <= 1);
				default -> false;
			};
			return consistent ? null : "row " + row.status() + " " + row.error() + " after " + ran + " runs";
		}

		private int ranTimes(LcEvent event) {
			AtomicInteger count = this.runs.get(event.eventId());
			return (count != null) ? count.get() : 0;
		}

	}

	/**
	 * A bus that accepts every event until it is stopped, and refuses every one after.
	 */
	public static final class Spec {

		private boolean stopped;

		public String emit() {
			return this.stopped ? "refused" : "accepted";
		}

		public String emitAndWait() {
			return this.stopped ? "refused" : "completed";
		}

		public void stop() {
			this.stopped = true;
		}

	}

}
