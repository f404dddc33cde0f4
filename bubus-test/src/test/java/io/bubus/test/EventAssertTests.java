package io.bubus.test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.bubus.EventBus;
import io.bubus.EventHandler;
import io.bubus.EventStatus;
import io.bubus.test.Shop.ChargeEvent;
import io.bubus.test.Shop.CheckoutEvent;
import io.bubus.test.Shop.FraudEvent;
import io.bubus.test.Shop.ReceiptEvent;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.bubus.test.BubusAssertions.assertThat;
import static io.bubus.test.BubusAssertions.assertThatThrownBy;

class EventAssertTests {

	private final EventBus bus = new EventBus("Shop");

	@AfterEach
	void stop() {
		this.bus.stop();
	}

	private CheckoutEvent checkout() {
		Shop.register(this.bus);
		return this.bus.emit(new CheckoutEvent("o-1"));
	}

	/** The message of the assertion error, which must show the event's tree. */
	private static String failure(ThrowingCallable assertion) {
		AssertionError error = org.assertj.core.api.Assertions.catchThrowableOfType(AssertionError.class, assertion);
		assertThat(error).as("the assertion fails").isNotNull();
		assertThat(error.getMessage()).contains("Tree of CheckoutEvent#", "└── CheckoutEvent#", "Shop.checkout");
		return error.getMessage();
	}

	@Test
	void passingAssertionsChainOverTheWholeTree() {
		CheckoutEvent checkout = checkout();
		assertThat(checkout).isCompleted()
			.hasStatus(EventStatus.COMPLETED)
			.hasResult("charge:o-1:fraud-ok|receipt:o-1")
			.hasResultFrom("Shop.checkout")
			.hasResultFrom("Shop.checkout", "charge:o-1:fraud-ok|receipt:o-1")
			.hasFailedWith(IllegalStateException.class)
			.hasFailedWith(RuntimeException.class)
			.hasDescendantPath(ChargeEvent.class, FraudEvent.class)
			.hasDescendantPath(ReceiptEvent.class)
			.completedWithin(Duration.ofSeconds(10));
		assertThat(checkout).hasChild(ChargeEvent.class).once().single().hasResult("charge:o-1:fraud-ok");
		assertThat(checkout).hasDescendant(FraudEvent.class)
			.matching("for o-1", (fraud) -> fraud.orderId.equals("o-1"))
			.single()
			.hasNoChildren()
			.hasNoErrors();
	}

	@Test
	void statusFailureShowsTheTree() {
		CheckoutEvent checkout = checkout();
		checkout.done();
		assertThat(failure(() -> assertThat(checkout).hasStatus(EventStatus.PENDING))).contains("status PENDING",
				"but it is COMPLETED");
	}

	@Test
	void resultFailureListsEveryHandlersOutcome() {
		CheckoutEvent checkout = checkout();
		assertThat(failure(() -> assertThat(checkout).hasResult("nope"))).contains("a handler result \"nope\"",
				"Shop.checkout returned \"charge:o-1:fraud-ok|receipt:o-1\"",
				"Shop.analytics failed with java.lang.IllegalStateException: analytics down");
	}

	@Test
	void resultFromAHandlerThatFailedSaysSo() {
		CheckoutEvent checkout = checkout();
		assertThat(failure(() -> assertThat(checkout).hasResultFrom("Shop.analytics")))
			.contains("a result from Shop.analytics", "but Shop.analytics failed with")
			.contains("❌ Shop#", "☠️ IllegalStateException: analytics down");
	}

	@Test
	void resultFromAHandlerThatDidNotRunNamesTheOnesThatDid() {
		CheckoutEvent checkout = checkout();
		assertThat(failure(() -> assertThat(checkout).hasResultFrom("Shop.missing")))
			.contains("but Shop.missing did not run; the handlers that ran are [Shop.checkout, Shop.analytics]");
	}

	@Test
	void resultFromWithAWrongValueShowsTheRealOne() {
		CheckoutEvent checkout = checkout();
		assertThat(failure(() -> assertThat(checkout).hasResultFrom("Shop.checkout", "other"))).contains(
				"a result from Shop.checkout equal to \"other\"",
				"but Shop.checkout returned \"charge:o-1:fraud-ok|receipt:o-1\"");
	}

	@Test
	void resultFromARegisteredHandler() {
		EventHandler extra = this.bus.on(CheckoutEvent.class, (event) -> "42");
		CheckoutEvent checkout = checkout();
		assertThat(checkout).hasResultFrom(extra).hasResultFrom(extra, "42");
		assertThat(failure(() -> assertThat(checkout).hasResultFrom(extra, "7"))).contains("equal to \"7\"",
				"returned \"42\"");
	}

	@Test
	void failedWithAnotherExceptionListsTheErrors() {
		CheckoutEvent checkout = checkout();
		assertThat(failure(() -> assertThat(checkout).hasFailedWith(IllegalArgumentException.class))).contains(
				"a handler to fail with IllegalArgumentException",
				"but the errors are Shop.analytics: java.lang.IllegalStateException: analytics down");
		assertThat(failure(() -> assertThat(checkout).hasNoErrors())).contains("no handler errors",
				"Shop.analytics: java.lang.IllegalStateException");
	}

	@Test
	void missingChildNamesTheChildren() {
		CheckoutEvent checkout = checkout();
		assertThat(failure(() -> assertThat(checkout).hasChild(FraudEvent.class)))
			.containsPattern("a child FraudEvent of CheckoutEvent#\\w{4}")
			.containsPattern("but its children are \\[ChargeEvent#\\w{4}, ReceiptEvent#\\w{4}\\]");
		assertThat(failure(() -> assertThat(checkout).hasNoChildren())).contains("no children", "it has [ChargeEvent#");
	}

	@Test
	void childNotMatchingThePredicate() {
		CheckoutEvent checkout = checkout();
		assertThat(failure(() -> assertThat(checkout).hasChild(ChargeEvent.class)
			.matching("for order o-2", (charge) -> charge.orderId.equals("o-2"))))
			.contains("at least one of children ChargeEvent of CheckoutEvent#", "matching for order o-2",
					"but none of [ChargeEvent#");
		assertThat(failure(() -> assertThat(checkout).hasDescendant(FraudEvent.class).hasCount(2)))
			.contains("2 of descendants FraudEvent", "but found 1: [FraudEvent#");
	}

	@Test
	void brokenDescendantPathSaysWhereItStops() {
		CheckoutEvent checkout = checkout();
		assertThat(failure(() -> assertThat(checkout).hasDescendantPath(ChargeEvent.class, ReceiptEvent.class)))
			.containsPattern("the descendant path CheckoutEvent#\\w{4} → ChargeEvent → ReceiptEvent")
			.containsPattern("but the path stops after ChargeEvent#\\w{4}, which has no child ReceiptEvent");
		assertThat(failure(() -> assertThat(checkout).hasDescendantPath(FraudEvent.class)))
			.contains("but it has no child FraudEvent");
	}

	@Test
	void forwardingIsSeenInTheEventPath() {
		try (EventBus audit = new EventBus("Audit"); EventBus other = new EventBus("Other")) {
			this.bus.on("*", audit::emit);
			CheckoutEvent checkout = checkout();
			checkout.done();
			assertThat(checkout).wasForwardedTo(audit).wasForwardedTo(this.bus);
			assertThat(failure(() -> assertThat(checkout).wasForwardedTo(other))).contains(
					"to be forwarded to " + other.label(),
					"but its event_path is [" + this.bus.label() + ", " + audit.label() + "]");
		}
	}

	@Test
	void eventStillRunningFailsTheTimingAssertionWithTheRunningTree() throws InterruptedException {
		CountDownLatch release = new CountDownLatch(1);
		this.bus.on(CheckoutEvent.class, (event) -> String.valueOf(release.await(10, TimeUnit.SECONDS)),
				io.bubus.HandlerOptions.defaults().name("Shop.checkout"));
		CheckoutEvent checkout = this.bus.emit(new CheckoutEvent("o-1"));
		try {
			assertThat(failure(() -> assertThat(checkout).completedWithin(Duration.ofMillis(100))))
				.contains("to complete within 0.1s of its creation", "but it is still STARTED", "🏃 Shop#");
			assertThat(failure(() -> assertThat(checkout).waitingAtMost(Duration.ofMillis(50)).hasResult("x")))
				.contains("to have the result \"x\" (waited 0.05s)", "but it is still STARTED");
		}
		finally {
			release.countDown();
		}
		assertThat(checkout).completedWithin(Duration.ofSeconds(10)).hasResult("true");
	}

	@Test
	void eventThatTookTooLongSaysHowLong() {
		CountDownLatch never = new CountDownLatch(1);
		this.bus.on(CheckoutEvent.class, (event) -> String.valueOf(never.await(150, TimeUnit.MILLISECONDS)),
				io.bubus.HandlerOptions.defaults().name("Shop.checkout"));
		CheckoutEvent checkout = this.bus.emit(new CheckoutEvent("o-1"));
		checkout.done();
		assertThat(failure(() -> assertThat(checkout).completedWithin(Duration.ofMillis(100))))
			.contains("to complete within 0.1s of its creation", "but it took 0.");
	}

	@Test
	void eventNeverEmittedIsReported() {
		CheckoutEvent never = new CheckoutEvent("o-1");
		assertThatThrownBy(() -> assertThat(never).hasResult("x")).isInstanceOf(AssertionError.class)
			.hasMessageContaining("but it was never emitted");
	}

}
