package io.bubus.bridge;

import java.util.HashMap;
import java.util.Map;

import io.bubus.BaseEvent;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.SenderContext;

/**
 * {@link BridgeTracing} with Micrometer Observation: sending starts a
 * {@code bubus.bridge.send} observation of kind {@link Kind#PRODUCER} whose carrier
 * collects the fields (Micrometer Tracing's
 * {@code PropagatingSenderTracingObservationHandler} writes
 * {@code traceparent}/{@code tracestate} into it); receiving starts a
 * {@code bubus.bridge.receive} observation of kind {@link Kind#CONSUMER} read from the
 * received fields ({@code PropagatingReceiverTracingObservationHandler} continues the
 * sender's trace) and keeps it current while the event is emitted on the inbound bus.
 * Spring Boot registers both handlers when a tracer and a propagator are configured.
 * <p>
 * Needs {@code io.micrometer:micrometer-observation}.
 *
 * @author bubus-java
 * @since 0.1.0
 */
public final class ObservationBridgeTracing implements BridgeTracing {

	private final ObservationRegistry registry;

	/**
	 * Traces through this registry.
	 * @param registry the registry whose handlers inject and extract the context
	 */
	public ObservationBridgeTracing(ObservationRegistry registry) {
		this.registry = registry;
	}

	@Override
	public Map<String, String> inject(EventBridge bridge, BaseEvent<?> event) {
		if (this.registry.isNoop()) {
			return Map.of();
		}
		Map<String, String> fields = new HashMap<>(4);
		SenderContext<Map<String, String>> context = new SenderContext<>(Map::put, Kind.PRODUCER);
		context.setCarrier(fields);
		Observation.createNotStarted("bubus.bridge.send", () -> context, this.registry)
			.contextualName(bridge.name() + " send " + event.eventType())
			.lowCardinalityKeyValue("bubus.bridge", bridge.name())
			.lowCardinalityKeyValue("bubus.event.type", event.eventType())
			.start()
			.stop();
		return fields;
	}

	@Override
	public Scope extract(EventBridge bridge, Map<String, String> fields) {
		if (this.registry.isNoop()) {
			return Scope.NOOP;
		}
		ReceiverContext<Map<String, String>> context = new ReceiverContext<>(Map::get, Kind.CONSUMER);
		context.setCarrier(fields);
		Observation observation = Observation.createNotStarted("bubus.bridge.receive", () -> context, this.registry)
			.contextualName(bridge.name() + " receive")
			.lowCardinalityKeyValue("bubus.bridge", bridge.name())
			.start();
		Observation.Scope scope = observation.openScope();
		return () -> {
			scope.close();
			observation.stop();
		};
	}

	@Override
	public String toString() {
		return "ObservationBridgeTracing(" + this.registry + ")";
	}

}
