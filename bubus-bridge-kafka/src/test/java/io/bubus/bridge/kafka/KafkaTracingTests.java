package io.bubus.bridge.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.bubus.EventBus;
import io.bubus.bridge.BridgeTesting;
import io.bubus.bridge.ObservationBridgeTracing;
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
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.bubus.bridge.BridgeTesting.note;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The W3C trace context crosses the Kafka bridge on a real broker: with OpenTelemetry's
 * tracer and W3C propagator behind Micrometer, an event emitted inside a span is handled
 * on the receiving bus inside the same trace, and the record carries the
 * {@code traceparent} header of that trace.
 */
class KafkaTracingTests {

	private final KafkaTestBroker broker = KafkaTestBroker.shared();

	private final String servers = this.broker.bootstrapServers();

	private final String topic = BridgeTesting.randomName("traced");

	private final SdkTracerProvider provider = SdkTracerProvider.builder().build();

	private final OtelTracer tracer;

	private final ObservationRegistry registry = ObservationRegistry.create();

	KafkaTracingTests() {
		io.opentelemetry.api.trace.Tracer otel = this.provider.get("bubus-kafka-test");
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
	void theTraceOfTheSenderContinuesInTheReceivingHandlersAndTravelsAsARecordHeader() {
		ObservationBridgeTracing tracing = new ObservationBridgeTracing(this.registry);
		try (EventBus receiving = EventBus.builder("TracedReceivingApp").build();
				KafkaEventBridge receiver = new KafkaEventBridge(this.servers, null, this.topic, "TracedReceiver")
					.partitions(2)
					.tracing(tracing);
				KafkaEventBridge sender = new KafkaEventBridge(this.servers, this.topic, null, "TracedSender")
					.partitions(2)
					.tracing(tracing)) {
			AtomicReference<@Nullable String> traceInHandler = new AtomicReference<>();
			receiving.on("Note", (event) -> {
				Span span = this.tracer.currentSpan();
				traceInHandler.set((span != null) ? span.context().traceId() : "none");
				return null;
			});
			receiver.on("*", receiving::emit);

			Observation request = Observation.start("http.server.requests", this.registry);
			String traceId;
			try (Observation.Scope scope = request.openScope()) {
				traceId = this.tracer.currentSpan().context().traceId();
				sender.emit(note("traced"));
			}
			request.stop();

			await().atMost(Duration.ofSeconds(30)).until(() -> traceInHandler.get() != null);
			assertThat(traceInHandler.get()).isEqualTo(traceId);
			assertThat(traceparentHeaders()).singleElement()
				.asString()
				.matches("00-" + traceId + "-[0-9a-f]{16}-0[0-9a-f]");
		}
	}

	/**
	 * The {@code traceparent} headers of the topic's records, as a plain consumer reads
	 * them.
	 */
	private List<String> traceparentHeaders() {
		try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, this.servers, ConsumerConfig.GROUP_ID_CONFIG,
						"plain_" + this.topic, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
				new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
			consumer.subscribe(List.of(this.topic));
			List<String> headers = new ArrayList<>();
			await().atMost(Duration.ofSeconds(30)).until(() -> {
				for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
					Header header = record.headers().lastHeader("traceparent");
					headers.add((header != null) ? new String(header.value(), StandardCharsets.UTF_8) : "none");
				}
				return !headers.isEmpty();
			});
			return headers;
		}
	}

}
