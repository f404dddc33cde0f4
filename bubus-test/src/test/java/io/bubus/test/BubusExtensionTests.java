package io.bubus.test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.bubus.EventBus;
import io.bubus.test.Shop.ChargeEvent;
import io.bubus.test.Shop.CheckoutEvent;
import io.bubus.test.Shop.FraudEvent;
import io.bubus.test.Shop.ReceiptEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import static io.bubus.test.BubusAssertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

/**
 * Runs small test classes with {@link BubusTest @BubusTest} through the JUnit launcher
 * and checks what their tests saw. The fixture classes are nested, so the build's test
 * run does not pick them up on its own.
 */
class BubusExtensionTests {

	static final List<EventBus> seen = new CopyOnWriteArrayList<>();

	/**
	 * Set only by {@link #run}, so a build that selects nested classes skips the
	 * fixtures.
	 */
	private static final String FIXTURES = "io.bubus.test.fixtures";

	private static TestExecutionSummary run(Class<?> fixture) {
		seen.clear();
		SummaryGeneratingListener listener = new SummaryGeneratingListener();
		LauncherFactory.create()
			.execute(request().selectors(selectClass(fixture)).configurationParameter(FIXTURES, "true").build(),
					listener);
		return listener.getSummary();
	}

	private static void assertAllPassed(TestExecutionSummary summary, long tests) {
		assertThat(summary.getFailures()).extracting((failure) -> failure.getException().toString()).isEmpty();
		assertThat(summary.getTestsSucceededCount()).isEqualTo(tests);
	}

	@Test
	void everyTestGetsFreshBusesStoppedAfterIt() {
		assertAllPassed(run(PerTest.class), 2);
		assertThat(seen).hasSize(2).doesNotHaveDuplicates().allMatch(EventBus::isStopped);
	}

	@Test
	void sharedBusesAreClearedBetweenTestsAndStoppedAfterTheClass() {
		assertAllPassed(run(PerClass.class), 2);
		assertThat(seen).hasSize(2);
		assertThat(seen.get(0)).isSameAs(seen.get(1));
		assertThat(seen.get(0).isStopped()).isTrue();
	}

	@Test
	void busesOfBeforeAllNeedPerClass() {
		TestExecutionSummary summary = run(BeforeAllWithoutPerClass.class);
		assertThat(summary.getFailures()).singleElement()
			.satisfies((failure) -> assertThat(failure.getException()).hasMessageContaining(
					"annotate BeforeAllWithoutPerClass with @BubusTest(buses = BubusTest.Buses.PER_CLASS)"));
	}

	@BubusTest
	@ExtendWith(OnlyLaunched.class)
	static class PerTest {

		private final ExecutorService executor = Executors.newSingleThreadExecutor();

		@BeforeEach
		void handlers(EventBus orders) {
			Shop.register(orders);
		}

		@AfterEach
		void stopExecutor(EventBus orders) throws InterruptedException {
			seen.add(orders);
			this.executor.shutdown();
			assertThat(this.executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
		}

		@Test
		void recordsWhatOtherThreadsEmit(EventBus orders, RecordedEvents recorded, BubusScenario scenario)
				throws Exception {
			assertThat(orders.eventHistory()).isEmpty();
			this.executor.submit(() -> orders.emit(new CheckoutEvent("from-executor")).done()).get();
			scenario.emit(new ChargeEvent("from-test")).andWaitUntilIdle();
			assertThat(recorded).hasCount(6)
				.hasEmittedInOrder(CheckoutEvent.class, ChargeEvent.class, FraudEvent.class, ReceiptEvent.class,
						ChargeEvent.class, FraudEvent.class)
				.hasEmitted(CheckoutEvent.class)
				.single()
				.hasResult("charge:from-executor:fraud-ok|receipt:from-executor");
			assertThat(scenario.buses()).containsExactly(orders);
		}

		@Test
		void startsEmpty(EventBus orders, RecordedEvents recorded, @BusName("audit") EventBus audit) {
			assertThat(orders.eventHistory()).isEmpty();
			assertThat(recorded.all()).isEmpty();
			assertThat(audit.name()).isEqualTo("audit");
			orders.on("*", audit::emit);
			orders.emit(new ReceiptEvent("r-1")).done();
			assertThat(recorded).hasCount(1).hasEmitted(ReceiptEvent.class).single().wasForwardedTo(audit);
		}

	}

	@BubusTest(buses = BubusTest.Buses.PER_CLASS)
	@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
	@ExtendWith(OnlyLaunched.class)
	static class PerClass {

		@BeforeAll
		static void handlers(EventBus orders) {
			Shop.register(orders);
		}

		@AfterEach
		void remember(EventBus orders) {
			seen.add(orders);
		}

		@Test
		@Order(1)
		void first(EventBus orders, RecordedEvents recorded) {
			orders.emit(new FraudEvent("f-1"));
			orders.emit(new FraudEvent("f-2"));
			assertThat(orders).becomesIdle().hasEmitted(FraudEvent.class).hasCount(2);
			assertThat(recorded).hasCount(2);
		}

		@Test
		@Order(2)
		void second(EventBus orders, RecordedEvents recorded) {
			assertThat(orders.eventHistory()).as("history cleared").isEmpty();
			assertThat(recorded.all()).as("recording cleared").isEmpty();
			assertThat(orders.emit(new FraudEvent("f-3"))).as("handlers kept").hasResult("fraud-ok");
		}

	}

	@BubusTest
	@ExtendWith(OnlyLaunched.class)
	static class BeforeAllWithoutPerClass {

		@BeforeAll
		static void handlers(EventBus orders) {
			Shop.register(orders);
		}

		@Test
		void never() {
		}

	}

	/** Runs the fixtures only when {@link #run} launches them. */
	static final class OnlyLaunched implements ExecutionCondition {

		@Override
		public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
			return context.getConfigurationParameter(FIXTURES).isPresent()
					? ConditionEvaluationResult.enabled("launched by BubusExtensionTests")
					: ConditionEvaluationResult.disabled("a fixture of BubusExtensionTests");
		}

	}

}
