package io.bubus;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

import org.jetbrains.lincheck.Lincheck;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Model-checked {@link HookSequence}: Lincheck runs each scenario many times, each time
 * on another interleaving of its threads (a switch may happen at every monitor enter and
 * exit, shared read and write, park and latch), and fails with the interleaving that
 * breaks an assertion, or that deadlocks: the joins and latch waits below need no bound,
 * Lincheck reports a scenario that hangs.
 * <p>
 * The owner here reports phases the way an event's bus entry does
 * ({@code EventState.reportPhase}): under the sequence's monitor it queues one call for
 * each phase not reported yet (1 pending, 2 started, 3 completed), then leaves the
 * monitor and runs the queue. Whichever reporter gets there first, the hooks must see
 * each phase once and in order, one hook at a time, and a reporter must not wait for a
 * hook another thread is running.
 */
@Tag("lincheck")
class HookSequenceLincheckTests {

	private static final int INVOCATIONS = 2_000;

	/** See {@link #shared}. */
	private static volatile Object published;

	/**
	 * Two threads report phases of one event on one bus at once (one reports it pending,
	 * the other completed), and the hook of phase 1 reports a change of its own from
	 * inside (as a hook that emits or touches a row does): the hooks run phases 1, 2, 3
	 * and the nested call in the order they were queued, each once, never two at once,
	 * whichever reporter got there first.
	 */
	@Test
	void racingReportersDeliverEveryPhaseOnceInOrderAndOneHookAtATime() {
		Lincheck.runConcurrentTest(INVOCATIONS, () -> {
			Phases phases = shared(new Phases());
			phases.onRun = (phase) -> {
				if (phase == 1) {
					phases.queueOne(Phases.NESTED);
				}
			};
			Thread pending = new Thread(() -> phases.report(1));
			pending.start();
			phases.report(3);
			join(pending);
			String ran = phases.ran();
			expect(!phases.overlapped, "two hooks ran at once");
			expect(ran.equals(phases.queued()), "hooks ran " + ran + ", queued " + phases.queued());
			expect(ran.length() == 4 && ran.replace(String.valueOf(Phases.NESTED), "").equals("123"),
					"phases 1, 2, 3 in order and the nested call, each once: " + ran);
		});
	}

	/**
	 * The hook of phase 1 blocks until another thread (the timer thread ending the
	 * event's row, say) reported phase 3 and went on: that report queues phases 2 and 3
	 * and returns without running them, and the thread running the blocked hook runs them
	 * next. A reporter that waited for the running hook would deadlock here.
	 */
	@Test
	void aReporterDoesNotWaitForAHookAnotherThreadIsRunning() {
		Lincheck.runConcurrentTest(INVOCATIONS, () -> {
			Phases phases = shared(new Phases());
			CountDownLatch timerReported = shared(new CountDownLatch(1));
			phases.onRun = (phase) -> {
				if (phase != 1) {
					return;
				}
				// a started hook that blocks until the timer thread reported the row's
				// timeout: waiting for this hook would deadlock the timer thread
				Thread timer = new Thread(() -> {
					phases.report(3);
					timerReported.countDown();
				});
				timer.start();
				await(timerReported);
				join(timer);
			};
			phases.report(1);
			expect(!phases.overlapped, "two hooks ran at once");
			expect(phases.ran().equals("123"), "phases 1, 2, 3 in order, each once: " + phases.ran());
		});
	}

	/**
	 * Publishes what a scenario's threads share. Lincheck interleaves only accesses to
	 * objects it knows are shared, and it does not count an object created in the
	 * scenario and reached only through a started thread's {@code Runnable} (a lambda) as
	 * shared; without this, it misses the lost-hook breakage (a drain that lets go of the
	 * draining right outside the monitor) in every interleaving.
	 */
	private static <T> T shared(T object) {
		published = object;
		return object;
	}

	/**
	 * Fails the invocation; AssertJ is not used inside a model-checked block, as Lincheck
	 * calls {@code equals} on the assertion objects.
	 */
	private static void expect(boolean condition, String failure) {
		if (!condition) {
			throw new AssertionError(failure);
		}
	}

	private static void join(Thread thread) {
		try {
			thread.join();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A sequence whose owner reports phases 1 to 3 as an event's bus entry does, and
	 * whose hooks record what ran.
	 */
	static final class Phases extends HookSequence {

		/** The call a hook queues from inside the hook of phase 1. */
		static final int NESTED = 9;

		/** The phases reported so far; under the monitor. */
		private int reported;

		/** The calls in the order they were queued, a digit each; under the monitor. */
		private String queued = "";

		/**
		 * The calls in the order they ran (plain strings: fewer shared accesses than a
		 * collection, so the model checker spends its interleavings on the sequence).
		 */
		private volatile String ran = "";

		private final AtomicInteger running = new AtomicInteger();

		volatile boolean overlapped;

		volatile IntConsumer onRun = (call) -> {
		};

		/**
		 * Reports every phase up to {@code phase} not reported yet, then runs the queue.
		 */
		void report(int phase) {
			synchronized (this) {
				while (this.reported < phase) {
					queueCall(++this.reported);
				}
			}
			runHooks();
		}

		/** Queues one more call (a hook's own change) and runs the queue. */
		void queueOne(int call) {
			synchronized (this) {
				queueCall(call);
			}
			runHooks();
		}

		private void queueCall(int call) {
			this.queued += call;
			queueHook(() -> run(call));
		}

		private void run(int call) {
			if (this.running.incrementAndGet() != 1) {
				this.overlapped = true;
			}
			this.ran += call;
			this.onRun.accept(call);
			this.running.decrementAndGet();
		}

		synchronized String queued() {
			return this.queued;
		}

		String ran() {
			return this.ran;
		}

	}

}
