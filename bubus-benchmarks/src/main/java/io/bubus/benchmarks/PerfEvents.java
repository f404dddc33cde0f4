package io.bubus.benchmarks;

import java.util.List;

import io.bubus.BaseEvent;
import org.jspecify.annotations.Nullable;

/**
 * The event classes of the S1–S5 scenarios (names as in the Python and TypeScript
 * harnesses) and of the JMH benchmarks.
 */
public final class PerfEvents {

	private PerfEvents() {
	}

	/** S1, S2 and the warm-up: one event of a stream. */
	public static class PerfSimpleEvent extends BaseEvent<Integer> {

		public int batchId;

		public int value;

		public PerfSimpleEvent() {
		}

		public PerfSimpleEvent(int batchId, int value) {
			this.batchId = batchId;
			this.value = value;
		}

	}

	/** The event emitted by the trim step. */
	public static class PerfTrimEvent extends BaseEvent<Void> {

	}

	/** S3: one event seen by 50,000 handlers. */
	public static class PerfFixedHandlersEvent extends BaseEvent<Integer> {

		public int baseValue;

		public PerfFixedHandlersEvent() {
		}

		public PerfFixedHandlersEvent(int baseValue) {
			this.baseValue = baseValue;
		}

	}

	/** S4: one event per one-off handler. */
	public static class PerfRequestEvent extends BaseEvent<Integer> {

		public int value;

		public PerfRequestEvent() {
		}

		public PerfRequestEvent(int value) {
			this.value = value;
		}

	}

	/** S5: emitted to buses A and B. */
	public static class WCParent extends BaseEvent<Integer> {

		public int iteration;

		public int value;

		public WCParent() {
		}

		public WCParent(int iteration, int value) {
			this.iteration = iteration;
			this.value = value;
		}

	}

	/** S5: emitted by A's ephemeral handler to A and C. */
	public static class WCChild extends BaseEvent<Integer> {

		public int iteration;

		public int value;

		public WCChild() {
		}

		public WCChild(int iteration, int value) {
			this.iteration = iteration;
			this.value = value;
		}

	}

	/** S5: emitted by C's child handler. */
	public static class WCGrandchild extends BaseEvent<Integer> {

		public int iteration;

		public int value;

		public WCGrandchild() {
		}

		public WCGrandchild(int iteration, int value) {
			this.iteration = iteration;
			this.value = value;
		}

	}

	/** JMH: a small event whose handlers return an integer. */
	public static class BenchEvent extends BaseEvent<Integer> {

		public int value;

		public BenchEvent() {
		}

		public BenchEvent(int value) {
			this.value = value;
		}

	}

	/** JMH queue-jump: the child a parent handler emits and awaits. */
	public static class BenchChild extends BaseEvent<Integer> {

	}

	/** JMH JSON: a typical business event with a few payload fields. */
	public static class OrderPlaced extends BaseEvent<String> {

		public @Nullable String orderId;

		public @Nullable String customerId;

		public long amountCents;

		public @Nullable String currency;

		public List<String> items = List.of();

		public OrderPlaced() {
		}

		public OrderPlaced(String orderId, String customerId, long amountCents, String currency, List<String> items) {
			this.orderId = orderId;
			this.customerId = customerId;
			this.amountCents = amountCents;
			this.currency = currency;
			this.items = items;
		}

	}

}
