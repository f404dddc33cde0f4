package io.bubus.test;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.bubus.BaseEvent;
import io.bubus.EventBus;
import io.bubus.EventStatus;
import io.bubus.HandlerOptions;
import io.bubus.test.Shop.ChargeEvent;
import io.bubus.test.Shop.CheckoutEvent;
import io.bubus.test.Shop.FraudEvent;
import io.bubus.test.Shop.ReceiptEvent;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.bubus.test.BubusAssertions.assertThat;
import static io.bubus.test.BubusAssertions.catchThrowableOfType;

/**
 * Every assertion of the kit that can fail has its failure message checked here: it says
 * what was expected and shows a tree. The catalogue is compared with the public methods
 * of the assertion classes, so an assertion added without a failing case here fails this
 * test. The finer wording of each message is checked in the other tests of this package.
 */
class FailureMessageCatalogueTests {

	/** Public methods that assert nothing: settings, narrowing, accessors. */
	private static final Set<String> NOT_ASSERTIONS = Set.of("EventAssert.waitingAtMost",
			"AbstractEmittedAssert.waitingAtMost", "Stimulus.result", "Stimulus.tree", "Stimulus.andWaitForEventOfType",
			"EventWait.matching", "EventWait.toString",
			// a list of events is never empty (hasEmitted, hasChild, hasDescendant and
			// matching fail first), so these go on without a failure of their own
			"EventsAssert.first", "EventsAssert.last");

	private final EventBus bus = new EventBus("Shop");

	private final EventBus stuckBus = new EventBus("Stuck");

	private final EventBus other = new EventBus("Other");

	private final CountDownLatch release = new CountDownLatch(1);

	private final RecordedEvents recorded = new RecordedEvents();

	private final EventBus recordedBus = EventBus.builder("Recorded").middleware(this.recorded).build();

	private CheckoutEvent checkout;

	private CheckoutEvent stuck;

	@TempDir
	Path dir;

	@BeforeEach
	void twoCheckoutsAndOneThatHangs() {
		Shop.register(this.bus);
		this.checkout = this.bus.emit(new CheckoutEvent("o-1"));
		this.checkout.done();
		this.bus.emit(new CheckoutEvent("o-2")).done();
		this.stuckBus.on(CheckoutEvent.class, (event) -> String.valueOf(this.release.await(10, TimeUnit.SECONDS)),
				HandlerOptions.defaults().name("Stuck.wait"));
		this.stuck = this.stuckBus.emit(new CheckoutEvent("o-3"));
		Shop.register(this.recordedBus);
		this.recordedBus.emit(new CheckoutEvent("o-4")).done();
	}

	@AfterEach
	void stop() {
		this.release.countDown();
		this.bus.stop();
		this.stuckBus.stop();
		this.other.stop();
		this.recordedBus.stop();
	}

	private Map<String, ThrowingCallable> catalogue() throws IOException {
		Duration short_ = Duration.ofMillis(50);
		Path wrongGolden = this.dir.resolve("wrong.txt");
		Files.writeString(wrongGolden, "└── CheckoutEvent#0000 [00:00:00.000 (0.000s)]\n");
		BubusScenario scenario = BubusScenario.of(this.stuckBus).withTimeout(Duration.ofMillis(100));
		BubusScenario done = BubusScenario.of(this.bus).withTimeout(Duration.ofMillis(100));
		Map<String, ThrowingCallable> cases = new LinkedHashMap<>();
		cases.put("EventAssert.hasStatus", () -> assertThat(this.checkout).hasStatus(EventStatus.PENDING));
		cases.put("EventAssert.isCompleted", () -> assertThat(this.stuck).waitingAtMost(short_).isCompleted());
		cases.put("EventAssert.hasResult", () -> assertThat(this.checkout).hasResult("nope"));
		cases.put("EventAssert.hasResultFrom", () -> assertThat(this.checkout).hasResultFrom("Shop.missing"));
		cases.put("EventAssert.hasFailedWith",
				() -> assertThat(this.checkout).hasFailedWith(IllegalArgumentException.class));
		cases.put("EventAssert.hasNoErrors", () -> assertThat(this.checkout).hasNoErrors());
		cases.put("EventAssert.hasChild", () -> assertThat(this.checkout).hasChild(FraudEvent.class));
		cases.put("EventAssert.hasDescendant", () -> assertThat(this.checkout).hasDescendant(Unused.class));
		cases.put("EventAssert.hasNoChildren", () -> assertThat(this.checkout).hasNoChildren());
		cases.put("EventAssert.hasDescendantPath",
				() -> assertThat(this.checkout).hasDescendantPath(ReceiptEvent.class, FraudEvent.class));
		cases.put("EventAssert.wasForwardedTo", () -> assertThat(this.checkout).wasForwardedTo(this.other));
		cases.put("EventAssert.completedWithin", () -> assertThat(this.stuck).completedWithin(short_));
		cases.put("EventAssert.treeMatchesGoldenFile",
				() -> assertThat(this.checkout).treeMatchesGoldenFile(wrongGolden));
		cases.put("EventsAssert.matching",
				() -> assertThat(this.checkout).hasChild(ChargeEvent.class).matching("for o-9", (e) -> false));
		cases.put("EventsAssert.hasCount", () -> assertThat(this.checkout).hasChild(ChargeEvent.class).hasCount(2));
		cases.put("EventsAssert.once", () -> assertThat(this.bus).hasEmitted(CheckoutEvent.class).once());
		cases.put("EventsAssert.single", () -> assertThat(this.bus).hasEmitted(CheckoutEvent.class).single());
		cases.put("EventsAssert.allMatch", () -> assertThat(this.bus).hasEmitted(CheckoutEvent.class)
			.allMatch("for o-1", (event) -> event.orderId.equals("o-1")));
		cases.put("AbstractEmittedAssert.hasEmitted", () -> assertThat(this.bus).hasEmitted(Unused.class));
		cases.put("AbstractEmittedAssert.hasNotEmitted",
				() -> assertThat(this.recorded).hasNotEmitted(FraudEvent.class));
		cases.put("AbstractEmittedAssert.hasEmittedInOrder",
				() -> assertThat(this.bus).hasEmittedInOrder(FraudEvent.class, CheckoutEvent.class, Unused.class));
		cases.put("EventBusAssert.becomesIdle", () -> assertThat(this.stuckBus).waitingAtMost(short_).becomesIdle());
		cases.put("EventBusAssert.logTreeMatchesGoldenFile",
				() -> assertThat(this.bus).logTreeMatchesGoldenFile(wrongGolden));
		cases.put("RecordedEventsAssert.hasCount", () -> assertThat(this.recorded).hasCount(1));
		cases.put("Stimulus.andWaitUntilIdle", () -> scenario.emit(new CheckoutEvent("o-5")).andWaitUntilIdle());
		cases.put("Stimulus.andWaitForCompletion",
				() -> scenario.emit(new CheckoutEvent("o-6")).andWaitForCompletion());
		cases.put("EventWait.toArrive",
				() -> done.emit(new CheckoutEvent("o-7")).andWaitForEventOfType(Unused.class).toArrive());
		cases.put("EventWait.toArriveAndVerify",
				() -> done.emit(new CheckoutEvent("o-8"))
					.andWaitForEventOfType(Unused.class)
					.toArriveAndVerify((event) -> {
					}));
		cases.put("EventWait.toComplete",
				() -> scenario.emit(new CheckoutEvent("o-9")).andWaitForEventOfType(CheckoutEvent.class).toComplete());
		return cases;
	}

	@Test
	void everyAssertionThatCanFailIsInTheCatalogue() throws IOException {
		Set<String> assertions = new TreeSet<>();
		for (Class<?> type : new Class<?>[] { EventAssert.class, EventsAssert.class, AbstractEmittedAssert.class,
				EventBusAssert.class, RecordedEventsAssert.class, BubusScenario.Stimulus.class,
				BubusScenario.EventWait.class }) {
			for (Method method : type.getDeclaredMethods()) {
				if (Modifier.isPublic(method.getModifiers()) && !Modifier.isStatic(method.getModifiers())
						&& !method.isSynthetic() && !method.isBridge()) {
					assertions.add(type.getSimpleName() + "." + method.getName());
				}
			}
		}
		assertions.removeAll(NOT_ASSERTIONS);
		assertThat(new TreeSet<>(catalogue().keySet())).isEqualTo(assertions);
	}

	@Test
	void everyFailureSaysWhatWasExpectedAndShowsATree() throws IOException {
		this.catalogue().forEach((name, assertion) -> {
			AssertionError error = catchThrowableOfType(AssertionError.class, assertion);
			assertThat(error).as("%s fails", name).isNotNull();
			assertThat(error.getMessage()).as(name)
				.contains("Expected")
				.containsPattern("└── CheckoutEvent#\\S{4}")
				.containsPattern("(?s)(Tree of|Log tree of|Recorded events|What happened|Actual:).*└── ");
		});
	}

	/** A type nobody emits. */
	static final class Unused extends BaseEvent<Void> {

	}

}
