package io.bubus.spring.autoconfigure.actuate;

import java.util.List;
import java.util.Map;

import io.bubus.BaseEvent;
import io.bubus.EventBus;
import io.bubus.HandlerOptions;
import io.bubus.spring.autoconfigure.BubusAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Handler error messages go through the same show-values and sanitizing rules as payloads
 * and results, in the bus tree, the tree of one event, the event view and the bus view's
 * history.
 */
class BubusEndpointErrorMaskingTests {

	private static final String CARD = "4111-1111-1111-1111";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(BubusEndpointAutoConfiguration.class, BubusAutoConfiguration.class))
		.withPropertyValues("management.endpoints.web.exposure.include=bubus");

	@Test
	void withShowValuesNeverTheErrorMessageIsMaskedInEveryView() {
		this.contextRunner.run((context) -> {
			Charge charge = declinedCharge(context);
			BubusEndpoint endpoint = context.getBean(BubusEndpoint.class);
			String tree = endpoint.tree("ApplicationBus", "tree", SecurityContext.NONE);
			assertThat(tree).doesNotContain(CARD).contains("☠️ IllegalArgumentException: ******");
			assertThat(endpoint.eventTree("ApplicationBus", charge.eventId(), SecurityContext.NONE))
				.doesNotContain(CARD)
				.contains("☠️ IllegalArgumentException: ******");
			assertThat(errorOf(eventView(endpoint, charge))).containsEntry("type", "IllegalArgumentException")
				.containsEntry("message", "******");
			assertThat(errorOf(historyView(endpoint))).containsEntry("type", "IllegalArgumentException")
				.containsEntry("message", "******");
		});
	}

	@Test
	void withShowValuesAlwaysTheErrorMessageIsShown() {
		this.contextRunner.withPropertyValues("management.endpoint.bubus.show-values=always").run((context) -> {
			Charge charge = declinedCharge(context);
			BubusEndpoint endpoint = context.getBean(BubusEndpoint.class);
			assertThat(endpoint.tree("ApplicationBus", "tree", SecurityContext.NONE))
				.contains("☠️ IllegalArgumentException: card " + CARD + " declined");
			assertThat(endpoint.eventTree("ApplicationBus", charge.eventId(), SecurityContext.NONE))
				.contains("☠️ IllegalArgumentException: card " + CARD + " declined");
			assertThat(errorOf(eventView(endpoint, charge))).containsEntry("message", "card " + CARD + " declined");
			assertThat(errorOf(historyView(endpoint))).containsEntry("message", "card " + CARD + " declined");
		});
	}

	@Test
	void sanitizingFunctionsApplyToShownErrorMessages() {
		this.contextRunner.withPropertyValues("management.endpoint.bubus.show-values=always")
			.withBean(SanitizingFunction.class,
					() -> (data) -> "error".equals(data.getKey()) ? data.withValue(
							String.valueOf(data.getValue()).replaceAll("\\d{4}-\\d{4}-\\d{4}-(\\d{4})", "xxxx-$1"))
							: data)
			.run((context) -> {
				Charge charge = declinedCharge(context);
				BubusEndpoint endpoint = context.getBean(BubusEndpoint.class);
				assertThat(endpoint.tree("ApplicationBus", "tree", SecurityContext.NONE)).doesNotContain(CARD)
					.contains("☠️ IllegalArgumentException: card xxxx-1111 declined");
				assertThat(endpoint.eventTree("ApplicationBus", charge.eventId(), SecurityContext.NONE))
					.doesNotContain(CARD)
					.contains("☠️ IllegalArgumentException: card xxxx-1111 declined");
				assertThat(errorOf(eventView(endpoint, charge))).containsEntry("message", "card xxxx-1111 declined");
				assertThat(errorOf(historyView(endpoint))).containsEntry("message", "card xxxx-1111 declined");
			});
	}

	@Test
	void resultsInTheTreeStayMaskedAndSanitized() {
		this.contextRunner.withPropertyValues("management.endpoint.bubus.show-values=always")
			.withBean(SanitizingFunction.class,
					() -> (data) -> "result".equals(data.getKey()) ? data.withValue(SanitizableData.SANITIZED_VALUE)
							: data)
			.run((context) -> {
				EventBus bus = context.getBean(EventBus.class);
				bus.on(Charge.class, (event) -> "secret receipt");
				bus.emit(new Charge()).done();
				assertThat(context.getBean(BubusEndpoint.class).tree("ApplicationBus", "tree", SecurityContext.NONE))
					.doesNotContain("secret receipt")
					.contains("→ ******");
			});
	}

	private static Charge declinedCharge(AssertableApplicationContext context) {
		EventBus bus = context.getBean(EventBus.class);
		bus.on(Charge.class, (event) -> {
			throw new IllegalArgumentException("card " + CARD + " declined");
		}, HandlerOptions.defaults().name("charge"));
		Charge charge = bus.emit(new Charge());
		charge.done();
		return charge;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> eventView(BubusEndpoint endpoint, Charge charge) {
		return (Map<String, Object>) endpoint.event("ApplicationBus", "events", charge.eventId(), SecurityContext.NONE)
			.get("event");
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> historyView(BubusEndpoint endpoint) {
		List<Map<String, Object>> history = (List<Map<String, Object>>) endpoint
			.bus("ApplicationBus", 5, SecurityContext.NONE)
			.get("event_history");
		return history.get(history.size() - 1);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> errorOf(Map<String, Object> eventJson) {
		List<Map<String, Object>> rows = (List<Map<String, Object>>) eventJson.get("event_results");
		return (Map<String, Object>) rows.get(0).get("error");
	}

	static class Charge extends BaseEvent<String> {

	}

}
