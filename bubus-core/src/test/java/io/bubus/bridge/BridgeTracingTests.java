package io.bubus.bridge;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import io.bubus.EventBus;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelBaggageManager;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.bubus.bridge.BridgeTesting.note;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The W3C trace context travels with events over a bridge (as a header, or as a reserved
 * key without headers) and is current in the receiving handlers, with OpenTelemetry's
 * tracer and W3C propagator behind Micrometer.
 */
class BridgeTracingTests {

	private final SdkTracerProvider provider = SdkTracerProvider.builder().build();

	private final OtelTracer tracer;

	private final ObservationRegistry registry = ObservationRegistry.create();

	BridgeTracingTests() {
		io.opentelemetry.api.trace.Tracer otel = this.provider.get("bubus-test");
		OtelCurrentTraceContext current = new OtelCurrentTraceContext();
		this.tracer = new OtelTracer(otel, current, (event) -> {
		}, new OtelBaggageManager(current, List.of(), List.of()));
		OtelPropagator propagator = new OtelPropagator(
				ContextPropagators.create(W3CTraceContextPropagator.getInstance()), otel);
		this.registry.observationConfig()
			.observationHandler(new ObservationHandler.FirstMatchingCompositeObservationHandler(
					new PropagatingSenderTracingObservationHandler<>(this.tracer, propagator),
					new PropagatingReceiverTracingObservationHandler<>(this.tracer, propagator),
					new DefaultTracingObservationHandler(this.tracer)));
		ObservationThreadLocalAccessor.getInstance().setObservationRegistry(this.registry);
	}

	@AfterEach
	void shutDown() {
		this.provider.close();
	}

	@Test
	void theTraceContinuesInTheReceivingHandlersOverHeaders() {
		continuesTheTrace(true);
	}

	@Test
	void theTraceContinuesInTheReceivingHandlersOverReservedKeys() {
		continuesTheTrace(false);
	}

	private void continuesTheTrace(boolean headers) {
		BridgeTracing tracing = new ObservationBridgeTracing(this.registry);
		List<String> wire = new CopyOnWriteArrayList<>();
		try (EventBus app = EventBus.builder("TracedApp").build();
				PipeBridge receiver = new PipeBridge("TracedReceiver", headers, false);
				PipeBridge sender = new PipeBridge("TracedSender", headers, false).to(receiver)) {
			sender.tracing(tracing);
			receiver.tracing(tracing);
			sender.wire = wire::add;
			AtomicReference<@Nullable String> traceInHandler = new AtomicReference<>();
			app.on("Note", (event) -> {
				Span span = this.tracer.currentSpan();
				traceInHandler.set((span != null) ? span.context().traceId() : "none");
				return null;
			});
			receiver.on("*", app::emit);

			Observation request = Observation.start("http.server.requests", this.registry);
			String traceId;
			try (Observation.Scope scope = request.openScope()) {
				traceId = this.tracer.currentSpan().context().traceId();
				sender.emit(note("traced"));
			}
			request.stop();
			await().atMost(Duration.ofSeconds(10)).until(() -> traceInHandler.get() != null);
			assertThat(traceInHandler.get()).isEqualTo(traceId);
			if (!headers) {
				assertThat(wire.get(0))
					.containsPattern("\"traceparent\":\"00-" + traceId + "-[0-9a-f]{16}-0[0-9a-f]\"");
			}
		}
	}

	@Test
	void withoutTracingNothingIsSent() {
		try (PipeBridge sender = new PipeBridge("UntracedSender", true, true)) {
			assertThat(sender.outboundFields(note("x"))).isEqualTo(Map.of());
			sender.tracing(new ObservationBridgeTracing(ObservationRegistry.NOOP));
			assertThat(sender.outboundFields(note("x"))).isEqualTo(Map.of());
		}
	}

}
