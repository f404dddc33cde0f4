package io.bubus.middleware;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.bubus.BaseEvent;
import io.bubus.EventBus;
import io.bubus.HandlerOptions;
import io.bubus.middleware.observation.EventObservationContext;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link ObservationEventBusMiddleware}: observations, keys and the span parent rules of
 * spec/integrations §2.3 (handler under its event, a child event under the handler that
 * emitted it), checked as real spans through Micrometer Tracing's test tracer.
 */
class ObservationEventBusMiddlewareTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@Test
	void spansFollowTheEventTreeRootHandlerChildAndChildHandler() {
		SimpleTracer tracer = new SimpleTracer();
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig().observationHandler(new DefaultTracingObservationHandler(tracer));
		try (EventBus bus = EventBus.builder("Traced")
			.middleware(new ObservationEventBusMiddleware(registry))
			.build()) {
			bus.on(ChildEvent.class, (event) -> "child-ok", HandlerOptions.defaults().name("child_handler"));
			bus.on(RootEvent.class, (event) -> {
				ChildEvent child = bus.emit(new ChildEvent());
				child.done(WAIT);
				return "root-ok";
			}, HandlerOptions.defaults().name("root_handler"));
			bus.emit(new RootEvent()).done(WAIT);
			bus.waitUntilIdle(WAIT);

			await().untilAsserted(() -> assertThat(tracer.getSpans()).hasSize(4)
				.allSatisfy((span) -> assertThat(span.getEndTimestamp()).isAfter(Instant.EPOCH)));
			SimpleSpan root = span(tracer, "bubus.event.type", "RootEvent", null);
			SimpleSpan rootHandler = span(tracer, "bubus.handler", "root_handler", "RootEvent");
			SimpleSpan child = span(tracer, "bubus.event.type", "ChildEvent", null);
			SimpleSpan childHandler = span(tracer, "bubus.handler", "child_handler", "ChildEvent");

			assertThat(root.getParentId()).isNullOrEmpty();
			assertThat(rootHandler.getParentId()).isEqualTo(root.getSpanId());
			assertThat(child.getParentId()).isEqualTo(rootHandler.getSpanId());
			assertThat(childHandler.getParentId()).isEqualTo(child.getSpanId());
			assertThat(tracer.getSpans()).extracting(SimpleSpan::getTraceId).containsOnly(root.getTraceId());
			assertThat(tracer.getSpans())
				.allSatisfy((span) -> assertThat(span.getTags()).containsEntry("bubus.bus.label", bus.label())
					.containsEntry("bubus.bus", "Traced")
					.containsEntry("bubus.outcome", "completed"));
			assertThat(root.getName()).isEqualTo("Traced RootEvent");
			assertThat(rootHandler.getName()).isEqualTo("Traced root_handler");
		}
	}

	@Test
	void failingHandlerMarksItsSpanAndItsEventWithTheError() {
		SimpleTracer tracer = new SimpleTracer();
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig().observationHandler(new DefaultTracingObservationHandler(tracer));
		try (EventBus bus = EventBus.builder("Failing")
			.middleware(new ObservationEventBusMiddleware(registry))
			.build()) {
			bus.on(RootEvent.class, (event) -> {
				throw new IllegalStateException("boom");
			}, HandlerOptions.defaults().name("fails"));
			bus.emit(new RootEvent()).done(WAIT);
			bus.waitUntilIdle(WAIT);
			await().untilAsserted(() -> assertThat(tracer.getSpans()).hasSize(2)
				.allSatisfy((span) -> assertThat(span.getEndTimestamp()).isAfter(Instant.EPOCH)));
			assertThat(tracer.getSpans()).allSatisfy((span) -> {
				assertThat(span.getTags()).containsEntry("bubus.outcome", "error");
				assertThat(span.getError()).isInstanceOf(IllegalStateException.class).hasMessage("boom");
			});
		}
	}

	@Test
	void forwardedEventGetsOneObservationPerBusTheSecondUnderTheFirst() {
		TestObservationRegistry registry = TestObservationRegistry.create();
		ObservationEventBusMiddleware middleware = new ObservationEventBusMiddleware(registry);
		try (EventBus orders = EventBus.builder("Orders").middleware(middleware).build();
				EventBus audit = EventBus.builder("Audit").middleware(middleware).build()) {
			orders.on("*", audit::emit);
			audit.on(RootEvent.class, (event) -> "audited", HandlerOptions.defaults().name("audit_handler"));
			RootEvent event = orders.emit(new RootEvent());
			event.done(WAIT);
			orders.waitUntilIdle(WAIT);
			audit.waitUntilIdle(WAIT);

			await().untilAsserted(() -> TestObservationRegistryAssert.assertThat(registry)
				.hasNumberOfObservationsWithNameEqualTo("bubus.event", 2)
				.hasNumberOfObservationsWithNameEqualTo("bubus.handler", 2)
				.forAllObservationsWithNameEqualTo("bubus.event",
						(observation) -> observation.hasLowCardinalityKeyValueWithKey("bubus.outcome")));
			TestObservationRegistryAssert.assertThat(registry)
				.hasAnObservation((observation) -> observation.hasNameEqualTo("bubus.event")
					.hasLowCardinalityKeyValue("bubus.bus", "Audit")
					.hasLowCardinalityKeyValue("bubus.event.type", "RootEvent")
					.hasHighCardinalityKeyValue("bubus.event.id", event.eventId())
					.hasHighCardinalityKeyValue("bubus.bus.label", audit.label())
					.hasParentObservationContextMatching((parent) -> parent instanceof EventObservationContext context
							&& context.getBus() == orders))
				.hasAnObservation((observation) -> observation.hasNameEqualTo("bubus.handler")
					.hasLowCardinalityKeyValue("bubus.handler", "audit_handler")
					.hasLowCardinalityKeyValue("bubus.bus", "Audit")
					.hasLowCardinalityKeyValue("bubus.outcome", "completed")
					.hasParentObservationContextMatching((parent) -> parent instanceof EventObservationContext context
							&& context.getBus() == audit));
		}
	}

	@Test
	void handlerCancelledByAnEventTimeoutIsRecordedAsCancelled() {
		TestObservationRegistry registry = TestObservationRegistry.create();
		try (EventBus bus = EventBus.builder("Timeout")
			.eventTimeout(Duration.ofMillis(100))
			.middleware(new ObservationEventBusMiddleware(registry))
			.build()) {
			CountDownLatch never = new CountDownLatch(1);
			bus.on(RootEvent.class, (event) -> never.await(10, TimeUnit.SECONDS),
					HandlerOptions.defaults().name("stuck"));
			bus.on(RootEvent.class, (event) -> "late", HandlerOptions.defaults().name("late"));
			bus.emit(new RootEvent()).done(WAIT);
			bus.waitUntilIdle(WAIT);
			await().untilAsserted(() -> TestObservationRegistryAssert.assertThat(registry)
				.hasNumberOfObservationsWithNameEqualTo("bubus.handler", 2)
				.hasAnObservation((observation) -> observation.hasNameEqualTo("bubus.handler")
					.hasLowCardinalityKeyValue("bubus.handler", "late")
					.hasLowCardinalityKeyValue("bubus.outcome", "cancelled"))
				.hasAnObservation((observation) -> observation.hasNameEqualTo("bubus.event")
					.hasLowCardinalityKeyValue("bubus.outcome", "timeout")));
		}
	}

	private static SimpleSpan span(SimpleTracer tracer, String key, String value, @Nullable String eventType) {
		List<SimpleSpan> matching = tracer.getSpans()
			.stream()
			.filter((span) -> value.equals(span.getTags().get(key)))
			.filter((span) -> eventType == null || eventType.equals(span.getTags().get("bubus.event.type")))
			.filter((span) -> eventType != null || !span.getTags().containsKey("bubus.handler"))
			.toList();
		assertThat(matching).as("spans with %s=%s", key, value).hasSize(1);
		return matching.get(0);
	}

	static class RootEvent extends BaseEvent<String> {

	}

	static class ChildEvent extends BaseEvent<String> {

	}

}
