package io.bubus.test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.bubus.BaseEvent;
import io.bubus.EventBus;
import io.bubus.EventStatus;
import io.bubus.test.Shop.ChargeEvent;
import io.bubus.test.Shop.CheckoutEvent;
import io.bubus.test.Shop.FraudEvent;
import io.bubus.test.Shop.ReceiptEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import static io.bubus.test.BubusAssertions.assertThat;
import static io.bubus.test.BubusAssertions.assertThatThrownBy;
import static io.bubus.test.BubusAssertions.catchThrowableOfType;

class BubusScenarioTests {

	private final EventBus bus = new EventBus("Shop");

	private final ExecutorService executor = Executors.newSingleThreadExecutor();

	@AfterEach
	void stop() {
		this.bus.stop();
		this.executor.shutdownNow();
	}

	@Test
	void waitsForAGrandchildInTheTreeOfTheEmittedEvent() {
		Shop.register(this.bus);
		BubusScenario scenario = BubusScenario.of(this.bus);
		FraudEvent fraud = scenario.emit(new CheckoutEvent("o-1")).andWaitForEventOfType(FraudEvent.class).toComplete();
		assertThat(fraud.orderId).isEqualTo("o-1");
		assertThat(fraud).hasStatus(EventStatus.COMPLETED).hasResult("fraud-ok");
	}

	@Test
	void anEventOfTheSameTypeOutsideTheTreeDoesNotCount() {
		Shop.register(this.bus);
		this.bus.emit(new FraudEvent("earlier")).done();
		BubusScenario scenario = BubusScenario.of(this.bus);
		FraudEvent fraud = scenario.emit(new CheckoutEvent("o-1")).andWaitForEventOfType(FraudEvent.class).toArrive();
		assertThat(fraud.orderId).isEqualTo("o-1");
	}

	@Test
	void findsAChildEmittedLaterFromAnotherThreadThroughItsParentId() {
		this.bus.on(CheckoutEvent.class, (checkout) -> CompletableFuture.supplyAsync(() -> {
			ReceiptEvent receipt = new ReceiptEvent(checkout.orderId);
			receipt.setEventParentId(checkout.eventId());
			this.bus.emit(receipt);
			return "queued";
		}, CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS, this.executor)));
		BubusScenario scenario = BubusScenario.of(this.bus);
		CheckoutEvent checkout = new CheckoutEvent("o-1");
		ReceiptEvent receipt = scenario.emit(checkout)
			.andWaitForEventOfType(ReceiptEvent.class)
			.matching("for o-1", (event) -> event.orderId.equals("o-1"))
			.toArriveAndVerify((event) -> assertThat(event.eventParentId()).isEqualTo(checkout.eventId()));
		assertThat(this.bus.eventIsChildOf(receipt, checkout)).isTrue();
	}

	@Test
	void waitsAcrossBusesForAnEventEmittedOnAForwardedBus() {
		try (EventBus audit = new EventBus("Audit")) {
			Shop.register(this.bus);
			this.bus.on("*", audit::emit);
			audit.on(CheckoutEvent.class, (event) -> audit.emit(new ReceiptEvent("audit-" + event.orderId)));
			BubusScenario scenario = BubusScenario.of(this.bus, audit);
			ReceiptEvent receipt = scenario.emit(new CheckoutEvent("o-1"))
				.andWaitForEventOfType(ReceiptEvent.class)
				.matching((event) -> event.orderId.startsWith("audit-"))
				.toComplete();
			assertThat(receipt.eventPath()).containsExactly(audit.label());
			scenario.stimulate(() -> null).andWaitUntilIdle();
		}
	}

	@Test
	void aBeanCallStimulusCountsEveryEventAcceptedSinceItBeganOnAnyThread() {
		Shop.register(this.bus);
		ChargeEvent before = this.bus.emit(new ChargeEvent("before"));
		before.done();
		BubusScenario scenario = BubusScenario.of(this.bus);
		BubusScenario.Stimulus stimulus = scenario
			.stimulate(() -> this.executor.execute(() -> this.bus.emit(new ChargeEvent("during"))));
		ChargeEvent charge = stimulus.andWaitForEventOfType(ChargeEvent.class).toComplete();
		assertThat(charge.orderId).isEqualTo("during");
		assertThat(stimulus.andWaitUntilIdle().tree()).contains("ChargeEvent#", "FraudEvent#")
			.doesNotContain(EventTree.label(before));
	}

	@Test
	void aSupplierReturningAnEventMakesThatEventTheRoot() {
		Shop.register(this.bus);
		BubusScenario scenario = BubusScenario.of(this.bus);
		BubusScenario.Stimulus stimulus = scenario.stimulate(() -> this.bus.emit(new CheckoutEvent("o-9")));
		assertThat(stimulus.result()).isInstanceOf(CheckoutEvent.class);
		CheckoutEvent checkout = stimulus.andWaitForEventOfType(CheckoutEvent.class).toComplete();
		assertThat(checkout).isSameAs(stimulus.result());
		assertThat(stimulus.andWaitForCompletion().tree()).startsWith("└── CheckoutEvent#");
	}

	@Test
	void timeoutShowsWhatDidHappen() {
		Shop.register(this.bus);
		BubusScenario scenario = BubusScenario.of(this.bus).withTimeout(Duration.ofMillis(200));
		BubusScenario.Stimulus stimulus = scenario.emit(new CheckoutEvent("o-1"));
		AssertionFailedError error = catchThrowableOfType(AssertionFailedError.class,
				() -> stimulus.andWaitForEventOfType(ReceiptEvent.class)
					.matching("for order zzz", (event) -> event.orderId.equals("zzz"))
					.toArrive());
		assertThat(error)
			.hasMessageContaining(
					"Expected an event of type ReceiptEvent matching for order zzz in the tree of CheckoutEvent#")
			.hasMessageContaining("within 0.2s")
			.hasMessageContaining("but none arrived.")
			.hasMessageContaining("What happened (tree of CheckoutEvent#")
			.hasMessageContaining("└── ReceiptEvent#")
			.hasMessageContaining("→ \"receipt:o-1\"");
	}

	@Test
	void busThatStaysBusyFailsTheIdleWaitWithTheTree() {
		CountDownLatch release = new CountDownLatch(1);
		this.bus.on(CheckoutEvent.class, (event) -> String.valueOf(release.await(10, TimeUnit.SECONDS)));
		BubusScenario scenario = BubusScenario.of(this.bus).withTimeout(Duration.ofMillis(100));
		try {
			BubusScenario.Stimulus stimulus = scenario.emit(new CheckoutEvent("o-1"));
			assertThatThrownBy(stimulus::andWaitUntilIdle).isInstanceOf(AssertionError.class)
				.hasMessageContaining("every bus to be idle within 0.1s")
				.hasMessageContaining("but " + this.bus.label() + " is still busy")
				.hasMessageContaining("🏃 Shop#");
			assertThatThrownBy(stimulus::andWaitForCompletion).isInstanceOf(AssertionError.class)
				.hasMessageContaining("to complete within 0.1s")
				.hasMessageContaining("but it is still STARTED");
		}
		finally {
			release.countDown();
		}
	}

	@Test
	void waitingForCompletionNeedsAnEventStimulus() {
		BubusScenario scenario = BubusScenario.of(this.bus);
		assertThatThrownBy(() -> scenario.stimulate(() -> {
		}).andWaitForCompletion()).isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("use andWaitUntilIdle()");
		assertThatThrownBy(BubusScenario::of).isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> scenario.withTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
	}

	@Test
	void theRootItselfMatches() {
		Shop.register(this.bus);
		BaseEvent<?> checkout = BubusScenario.of(this.bus)
			.emit(new CheckoutEvent("o-1"))
			.andWaitForEventOfType(CheckoutEvent.class)
			.toArrive();
		assertThat(checkout).hasResultFrom("Shop.checkout");
	}

}
