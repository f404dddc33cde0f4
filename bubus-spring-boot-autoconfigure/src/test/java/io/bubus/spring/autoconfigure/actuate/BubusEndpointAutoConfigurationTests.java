package io.bubus.spring.autoconfigure.actuate;

import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.bubus.BaseEvent;
import io.bubus.EventBus;
import io.bubus.spring.autoconfigure.BubusAutoConfiguration;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class BubusEndpointAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(BubusEndpointAutoConfiguration.class, BubusAutoConfiguration.class));

	private final ApplicationContextRunner exposed = this.contextRunner
		.withPropertyValues("management.endpoints.web.exposure.include=bubus", "bubus.buses.audit.max-history-size=10");

	@Test
	void endpointIsNotAvailableUnlessExposed() {
		this.contextRunner
			.run((context) -> assertThat(context).hasSingleBean(EventBus.class).doesNotHaveBean(BubusEndpoint.class));
	}

	@Test
	void endpointIsAvailableWhenExposed() {
		this.exposed.run((context) -> assertThat(context).hasSingleBean(BubusEndpoint.class));
	}

	@Test
	void endpointBacksOffWhenAccessIsNone() {
		this.exposed.withPropertyValues("management.endpoint.bubus.access=NONE")
			.run((context) -> assertThat(context).doesNotHaveBean(BubusEndpoint.class));
	}

	@Test
	void endpointBacksOffWithoutTheActuator() {
		this.exposed.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
			.run((context) -> assertThat(context).hasBean("eventBus")
				.doesNotHaveBean(BubusEndpoint.class)
				.doesNotHaveBean(BubusEndpointWebExtension.class));
	}

	@Test
	void onlyJmxExposureGivesTheEndpointWithoutTheWebExtension() {
		this.contextRunner
			.withPropertyValues("spring.jmx.enabled=true", "management.endpoints.jmx.exposure.include=bubus")
			.run((context) -> assertThat(context).hasSingleBean(BubusEndpoint.class)
				.doesNotHaveBean(BubusEndpointWebExtension.class));
	}

	@Test
	void linksAdviceIsAddedInAServletApplicationWithTheEndpointExposedOverHttp() {
		WebApplicationContextRunner web = new WebApplicationContextRunner().withConfiguration(
				AutoConfigurations.of(BubusEndpointAutoConfiguration.class, BubusAutoConfiguration.class));
		web.withPropertyValues("management.endpoints.web.exposure.include=bubus")
			.run((context) -> assertThat(context).hasSingleBean(BubusEndpointLinks.class));
		web.run((context) -> assertThat(context).doesNotHaveBean(BubusEndpointLinks.class));
		this.exposed.run((context) -> assertThat(context).doesNotHaveBean(BubusEndpointLinks.class));
	}

	@Test
	void endpointBacksOffWhenBubusIsDisabled() {
		this.exposed.withPropertyValues("bubus.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(BubusEndpoint.class));
	}

	@Test
	@SuppressWarnings("unchecked")
	void summaryListsEveryBus() {
		this.exposed.run((context) -> {
			EventBus bus = context.getBean(EventBus.class);
			bus.on(Ping.class, (event) -> "pong");
			bus.emit(new Ping("p")).done();
			Map<String, Object> buses = (Map<String, Object>) context.getBean(BubusEndpoint.class).buses().get("buses");
			assertThat(buses).containsOnlyKeys("ApplicationBus", "audit");
			assertThat((Map<String, Object>) buses.get("ApplicationBus")).containsEntry("bean", "eventBus")
				.containsEntry("queue_size", 0)
				.containsEntry("history_size", 1)
				.containsEntry("handlers", 1)
				.containsEntry("stopped", false);
		});
	}

	@Test
	@SuppressWarnings("unchecked")
	void busViewHasSettingsHandlersAndRecentHistoryAsBubusJson() {
		this.exposed.withPropertyValues("management.endpoint.bubus.show-values=always").run((context) -> {
			EventBus bus = context.getBean(EventBus.class);
			bus.on(Ping.class, (event) -> "pong " + event.text);
			for (int i = 0; i < 3; i++) {
				bus.emit(new Ping("p" + i)).done();
			}
			BubusEndpoint endpoint = context.getBean(BubusEndpoint.class);
			Map<String, Object> view = endpoint.bus("ApplicationBus", 2, SecurityContext.NONE);
			assertThat(view).containsEntry("name", "ApplicationBus")
				.containsEntry("bean", "eventBus")
				.containsEntry("event_concurrency", "bus-serial")
				.containsEntry("event_handler_concurrency", "serial")
				.containsEntry("event_handler_completion", "all")
				.containsEntry("event_timeout", 60.0)
				.containsEntry("event_handler_timeout", null)
				.containsEntry("max_history_size", 100)
				.containsEntry("queue_size", 0)
				.containsEntry("history_size", 3);
			assertThat((List<Map<String, Object>>) view.get("handlers")).singleElement()
				.satisfies((handler) -> assertThat(handler).containsEntry("event_pattern", "Ping"));
			List<Map<String, Object>> history = (List<Map<String, Object>>) view.get("event_history");
			assertThat(history).extracting((event) -> event.get("text")).containsExactly("p1", "p2");
			assertThat(history.get(1)).containsEntry("event_type", "Ping").containsEntry("event_status", "completed");
			assertThat((List<Map<String, Object>>) history.get(1).get("event_results")).singleElement()
				.satisfies((result) -> assertThat(result).containsEntry("result", "pong p2"));
			assertThat(endpoint.bus("eventBus", null, SecurityContext.NONE)).as("by bean name").isNotNull();
			assertThat(endpoint.bus("audit", null, SecurityContext.NONE)).containsEntry("max_history_size", 10);
		});
	}

	@Test
	@SuppressWarnings("unchecked")
	void historyLimitIsTheDefaultNumberOfEventsInTheBusView() {
		this.exposed.withPropertyValues("management.endpoint.bubus.history-limit=1").run((context) -> {
			EventBus bus = context.getBean(EventBus.class);
			bus.emit(new Ping("old")).done();
			bus.emit(new Ping("new")).done();
			Map<String, Object> view = context.getBean(BubusEndpoint.class)
				.bus("ApplicationBus", null, SecurityContext.NONE);
			assertThat(view).containsEntry("history_size", 2);
			assertThat((List<Object>) view.get("event_history")).hasSize(1);
		});
	}

	@Test
	void treeIsTheLogTreeAsText() {
		this.exposed.withPropertyValues("management.endpoint.bubus.show-values=always").run((context) -> {
			EventBus bus = context.getBean(EventBus.class);
			bus.on(Ping.class, (event) -> "pong");
			bus.emit(new Ping("p")).done();
			String tree = context.getBean(BubusEndpoint.class).tree("ApplicationBus", "tree", SecurityContext.NONE);
			assertThat(tree).as("full ids, and a line break at the end")
				.isEqualTo(bus.logTree(Integer.MAX_VALUE, true) + "\n")
				.contains("Ping#")
				.contains("→ \"pong\"");
		});
	}

	@Test
	@SuppressWarnings("unchecked")
	void eventViewHasResultsAndNestedDescendants() {
		this.exposed.withPropertyValues("management.endpoint.bubus.show-values=always").run((context) -> {
			EventBus bus = context.getBean(EventBus.class);
			bus.on(Ping.class, (event) -> {
				if (event.text.length() < 3) {
					Ping child = bus.emit(new Ping(event.text + "+"));
					child.done();
					return "parent of " + child.eventResult();
				}
				return "leaf " + event.text;
			});
			Ping root = bus.emit(new Ping("a"));
			root.done();
			Map<String, Object> view = context.getBean(BubusEndpoint.class)
				.event("ApplicationBus", "events", root.eventId(), SecurityContext.NONE);
			assertThat((Map<String, Object>) view.get("event")).containsEntry("event_id", root.eventId())
				.containsEntry("text", "a");
			List<Map<String, Object>> children = (List<Map<String, Object>>) view.get("children");
			assertThat(children).singleElement()
				.satisfies((child) -> assertThat((Map<String, Object>) child.get("event")).containsEntry("text", "a+"));
			List<Map<String, Object>> grandchildren = (List<Map<String, Object>>) children.get(0).get("children");
			assertThat(grandchildren).singleElement()
				.satisfies(
						(child) -> assertThat((Map<String, Object>) child.get("event")).containsEntry("text", "a++"));
		});
	}

	@Test
	void unknownBusPartOrEventIsNull() {
		this.exposed.run((context) -> {
			BubusEndpoint endpoint = context.getBean(BubusEndpoint.class);
			assertThat(endpoint.bus("Nope", null, SecurityContext.NONE)).isNull();
			assertThat(endpoint.tree("Nope", "tree", SecurityContext.NONE)).isNull();
			assertThat(endpoint.tree("ApplicationBus", "leaves", SecurityContext.NONE)).isNull();
			assertThat(endpoint.event("ApplicationBus", "events", "0190b3c0-0000-7000-8000-000000000000",
					SecurityContext.NONE))
				.isNull();
			assertThat(endpoint.event("ApplicationBus", "other", "x", SecurityContext.NONE)).isNull();
		});
	}

	@Test
	@SuppressWarnings("unchecked")
	void payloadAndResultsAreMaskedByDefault() {
		this.exposed.run((context) -> {
			EventBus bus = context.getBean(EventBus.class);
			bus.on(Ping.class, (event) -> "secret result");
			Ping ping = bus.emit(new Ping("secret payload"));
			ping.done();
			BubusEndpoint endpoint = context.getBean(BubusEndpoint.class);
			Map<String, Object> event = (Map<String, Object>) endpoint
				.event("ApplicationBus", "events", ping.eventId(), SecurityContext.NONE)
				.get("event");
			assertThat(event).containsEntry("text", "******").containsEntry("event_type", "Ping");
			assertThat((List<Map<String, Object>>) event.get("event_results")).singleElement()
				.satisfies((result) -> assertThat(result).containsEntry("result", "******"));
			assertThat(endpoint.tree("ApplicationBus", "tree", SecurityContext.NONE)).contains("→ ******")
				.doesNotContain("secret");
		});
	}

	@Test
	@SuppressWarnings("unchecked")
	void whenAuthorizedShowsValuesToUsersInTheConfiguredRole() {
		this.exposed
			.withPropertyValues("management.endpoint.bubus.show-values=when-authorized",
					"management.endpoint.bubus.roles=ops")
			.run((context) -> {
				EventBus bus = context.getBean(EventBus.class);
				Ping ping = bus.emit(new Ping("visible"));
				ping.done();
				BubusEndpoint endpoint = context.getBean(BubusEndpoint.class);
				assertThat((Map<String, Object>) endpoint
					.event("ApplicationBus", "events", ping.eventId(), new RoleContext("ops"))
					.get("event")).containsEntry("text", "visible");
				assertThat((Map<String, Object>) endpoint
					.event("ApplicationBus", "events", ping.eventId(), new RoleContext("dev"))
					.get("event")).containsEntry("text", "******");
				assertThat((Map<String, Object>) endpoint
					.event("ApplicationBus", "events", ping.eventId(), SecurityContext.NONE)
					.get("event")).containsEntry("text", "******");
			});
	}

	@Test
	@SuppressWarnings("unchecked")
	void sanitizingFunctionsApplyToShownValues() {
		this.exposed.withPropertyValues("management.endpoint.bubus.show-values=always")
			.withBean(SanitizingFunction.class,
					() -> (data) -> data.getKey().equals("token") ? data.withSanitizedValue() : data)
			.run((context) -> {
				EventBus bus = context.getBean(EventBus.class);
				Ping ping = new Ping("shown");
				ping.token = "t0ps3cret";
				bus.emit(ping).done();
				Map<String, Object> event = (Map<String, Object>) context.getBean(BubusEndpoint.class)
					.event("ApplicationBus", "events", ping.eventId(), SecurityContext.NONE)
					.get("event");
				assertThat(event).containsEntry("text", "shown").containsEntry("token", "******");
			});
	}

	@Test
	void webExtensionWithTheWriteOperationsComesWithTheEndpoint() {
		this.exposed.run((context) -> assertThat(context).hasSingleBean(BubusEndpointWebExtension.class));
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(BubusEndpointWebExtension.class));
	}

	@Test
	void clearHistoryRemovesCompletedEvents() {
		this.exposed.run((context) -> {
			EventBus bus = context.getBean(EventBus.class);
			bus.on(Ping.class, (event) -> "pong");
			bus.emit(new Ping("a")).done();
			bus.emit(new Ping("b")).done();
			BubusEndpointWebExtension extension = context.getBean(BubusEndpointWebExtension.class);
			WebEndpointResponse<Map<String, Object>> response = extension.clearHistory("ApplicationBus", "history");
			assertThat(response.getStatus()).isEqualTo(200);
			assertThat(response.getBody()).containsEntry("cleared", 2).containsEntry("history_size", 0);
			assertThat(bus.eventHistory()).isEmpty();
			assertThat(extension.clearHistory("Nope", "history").getStatus()).isEqualTo(404);
			assertThat(extension.clearHistory("ApplicationBus", "queue").getStatus()).isEqualTo(404);
		});
	}

	@Test
	void reemitRunsAFreshCopyOfAFailedEventOnItsBus() {
		this.exposed.run((context) -> {
			EventBus bus = context.getBean(EventBus.class);
			AtomicInteger calls = new AtomicInteger();
			bus.on(Ping.class, (event) -> {
				if (calls.incrementAndGet() == 1) {
					throw new IllegalStateException("backend down");
				}
				return "handled " + event.text;
			});
			Ping failed = bus.emit(new Ping("retry me"));
			failed.done();
			Ping ok = bus.emit(new Ping("fine"));
			ok.done();
			BubusEndpointWebExtension extension = context.getBean(BubusEndpointWebExtension.class);

			WebEndpointResponse<Map<String, Object>> response = extension.reemit("ApplicationBus", "events",
					failed.eventId());

			assertThat(response.getStatus()).isEqualTo(200);
			String copyId = (String) response.getBody().get("event_id");
			assertThat(copyId).isNotEqualTo(failed.eventId());
			assertThat(response.getBody()).containsEntry("reemitted_from", failed.eventId())
				.containsEntry("event_type", "Ping");
			Ping copy = bus.find(Ping.class).where((event) -> event.eventId().equals(copyId)).past(true).get().get();
			assertThat(copy.done().eventResult()).isEqualTo("handled retry me");
			assertThat(copy.eventParentId()).isNull();
			assertThat(copy.eventPath()).containsExactly(bus.label());
			assertThat(failed.eventResults().values()).singleElement()
				.satisfies((result) -> assertThat(result.error()).hasMessage("backend down"));

			assertThat(extension.reemit("ApplicationBus", "events", ok.eventId()).getStatus()).isEqualTo(409);
			assertThat(extension.reemit("ApplicationBus", "events", "0190b3c0-0000-7000-8000-000000000000").getStatus())
				.isEqualTo(404);
			assertThat(extension.reemit("Nope", "events", failed.eventId()).getStatus()).isEqualTo(404);
		});
	}

	public static class Ping extends BaseEvent<String> {

		public String text = "";

		public @Nullable String token;

		public Ping() {
		}

		Ping(String text) {
			this.text = text;
		}

	}

	record RoleContext(String role) implements SecurityContext {

		@Override
		public Principal getPrincipal() {
			return () -> "user";
		}

		@Override
		public boolean isUserInRole(String role) {
			return this.role.equals(role);
		}

	}

}
