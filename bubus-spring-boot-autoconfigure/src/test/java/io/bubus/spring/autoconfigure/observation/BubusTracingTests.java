package io.bubus.spring.autoconfigure.observation;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import io.bubus.BaseEvent;
import io.bubus.EventBus;
import io.bubus.EventStatus;
import io.bubus.HandlerOptions;
import io.bubus.spring.autoconfigure.BubusAutoConfiguration;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Traces with Micrometer Tracing's test tracer: the observations of the bus become spans
 * whose parent/child links follow the causal tree of events and handlers.
 */
class BubusTracingTests {

	private final SimpleTracer tracer = new SimpleTracer();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(BubusObservationAutoConfiguration.class, BubusAutoConfiguration.class))
		.withBean(ObservationRegistry.class, this::tracingRegistry);

	private ObservationRegistry tracingRegistry() {
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig().observationHandler(new DefaultTracingObservationHandler(this.tracer));
		return registry;
	}

	@Test
	void handlerSpansAreChildrenOfTheEmittingSpanOnAnotherThreadAndForNestedEvents() {
		this.contextRunner.run((context) -> {
			ObservationRegistry registry = context.getBean(ObservationRegistry.class);
			EventBus bus = context.getBean(EventBus.class);
			AtomicReference<@Nullable Thread> handlerThread = new AtomicReference<>();
			AtomicReference<@Nullable String> traceSeenByHandler = new AtomicReference<>();
			bus.on(Ping.class, (event) -> {
				handlerThread.set(Thread.currentThread());
				Span current = this.tracer.currentSpan();
				traceSeenByHandler.set((current != null) ? current.context().traceId() : null);
				Pong pong = bus.emit(new Pong());
				pong.done();
				return "ping:" + pong.eventResult();
			}, HandlerOptions.defaults().name("Pinger.ping"));
			bus.on(Pong.class, (event) -> "pong", HandlerOptions.defaults().name("Ponger.pong"));

			Observation request = Observation.start("http.server.requests", registry);
			Ping ping = new Ping();
			try (Observation.Scope scope = request.openScope()) {
				bus.emit(ping);
			}
			// done() here could run the event on this thread; let a bus thread run it
			await().until(() -> ping.eventStatus() == EventStatus.COMPLETED);
			assertThat(ping.eventResult()).isEqualTo("ping:pong");
			request.stop();
			await().untilAsserted(() -> assertThat(this.tracer.getSpans()).hasSize(5)
				.allSatisfy((span) -> assertThat(span.getEndTimestamp().toEpochMilli()).isPositive()));

			SimpleSpan requestSpan = span("http.server.requests");
			SimpleSpan pingEvent = span("ApplicationBus Ping");
			SimpleSpan pingHandler = span("ApplicationBus Pinger.ping");
			SimpleSpan pongEvent = span("ApplicationBus Pong");
			SimpleSpan pongHandler = span("ApplicationBus Ponger.pong");
			assertThat(List.of(pingEvent, pingHandler, pongEvent, pongHandler))
				.as("one trace, started by the emitting span")
				.allSatisfy((span) -> assertThat(span.getTraceId()).isEqualTo(requestSpan.getTraceId()));
			assertThat(pingEvent.getParentId()).as("event under the emitting span").isEqualTo(requestSpan.getSpanId());
			assertThat(pingHandler.getParentId()).as("handler under its event").isEqualTo(pingEvent.getSpanId());
			assertThat(pongEvent.getParentId()).as("child event under the handler that emitted it")
				.isEqualTo(pingHandler.getSpanId());
			assertThat(pongHandler.getParentId()).isEqualTo(pongEvent.getSpanId());
			assertThat(pingHandler.getTags()).containsEntry("bubus.handler", "Pinger.ping")
				.containsEntry("bubus.outcome", "completed");

			assertThat(handlerThread.get()).as("the handler ran on a bus thread").isNotSameAs(Thread.currentThread());
			assertThat(traceSeenByHandler.get()).as("trace context inside the handler")
				.isEqualTo(requestSpan.getTraceId());
		});
	}

	@Test
	void anEventEmittedOutsideAnySpanStartsItsOwnTrace() {
		this.contextRunner.run((context) -> {
			EventBus bus = context.getBean(EventBus.class);
			bus.on(Ping.class, (event) -> "pong", HandlerOptions.defaults().name("Pinger.ping"));
			bus.emit(new Ping()).done();
			await().untilAsserted(() -> assertThat(this.tracer.getSpans()).hasSize(2)
				.allSatisfy((span) -> assertThat(span.getEndTimestamp().toEpochMilli()).isPositive()));
			SimpleSpan event = span("ApplicationBus Ping");
			SimpleSpan handler = span("ApplicationBus Pinger.ping");
			assertThat(event.getParentId()).as("a root span").isNullOrEmpty();
			assertThat(handler.getParentId()).isEqualTo(event.getSpanId());
			assertThat(handler.getTraceId()).isEqualTo(event.getTraceId());
		});
	}

	private SimpleSpan span(String name) {
		List<SimpleSpan> spans = this.tracer.getSpans().stream().filter((span) -> name.equals(span.getName())).toList();
		assertThat(spans)
			.as("spans named %s among %s", name, this.tracer.getSpans().stream().map(SimpleSpan::getName).toList())
			.hasSize(1);
		return spans.get(0);
	}

	static class Ping extends BaseEvent<String> {

	}

	static class Pong extends BaseEvent<String> {

	}

}
