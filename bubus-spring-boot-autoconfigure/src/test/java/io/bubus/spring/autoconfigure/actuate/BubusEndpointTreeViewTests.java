package io.bubus.spring.autoconfigure.actuate;

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
				.contains(orders[1].eventId(), orders[2].eventId(), orders[2].step.eventId());
			assertThat(tree.indexOf(orders[1].eventId())).isLessThan(tree.indexOf(orders[2].eventId()));
		});
	}

	@Test
	void treeOfOneEventIsPlainTextAndUnknownEventsAre404() {
		this.contextRunner.run((context) -> {
			Order[] orders = emitOrders(context.getBean(EventBus.class), 2);
			BubusEndpointWebExtension web = context.getBean(BubusEndpointWebExtension.class);
			WebEndpointResponse<Object> tree = web.eventOrTree("ApplicationBus", "tree", orders[0].eventId(),
					SecurityContext.NONE);
			assertThat(tree.getStatus()).isEqualTo(200);
			assertThat(tree.getContentType()).hasToString("text/plain;charset=UTF-8");
			assertThat((String) tree.getBody()).startsWith("└── Order#" + orders[0].eventId())
				.contains(orders[0].step.eventId())
				.doesNotContain(orders[1].eventId());
			WebEndpointResponse<Object> event = web.eventOrTree("ApplicationBus", "events", orders[0].eventId(),
					SecurityContext.NONE);
			assertThat(event.getStatus()).isEqualTo(200);
			assertThat(((Map<?, ?>) event.getBody()).get("event")).isNotNull();
			assertThat(web.eventOrTree("ApplicationBus", "tree", "nope", SecurityContext.NONE).getStatus())
				.isEqualTo(404);
			assertThat(web.eventOrTree("Nope", "events", orders[0].eventId(), SecurityContext.NONE).getStatus())
				.isEqualTo(404);
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
