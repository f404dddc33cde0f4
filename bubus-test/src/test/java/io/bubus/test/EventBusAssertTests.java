package io.bubus.test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.bubus.BaseEvent;
import io.bubus.EventBus;
import io.bubus.test.Shop.ChargeEvent;
import io.bubus.test.Shop.CheckoutEvent;
import io.bubus.test.Shop.FraudEvent;
import io.bubus.test.Shop.ReceiptEvent;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.bubus.test.BubusAssertions.assertThat;
import static io.bubus.test.BubusAssertions.catchThrowableOfType;

class EventBusAssertTests {

	private static final Path GOLDEN = Path.of("src/test/resources/golden");

	private final EventBus bus = new EventBus("Shop");

	@AfterEach
	void stop() {
		this.bus.stop();
	}

	private void twoCheckouts() {
		Shop.register(this.bus);
		this.bus.emit(new CheckoutEvent("o-1")).done();
		this.bus.emit(new CheckoutEvent("o-2")).done();
	}

	private static String failure(ThrowingCallable assertion, String treeTitle) {
		AssertionError error = catchThrowableOfType(AssertionError.class, assertion);
		assertThat(error).as("the assertion fails").isNotNull();
		assertThat(error.getMessage()).contains(treeTitle, "└── CheckoutEvent#");
		return error.getMessage();
	}

	@Test
	void emittedEventsByTypeCountOrderAndPredicate() {
		twoCheckouts();
		assertThat(this.bus).becomesIdle()
			.hasEmittedInOrder(CheckoutEvent.class, ChargeEvent.class, FraudEvent.class, ReceiptEvent.class,
					CheckoutEvent.class)
			.hasNotEmitted(NeverEmitted.class);
		assertThat(this.bus).hasEmitted(CheckoutEvent.class)
			.hasCount(2)
			.allMatch("with an order id", (event) -> event.orderId.startsWith("o-"))
			.matching("for o-2", (event) -> event.orderId.equals("o-2"))
			.single()
			.hasResult("charge:o-2:fraud-ok|receipt:o-2");
		assertThat(this.bus).hasEmitted(ChargeEvent.class).first().hasResult("charge:o-1:fraud-ok");
		assertThat(this.bus).hasEmitted(ChargeEvent.class).last().hasResult("charge:o-2:fraud-ok");
		assertThat(this.bus).hasEmitted("FraudEvent").hasCount(2);
	}

	@Test
	void failuresShowTheBusLogTree() {
		twoCheckouts();
		String title = "Log tree of " + this.bus.label();
		assertThat(failure(() -> assertThat(this.bus).hasEmitted(NeverEmitted.class), title))
			.contains("an emitted NeverEmitted", "but the emitted events are [CheckoutEvent#");
		assertThat(failure(() -> assertThat(this.bus).hasEmitted(CheckoutEvent.class).once(), title))
			.contains("1 of emitted CheckoutEvent", "but found 2: [CheckoutEvent#");
		assertThat(failure(() -> assertThat(this.bus).hasNotEmitted(FraudEvent.class), title))
			.contains("no emitted FraudEvent", "but found [FraudEvent#");
		assertThat(failure(() -> assertThat(this.bus).hasEmittedInOrder(ReceiptEvent.class, ChargeEvent.class,
				FraudEvent.class, ReceiptEvent.class, ChargeEvent.class), title))
			.contains(
					"events emitted in the order ReceiptEvent → ChargeEvent → FraudEvent → ReceiptEvent → ChargeEvent",
					"but no ChargeEvent follows the ReceiptEvent");
		assertThat(failure(() -> assertThat(this.bus).hasEmitted(CheckoutEvent.class)
			.allMatch("for o-1", (event) -> event.orderId.equals("o-1")), title))
			.contains("every one of emitted CheckoutEvent to match for o-1", "do not");
		assertThat(failure(() -> assertThat(this.bus).hasEmitted("Nope"), title)).contains("an emitted Nope");
	}

	@Test
	void busStillBusyFailsBecomesIdle() {
		CountDownLatch release = new CountDownLatch(1);
		this.bus.on(CheckoutEvent.class, (event) -> String.valueOf(release.await(10, TimeUnit.SECONDS)));
		this.bus.emit(new CheckoutEvent("o-1"));
		this.bus.emit(new CheckoutEvent("o-2"));
		try {
			assertThat(failure(() -> assertThat(this.bus).waitingAtMost(Duration.ofMillis(50)).becomesIdle(),
					"Log tree of"))
				.contains(this.bus.label() + " to become idle within 0.05s", "but 1 event(s) are still queued");
		}
		finally {
			release.countDown();
		}
		assertThat(this.bus).becomesIdle();
	}

	@Test
	void treesMatchCommittedGoldenFiles() {
		twoCheckouts();
		assertThat(this.bus).logTreeMatchesGoldenFile(GOLDEN.resolve("two-checkouts.log-tree.txt"));
		CheckoutEvent first = (CheckoutEvent) this.bus.eventHistory().get(0);
		assertThat(first).treeMatchesGoldenFile(GOLDEN.resolve("checkout.event-tree.txt"));
	}

	@Test
	void treeThatDiffersFromTheGoldenFileShowsBoth(@TempDir Path dir) throws IOException {
		twoCheckouts();
		Path golden = dir.resolve("tree.txt");
		Files.writeString(golden, "└── CheckoutEvent#0000 [00:00:00.000 (0.000s)] completed\n");
		CheckoutEvent first = (CheckoutEvent) this.bus.eventHistory().get(0);
		AssertionError error = catchThrowableOfType(AssertionError.class,
				() -> assertThat(first).treeMatchesGoldenFile(golden));
		assertThat(error).hasMessageContaining("Tree differs from golden file " + golden)
			.hasMessageContaining("-Dbubus.golden.update=true")
			.hasMessageContaining("Expected:\n└── CheckoutEvent#0000")
			.hasMessageContaining(
					"Actual:\n└── CheckoutEvent#···· [hh:mm:ss.SSS (s.SSSs)] completed\n    ├── ✅ Shop#····.Shop.checkout");
	}

	@Test
	void missingGoldenFileIsWrittenAndFailsOnce(@TempDir Path dir) {
		twoCheckouts();
		Path golden = dir.resolve("new/tree.txt");
		AssertionError error = catchThrowableOfType(AssertionError.class,
				() -> assertThat(this.bus).logTreeMatchesGoldenFile(golden));
		assertThat(error).hasMessageContaining("did not exist; wrote the current tree to it");
		assertThat(golden).exists().content().contains("└── CheckoutEvent#····");
		assertThat(this.bus).logTreeMatchesGoldenFile(golden);
	}

	@Test
	void normalisingReplacesIdsTimesAndDurationsOnly() {
		String tree = "└── OrderPlaced#1a2b [10:10:54.522 (0.003s)]\n    └── ✅ Bus#ef2a.Shop.on#7a12 [10:10:54.522 (12.250s)]"
				+ " → \"0190b3c0-0000-7000-8000-000000000000 at 12:00\"";
		assertThat(EventTree.normalise(tree)).isEqualTo("└── OrderPlaced#···· [hh:mm:ss.SSS (s.SSSs)]\n"
				+ "    └── ✅ Bus#····.Shop.on#···· [hh:mm:ss.SSS (s.SSSs)] → \"<id> at 12:00\"");
	}

	/** A type nobody emits. */
	static final class NeverEmitted extends BaseEvent<Void> {

	}

}
