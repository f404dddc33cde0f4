package io.bubus.spring.autoconfigure.health;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.bubus.DynamicEvent;
import io.bubus.EventBus;
import io.bubus.bridge.EventBridge;
import io.bubus.spring.autoconfigure.BubusAutoConfiguration;
import io.bubus.spring.autoconfigure.bridge.BubusBridgesAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.ApiVersion;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.WebServerNamespace;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.actuate.endpoint.CompositeHealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointWebExtension;
import org.springframework.boot.health.actuate.endpoint.IndicatedHealthDescriptor;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class BubusHealthContributorAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(BubusAutoConfiguration.class, BubusBridgesAutoConfiguration.class,
				BubusHealthContributorAutoConfiguration.class));

	@TempDir
	Path directory;

	@Test
	void aRunningBusIsUpWithItsSizes() {
		this.contextRunner.withPropertyValues("bubus.buses.audit.max-history-size=7").run((context) -> {
			assertThat(context).hasSingleBean(BubusHealthContributor.class).hasBean("bubusHealthContributor");
			Health health = bus(context, "ApplicationBus");
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("queue_size", 0)
				.containsEntry("history_size", 0)
				.containsEntry("max_history_size", 100)
				.containsEntry("max_history_drop", true);
			assertThat(bus(context, "audit").getDetails()).containsEntry("max_history_size", 7);
			assertThat(contributor(context).getContributor("bridges")).as("no bridges, no component").isNull();
		});
	}

	@Test
	void aStoppedBusIsDown() {
		this.contextRunner.run((context) -> {
			context.getBean(EventBus.class).stop();
			Health health = bus(context, "ApplicationBus");
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.getDetails()).containsEntry("reason", "the bus is stopped");
		});
	}

	@Test
	void aBusThatRefusesEventsWhenFullIsOutOfServiceNearItsBound() {
		this.contextRunner.withPropertyValues("bubus.max-history-size=10", "bubus.max-history-drop=false")
			.run((context) -> {
				EventBus bus = context.getBean(EventBus.class);
				bus.on("*", (event) -> "ok");
				for (int i = 0; i < 8; i++) {
					bus.emit(new DynamicEvent("Tick")).done();
				}
				assertThat(bus(context, "ApplicationBus").getStatus()).as("8 of 10").isEqualTo(Status.UP);
				bus.emit(new DynamicEvent("Tick")).done();
				Health health = bus(context, "ApplicationBus");
				assertThat(health.getStatus()).as("9 of 10").isEqualTo(Status.OUT_OF_SERVICE);
				assertThat((String) health.getDetails().get("reason")).contains("9 of 10");
			});
	}

	@Test
	void aBusThatDropsOldHistoryStaysUpAtItsBound() {
		this.contextRunner.withPropertyValues("bubus.max-history-size=10").run((context) -> {
			EventBus bus = context.getBean(EventBus.class);
			bus.on("*", (event) -> "ok");
			for (int i = 0; i < 50; i++) {
				bus.emit(new DynamicEvent("Tick")).done();
			}
			Health health = bus(context, "ApplicationBus");
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat((int) health.getDetails().get("history_size")).isBetween(1, 10);
		});
	}

	@Test
	void theHistoryThresholdIsConfigurable() {
		this.contextRunner
			.withPropertyValues("bubus.max-history-size=10", "bubus.max-history-drop=false",
					"management.health.bubus.history-threshold=0.5")
			.run((context) -> {
				EventBus bus = context.getBean(EventBus.class);
				bus.on("*", (event) -> "ok");
				for (int i = 0; i < 5; i++) {
					bus.emit(new DynamicEvent("Tick")).done();
				}
				assertThat(bus(context, "ApplicationBus").getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
			});
	}

	@Test
	void aListeningBridgeIsUpAndDownOnceItStopsListening() {
		this.contextRunner
			.withPropertyValues("bubus.bridges.link.type=jsonl",
					"bubus.bridges.link.path=" + this.directory.resolve("events.jsonl"))
			.run((context) -> {
				Health health = bridge(context, "link");
				assertThat(health.getStatus()).isEqualTo(Status.UP);
				assertThat(health.getDetails()).containsEntry("type", "JsonlEventBridge")
					.containsEntry("listening", true)
					.containsEntry("received", 0L)
					.containsEntry("dropped", 0L)
					.containsEntry("failed_sends", 0L);
				context.getBean(EventBridge.class).close();
				Health closed = bridge(context, "link");
				assertThat(closed.getStatus()).isEqualTo(Status.DOWN);
				assertThat(closed.getDetails()).containsEntry("listening", false);
			});
	}

	@Test
	void aSendOnlyBridgeThatDoesNotListenIsUp() {
		this.contextRunner
			.withPropertyValues("bubus.bridges.out.type=jsonl", "bubus.bridges.out.receive=false",
					"bubus.bridges.out.path=" + this.directory.resolve("events.jsonl"))
			.run((context) -> {
				Health health = bridge(context, "out");
				assertThat(health.getStatus()).isEqualTo(Status.UP);
				assertThat(health.getDetails()).containsEntry("listening", false);
			});
	}

	@Test
	void aBridgeWhoseSendsFailIsOutOfServiceForTheWindow() throws Exception {
		// the bridge's directory is a regular file: every batch it writes fails
		Files.writeString(this.directory.resolve("blocked"), "not a directory");
		this.contextRunner
			.withPropertyValues("bubus.bridges.out.type=jsonl", "bubus.bridges.out.receive=false",
					"bubus.bridges.out.batch-size=1",
					"bubus.bridges.out.path=" + this.directory.resolve("blocked").resolve("events.jsonl"),
					"management.health.bubus.failed-sends-window=500ms")
			.run((context) -> {
				assertThat(bridge(context, "out").getStatus()).isEqualTo(Status.UP);
				EventBridge bridge = context.getBean(EventBridge.class);
				context.getBean(EventBus.class).emit(new DynamicEvent("Tick")).done();
				await().atMost(Duration.ofSeconds(10)).until(() -> bridge.failedSends() > 0);
				Health failing = bridge(context, "out");
				assertThat(failing.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
				assertThat(failing.getDetails()).containsEntry("failed_sends", 1L);
				await().atMost(Duration.ofSeconds(10))
					.until(() -> bridge(context, "out").getStatus().equals(Status.UP));
			});
	}

	@Test
	void detailsFollowBootsShowDetailsRulesAndAStoppedBusMakesTheHealthEndpoint503() {
		WebApplicationContextRunner web = new WebApplicationContextRunner().withConfiguration(
				AutoConfigurations.of(BubusAutoConfiguration.class, BubusHealthContributorAutoConfiguration.class,
						EndpointAutoConfiguration.class, HealthContributorAutoConfiguration.class,
						HealthContributorRegistryAutoConfiguration.class, HealthEndpointAutoConfiguration.class));
		web.run((context) -> {
			WebEndpointResponse<HealthDescriptor> response = health(context);
			assertThat(response.getStatus()).isEqualTo(200);
			CompositeHealthDescriptor hidden = (CompositeHealthDescriptor) response.getBody();
			assertThat(hidden.getStatus()).isEqualTo(Status.UP);
			assertThat(hidden.getComponents()).as("show-details defaults to never").isNull();
			assertThat(health(context, "bubus", "buses", "ApplicationBus").getStatus()).isEqualTo(404);
			context.getBean(EventBus.class).stop();
			assertThat(health(context).getStatus()).isEqualTo(503);
			assertThat(health(context).getBody().getStatus()).isEqualTo(Status.DOWN);
		});
		web.withPropertyValues("management.endpoint.health.show-details=always").run((context) -> {
			IndicatedHealthDescriptor shown = (IndicatedHealthDescriptor) health(context, "bubus", "buses",
					"ApplicationBus")
				.getBody();
			assertThat(shown.getDetails()).containsEntry("queue_size", 0).containsKey("history_size");
		});
	}

	private static WebEndpointResponse<HealthDescriptor> health(ApplicationContext context, String... path) {
		return context.getBean(HealthEndpointWebExtension.class)
			.health(ApiVersion.LATEST, WebServerNamespace.SERVER, SecurityContext.NONE, path);
	}

	@Test
	void backsOffWhenDisabledWithoutBusesOrWithoutBootHealth() {
		this.contextRunner.withPropertyValues("management.health.bubus.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(BubusHealthContributor.class));
		this.contextRunner.withPropertyValues("management.health.defaults.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(BubusHealthContributor.class));
		this.contextRunner.withPropertyValues("bubus.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(BubusHealthContributor.class));
		this.contextRunner.withClassLoader(new FilteredClassLoader(HealthContributor.class))
			.run((context) -> assertThat(context).doesNotHaveBean(BubusHealthContributor.class));
	}

	private static CompositeHealthContributor contributor(AssertableApplicationContext context) {
		return context.getBean("bubusHealthContributor", CompositeHealthContributor.class);
	}

	private static Health bus(AssertableApplicationContext context, String name) {
		return indicator(contributor(context), "buses", name).health(true);
	}

	private static Health bridge(AssertableApplicationContext context, String name) {
		return indicator(contributor(context), "bridges", name).health(true);
	}

	private static HealthIndicator indicator(CompositeHealthContributor root, String group, String name) {
		CompositeHealthContributor composite = (CompositeHealthContributor) root.getContributor(group);
		assertThat(composite).as(group).isNotNull();
		HealthContributor indicator = composite.getContributor(name);
		assertThat(indicator).as(name).isInstanceOf(HealthIndicator.class);
		return (HealthIndicator) indicator;
	}

}
