package io.bubus.test;

import java.lang.reflect.Parameter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.bubus.EventBus;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit 5 extension behind {@link BubusTest @BubusTest}: creates the buses that test
 * methods ask for, records what they accept, injects a {@link BubusScenario} over them,
 * and stops or resets them after each test (see {@link BubusTest.Buses}). Register it
 * with {@code @BubusTest} or {@code @ExtendWith(BubusExtension.class)} (then
 * {@link BubusTest.Buses#PER_TEST}).
 */
public final class BubusExtension implements ParameterResolver, AfterEachCallback, AfterAllCallback {

	private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(BubusExtension.class);

	/** How long a shared bus may stay busy after a test before the test fails. */
	private static final Duration SETTLE = Duration.ofSeconds(10);

	@Override
	public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
		Class<?> type = parameter.getParameter().getType();
		return type == EventBus.class || type == BubusScenario.class || type == RecordedEvents.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
		TestBuses buses = buses(context);
		Class<?> type = parameter.getParameter().getType();
		if (type == RecordedEvents.class) {
			return buses.recorded;
		}
		if (type == BubusScenario.class) {
			return new BubusScenario(buses::list, BubusScenario.DEFAULT_TIMEOUT);
		}
		return buses.bus(busName(parameter.getParameter()));
	}

	@Override
	public void afterEach(ExtensionContext context) {
		if (perClass(context)) {
			TestBuses shared = classStore(context).get(TestBuses.class, TestBuses.class);
			if (shared != null) {
				shared.reset(context.getDisplayName());
			}
			return;
		}
		TestBuses own = context.getStore(NAMESPACE).remove(TestBuses.class, TestBuses.class);
		if (own != null) {
			own.stop();
		}
	}

	@Override
	public void afterAll(ExtensionContext context) {
		TestBuses shared = context.getStore(NAMESPACE).remove(TestBuses.class, TestBuses.class);
		if (shared != null) {
			shared.stop();
		}
	}

	private static TestBuses buses(ExtensionContext context) {
		if (perClass(context)) {
			return classStore(context).getOrComputeIfAbsent(TestBuses.class, (key) -> new TestBuses(), TestBuses.class);
		}
		if (context.getTestMethod().isEmpty()) {
			throw new ParameterResolutionException("Buses of @BeforeAll and @AfterAll methods are shared by the class:"
					+ " annotate " + context.getRequiredTestClass().getSimpleName()
					+ " with @BubusTest(buses = BubusTest.Buses.PER_CLASS)");
		}
		return context.getStore(NAMESPACE)
			.getOrComputeIfAbsent(TestBuses.class, (key) -> new TestBuses(), TestBuses.class);
	}

	private static boolean perClass(ExtensionContext context) {
		return context.getTestClass()
			.flatMap((type) -> AnnotationSupport.findAnnotation(type, BubusTest.class))
			.map((annotation) -> annotation.buses() == BubusTest.Buses.PER_CLASS)
			.orElse(false);
	}

	/** The store of the test class (the context itself outside a test method). */
	private static ExtensionContext.Store classStore(ExtensionContext context) {
		ExtensionContext classContext = context.getTestMethod().isPresent() ? context.getParent().orElseThrow()
				: context;
		return classContext.getStore(NAMESPACE);
	}

	private static String busName(Parameter parameter) {
		BusName name = parameter.getAnnotation(BusName.class);
		if (name != null) {
			return name.value();
		}
		return parameter.isNamePresent() ? parameter.getName() : "TestBus";
	}

	/**
	 * The buses of one test (or class) and their recording. Its monitor guards the map;
	 * buses are built under it (building calls no user code), stopped outside it.
	 */
	private static final class TestBuses {

		final RecordedEvents recorded = new RecordedEvents();

		private final Map<String, EventBus> buses = new LinkedHashMap<>();

		synchronized EventBus bus(String name) {
			return this.buses.computeIfAbsent(name, (key) -> EventBus.builder(key).middleware(this.recorded).build());
		}

		synchronized List<EventBus> list() {
			return new ArrayList<>(this.buses.values());
		}

		void reset(String test) {
			for (EventBus bus : list()) {
				if (!bus.waitUntilIdle(SETTLE)) {
					throw new AssertionError(bus.label() + " is still busy " + Failures.duration(SETTLE) + " after "
							+ test + "; its events would leak into the next test: " + bus + "\n" + bus.logTree());
				}
				bus.clearHistory();
			}
			this.recorded.clear();
		}

		void stop() {
			for (EventBus bus : list()) {
				bus.stop();
			}
		}

	}

}
