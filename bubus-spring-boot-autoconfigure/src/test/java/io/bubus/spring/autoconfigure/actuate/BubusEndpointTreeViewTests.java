package io.bubus.spring.autoconfigure.actuate;

import java.util.List;
import java.util.Map;

import io.bubus.BaseEvent;
import io.bubus.EventBus;
import io.bubus.spring.autoconfigure.BubusAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/** The tree views of the endpoint: full ids, {@code ?limit=}, one event's tree. */
class BubusEndpointTreeViewTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(BubusEndpointAutoConfiguration.class, BubusAutoConfiguration.class))
		.withPropertyValues("management.endpoints.web.exposure.include=bubus",
				"management.endpoint.bubus.show-values=always");

	@Test
	void theTreeLabelsEventsWithIdsTheEventViewAccepts() {
		this.contextRunner.run((context) -> {
			Order order = emitOrders(context.getBean(EventBus.class), 1)[0];
			BubusEndpoint endpoint = context.getBean(BubusEndpoint.class);
			String tree = endpoint.tree("ApplicationBus", "tree", SecurityContext.NONE);
			assertThat(tree).contains("Order#" + order.eventId(), "Step#" + order.step.eventId());
			assertThat(endpoint.event("ApplicationBus", "events", order.step.eventId(), SecurityContext.NONE))
				.isNotNull();
		});
	}

	@Test
	void limitKeepsTheMostRecentRootEvents() {
		this.contextRunner.run((context) -> {
			Order[] orders = emitOrders(context.getBean(EventBus.class), 3);
			String tree = context.getBean(BubusEndpoint.class).tree("ApplicationBus", "tree", 2, SecurityContext.NONE);
			assertThat(tree).doesNotContain(orders[0].eventId())
				.contains(orders[1].eventId(), orders[2].eventId(), orders[2].step.eventId())
				.endsWith("\n");
			assertThat(tree.indexOf(orders[1].eventId())).isLessThan(tree.indexOf(orders[2].eventId()));
		});
	}

	@Test
	void treeOfOneEventIsPlainTextAndUnknownEventsAre404() {
		this.contextRunner.run((context) -> {
			Order[] orders = emitOrders(context.getBean(EventBus.class), 2);
			BubusEndpointWebExtension web = context.getBean(BubusEndpointWebExtension.class);
			WebEndpointResponse<Object> tree = web.eventOrTree("ApplicationBus", "tree", orders[0].eventId(), null,
					SecurityContext.NONE);
			assertThat(tree.getStatus()).isEqualTo(200);
			assertThat(tree.getContentType()).hasToString("text/plain;charset=UTF-8");
			assertThat((String) tree.getBody()).startsWith("└── Order#" + orders[0].eventId())
				.contains(orders[0].step.eventId())
				.doesNotContain(orders[1].eventId())
				.endsWith("\n");
			WebEndpointResponse<Object> event = web.eventOrTree("ApplicationBus", "events", orders[0].eventId(), null,
					SecurityContext.NONE);
			assertThat(event.getStatus()).isEqualTo(200);
			assertThat(((Map<?, ?>) event.getBody()).get("event")).isNotNull();
			assertThat(web.eventOrTree("ApplicationBus", "tree", "nope", null, SecurityContext.NONE).getStatus())
				.isEqualTo(404);
			assertThat(web.eventOrTree("Nope", "events", orders[0].eventId(), null, SecurityContext.NONE).getStatus())
				.isEqualTo(404);
		});
	}

	@Test
	@SuppressWarnings("unchecked")
	void theEventViewReferencesAForwardedEventByIdAndShowsSchemasOnlyOnRequest() {
		this.contextRunner.withPropertyValues("bubus.buses.audit.max-history-size=10").run((context) -> {
			EventBus bus = context.getBean(EventBus.class);
			EventBus audit = context.getBean("audit", EventBus.class);
			bus.on("*", audit::emit);
			audit.on(Step.class, (event) -> "audited");
			Step step = bus.emit(new Step());
			step.done();
			BubusEndpoint endpoint = context.getBean(BubusEndpoint.class);
			Map<String, Object> slim = (Map<String, Object>) endpoint
				.event("ApplicationBus", "events", step.eventId(), SecurityContext.NONE)
				.get("event");
			assertThat(slim).doesNotContainKey("event_result_type");
			List<Map<String, Object>> rows = (List<Map<String, Object>>) slim.get("event_results");
			Map<String, Object> forwarding = rows.stream()
				.filter((row) -> row.containsKey("result_event"))
				.findFirst()
				.orElseThrow();
			assertThat(forwarding).doesNotContainKey("result");
			assertThat((Map<String, Object>) forwarding.get("result_event")).containsEntry("event_type", "Step")
				.containsEntry("event_id", step.eventId())
				.hasSize(2);
			Map<String, Object> withSchemas = (Map<String, Object>) endpoint
				.event("ApplicationBus", "events", step.eventId(), true, SecurityContext.NONE)
				.get("event");
			assertThat(withSchemas).containsKey("event_result_type");
			List<Map<String, Object>> history = (List<Map<String, Object>>) endpoint
				.bus("ApplicationBus", 5, null, SecurityContext.NONE)
				.get("event_history");
			assertThat(history).allSatisfy((event) -> assertThat(event).doesNotContainKey("event_result_type"));
		});
	}

	private static Order[] emitOrders(EventBus bus, int count) {
		bus.on(Step.class, (event) -> "step");
		bus.on(Order.class, (event) -> {
			event.step = bus.emit(new Step());
			event.step.done();
			return "order";
		});
		Order[] orders = new Order[count];
		for (int i = 0; i < count; i++) {
			orders[i] = bus.emit(new Order());
			orders[i].done();
		}
		return orders;
	}

	static class Order extends BaseEvent<String> {

		transient Step step;

	}

	static class Step extends BaseEvent<String> {

	}

}
