package io.bubus.spring.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.bubus.DynamicEvent;
import io.bubus.EventBus;
import io.bubus.EventBusMiddleware;
import io.bubus.EventConcurrency;
import io.bubus.EventHandler;
import io.bubus.EventStatus;
import io.bubus.HandlerCompletion;
import io.bubus.HandlerConcurrency;
import io.bubus.HistoryFullException;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class BubusAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(BubusAutoConfiguration.class));

	@Test
	void createsPrimaryBusNamedApplicationBusWithCoreDefaults() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(EventBus.class).hasSingleBean(EventBusFactory.class);
			EventBus bus = context.getBean(EventBus.class);
			assertThat(bus.name()).isEqualTo("ApplicationBus");
			assertThat(bus.eventConcurrency()).isEqualTo(EventConcurrency.BUS_SERIAL);
			assertThat(bus.eventHandlerConcurrency()).isEqualTo(HandlerConcurrency.SERIAL);
			assertThat(bus.eventHandlerCompletion()).isEqualTo(HandlerCompletion.ALL);
			assertThat(bus.eventTimeout()).isEqualTo(Duration.ofSeconds(60));
			assertThat(bus.eventSlowTimeout()).isEqualTo(Duration.ofSeconds(300));
			assertThat(bus.eventHandlerTimeout()).isNull();
			assertThat(bus.eventHandlerSlowTimeout()).isEqualTo(Duration.ofSeconds(30));
			assertThat(bus.maxHistorySize()).isEqualTo(100);
			assertThat(bus.maxHistoryDrop()).as("a server drops completed history instead of refusing events").isTrue();
		});
	}

	@Test
	void defaultHistoryDropsCompletedEventsAndNeverRefusesAnEvent() {
		this.contextRunner.withPropertyValues("bubus.max-history-size=10").run((context) -> {
			EventBus bus = context.getBean(EventBus.class);
			bus.on("*", (event) -> "ok");
			for (int i = 0; i < 1_000; i++) {
				bus.emit(new DynamicEvent("Tick")).done();
			}
			assertThat(bus.eventHistory()).hasSizeLessThanOrEqualTo(10)
				.allSatisfy((event) -> assertThat(event.eventStatus()).isEqualTo(EventStatus.COMPLETED));
		});
	}

	@Test
	void maxHistoryDropFalseRestoresTheReferenceRejection() {
		this.contextRunner.withPropertyValues("bubus.max-history-size=3", "bubus.max-history-drop=false")
			.run((context) -> {
				EventBus bus = context.getBean(EventBus.class);
				bus.on("*", (event) -> "ok");
				for (int i = 0; i < 3; i++) {
					bus.emit(new DynamicEvent("Tick")).done();
				}
				assertThatExceptionOfType(HistoryFullException.class)
					.isThrownBy(() -> bus.emit(new DynamicEvent("Tick")))
					.withMessageContaining("history limit reached (3/3)");
			});
	}

	@Test
	void aBusEntryMayKeepTheReferenceRejection() {
		this.contextRunner.withPropertyValues("bubus.buses.strict.max-history-drop=false").run((context) -> {
			assertThat(context.getBean(EventBus.class).maxHistoryDrop()).isTrue();
			assertThat(context.getBean("strict", EventBus.class).maxHistoryDrop()).isFalse();
		});
	}

	@Test
	void propertiesConfigureThePrimaryBus() {
		this.contextRunner
			.withPropertyValues("bubus.name=Orders", "bubus.event-concurrency=parallel",
					"bubus.event-handler-concurrency=parallel", "bubus.event-handler-completion=first",
					"bubus.event-timeout=5s", "bubus.event-slow-timeout=2", "bubus.event-handler-timeout=250ms",
					"bubus.event-handler-slow-timeout=1s", "bubus.max-history-size=7", "bubus.max-history-drop=true")
			.run((context) -> {
				EventBus bus = context.getBean(EventBus.class);
				assertThat(bus.name()).isEqualTo("Orders");
				assertThat(bus.eventConcurrency()).isEqualTo(EventConcurrency.PARALLEL);
				assertThat(bus.eventHandlerConcurrency()).isEqualTo(HandlerConcurrency.PARALLEL);
				assertThat(bus.eventHandlerCompletion()).isEqualTo(HandlerCompletion.FIRST);
				assertThat(bus.eventTimeout()).isEqualTo(Duration.ofSeconds(5));
				assertThat(bus.eventSlowTimeout()).as("a bare number is seconds").isEqualTo(Duration.ofSeconds(2));
				assertThat(bus.eventHandlerTimeout()).isEqualTo(Duration.ofMillis(250));
				assertThat(bus.eventHandlerSlowTimeout()).isEqualTo(Duration.ofSeconds(1));
				assertThat(bus.maxHistorySize()).isEqualTo(7);
				assertThat(bus.maxHistoryDrop()).isTrue();
			});
	}

	@Test
	void zeroDisablesTimeoutsAndNegativeHistorySizeIsUnbounded() {
		this.contextRunner
			.withPropertyValues("bubus.event-timeout=0", "bubus.event-slow-timeout=0",
					"bubus.event-handler-slow-timeout=0", "bubus.max-history-size=-1")
			.run((context) -> {
				EventBus bus = context.getBean(EventBus.class);
				assertThat(bus.eventTimeout()).isNull();
				assertThat(bus.eventSlowTimeout()).isNull();
				assertThat(bus.eventHandlerSlowTimeout()).isNull();
				assertThat(bus.maxHistorySize()).isNull();
			});
	}

	@Test
	void userDefinedEventBusMakesThePrimaryBusBackOff() {
		this.contextRunner.withUserConfiguration(UserBusConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(EventBus.class);
			assertThat(context.getBean(EventBus.class).name()).isEqualTo("UserBus");
			assertThat(context).doesNotHaveBean("eventBus");
		});
	}

	@Test
	void enabledFalseTurnsEverythingOff() {
		this.contextRunner.withPropertyValues("bubus.enabled=false", "bubus.buses.audit.max-history-size=5")
			.run((context) -> assertThat(context).doesNotHaveBean(EventBus.class)
				.doesNotHaveBean(EventBusFactory.class)
				.doesNotHaveBean(BubusProperties.class));
	}

	@Test
	void eachBusesEntryBecomesAQualifiedBeanThatOverridesTopLevelValues() {
		this.contextRunner
			.withPropertyValues("bubus.event-timeout=10s", "bubus.max-history-size=50",
					"bubus.buses.audit.max-history-size=5", "bubus.buses.audit.max-history-drop=true",
					"bubus.buses.billing.event-handler-concurrency=parallel")
			.withUserConfiguration(QualifiedInjectionConfiguration.class)
			.run((context) -> {
				assertThat(context.getBeansOfType(EventBus.class)).containsOnlyKeys("eventBus", "audit", "billing");
				EventBus audit = context.getBean("audit", EventBus.class);
				assertThat(audit.name()).isEqualTo("audit");
				assertThat(audit.maxHistorySize()).isEqualTo(5);
				assertThat(audit.maxHistoryDrop()).isTrue();
				assertThat(audit.eventTimeout()).as("inherited").isEqualTo(Duration.ofSeconds(10));
				EventBus billing = context.getBean("billing", EventBus.class);
				assertThat(billing.eventHandlerConcurrency()).isEqualTo(HandlerConcurrency.PARALLEL);
				assertThat(billing.maxHistorySize()).as("inherited").isEqualTo(50);
				assertThat(context.getBean(EventBus.class).name()).as("unqualified lookup").isEqualTo("ApplicationBus");
				Injected injected = context.getBean(Injected.class);
				assertThat(injected.primary().name()).isEqualTo("ApplicationBus");
				assertThat(injected.audit()).isSameAs(audit);
			});
	}

	@Test
	void busesEntryNamedLikeThePrimaryBusConfiguresIt() {
		this.contextRunner.withPropertyValues("bubus.buses.ApplicationBus.max-history-size=3").run((context) -> {
			assertThat(context).hasSingleBean(EventBus.class);
			assertThat(context.getBean(EventBus.class).maxHistorySize()).isEqualTo(3);
		});
	}

	@Test
	void additionalBusesAreCreatedNextToAUserDefinedPrimaryBus() {
		this.contextRunner.withUserConfiguration(UserBusConfiguration.class)
			.withPropertyValues("bubus.buses.audit.max-history-size=5")
			.run((context) -> {
				assertThat(context.getBeansOfType(EventBus.class)).containsOnlyKeys("userBus", "audit");
				assertThat(context.getBean(EventBus.class).name()).isEqualTo("UserBus");
			});
	}

	@Test
	void userBeanNamedLikeABusesEntryWins() {
		this.contextRunner.withUserConfiguration(UserAuditBusConfiguration.class)
			.withPropertyValues("bubus.buses.audit.max-history-size=5")
			.run((context) -> assertThat(context.getBean("audit", EventBus.class).name()).isEqualTo("UserAudit"));
	}

	@Test
	void busesEntryThatIsNotAnIdentifierFailsWithAClearMessage() {
		this.contextRunner.withPropertyValues("bubus.buses.audit-log.max-history-size=5")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasMessageContaining("bubus.buses.audit-log")
				.hasMessageContaining("Java identifier"));
	}

	@Test
	void middlewareBeansAndCustomizersApplyToEveryBus() {
		this.contextRunner.withUserConfiguration(MiddlewareConfiguration.class)
			.withPropertyValues("bubus.buses.audit.max-history-size=5")
			.run((context) -> {
				RecordingMiddleware middleware = context.getBean(RecordingMiddleware.class);
				context.getBean(EventBus.class).on(OrderPlaced.class, (event) -> "ok");
				context.getBean("audit", EventBus.class).on(OrderPlaced.class, (event) -> "ok");
				assertThat(middleware.buses).containsExactly("ApplicationBus", "audit");
				assertThat(context.getBean(EventBus.class).eventHandlerDetectFilePaths()).isFalse();
				assertThat(context.getBean("audit", EventBus.class).eventHandlerDetectFilePaths()).isFalse();
			});
	}

	@Test
	void factoryCreatesBusesWithTheApplicationSettings() {
		this.contextRunner.withPropertyValues("bubus.event-timeout=3s").run((context) -> {
			try (EventBus adhoc = context.getBean(EventBusFactory.class).create("Adhoc")) {
				assertThat(adhoc.eventTimeout()).isEqualTo(Duration.ofSeconds(3));
			}
		});
	}

	@Test
	void busesAreStoppedWhenTheContextCloses() {
		List<EventBus> buses = new ArrayList<>();
		this.contextRunner.withPropertyValues("bubus.buses.audit.max-history-size=5")
			.run((context) -> buses.addAll(context.getBeansOfType(EventBus.class).values()));
		assertThat(buses).hasSize(2).allMatch(EventBus::isStopped);
	}

	@Configuration(proxyBeanMethods = false)
	static class UserBusConfiguration {

		@Bean
		EventBus userBus() {
			return new EventBus("UserBus");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserAuditBusConfiguration {

		@Bean
		EventBus audit() {
			return new EventBus("UserAudit");
		}

	}

	record Injected(EventBus primary, EventBus audit) {
	}

	@Configuration(proxyBeanMethods = false)
	static class QualifiedInjectionConfiguration {

		@Bean
		Injected injected(EventBus primary, @Qualifier("audit") EventBus audit) {
			return new Injected(primary, audit);
		}

	}

	static class RecordingMiddleware implements EventBusMiddleware {

		final List<String> buses = new ArrayList<>();

		@Override
		public void onBusHandlersChange(EventBus bus, EventHandler handler, boolean registered) {
			this.buses.add(bus.name());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class MiddlewareConfiguration {

		@Bean
		RecordingMiddleware recordingMiddleware() {
			return new RecordingMiddleware();
		}

		@Bean
		EventBusBuilderCustomizer noFilePaths() {
			return (name, builder) -> builder.eventHandlerDetectFilePaths(false);
		}

	}

}
