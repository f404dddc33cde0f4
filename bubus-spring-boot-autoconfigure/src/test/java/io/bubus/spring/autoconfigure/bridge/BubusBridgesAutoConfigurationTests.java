package io.bubus.spring.autoconfigure.bridge;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.bubus.EventBus;
import io.bubus.EventResult;
import io.bubus.bridge.EventBridge;
import io.bubus.bridge.HttpEventBridge;
import io.bubus.bridge.JsonlEventBridge;
import io.bubus.bridge.SocketEventBridge;
import io.bubus.bridge.nats.NatsJetStreamEventBridge;
import io.bubus.bridge.postgres.PostgresEventBridge;
import io.bubus.spring.autoconfigure.BubusProperties;
import io.bubus.spring.autoconfigure.actuate.BubusEndpoint;
import io.bubus.spring.autoconfigure.actuate.BubusEndpointAutoConfiguration;
import io.bubus.spring.autoconfigure.observation.BubusObservationAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

class BubusBridgesAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = TwoApplications.runner();

	@TempDir
	Path dir;

	@Test
	void noBridgeWithoutEntries() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(EventBus.class)
			.doesNotHaveBean(EventBridge.class)
			.hasSingleBean(EventBridgeBindings.class));
	}

	@Test
	void everyBuiltInTypeIsAvailableWhenItsBridgeArtifactIsOnTheClassPath() {
		this.contextRunner.run((context) -> assertThat(types(context.getBeansOfType(EventBridgeFactory.class).values()))
			.containsExactlyInAnyOrderElementsOf(BuiltInBridgeFactory.TYPES));
	}

	@ParameterizedTest
	@CsvSource({ "sqlite, io.bubus.bridge.sqlite, io.bubus:bubus-bridge-sqlite",
			"postgres, io.bubus.bridge.postgres, io.bubus:bubus-bridge-postgres",
			"redis, io.bubus.bridge.redis, io.bubus:bubus-bridge-redis",
			"nats, io.bubus.bridge.nats, io.bubus:bubus-bridge-nats",
			"rabbitmq, io.bubus.bridge.rabbitmq, io.bubus:bubus-bridge-rabbitmq",
			"kafka, io.bubus.bridge.kafka, io.bubus:bubus-bridge-kafka",
			"kafka, org.apache.kafka, io.bubus:bubus-bridge-kafka" })
	void aTypeWhoseBridgeArtifactIsMissingIsNotAvailableAndFailsStartupNamingTheArtifact(String type, String library,
			String artifact) {
		ApplicationContextRunner withoutLibrary = this.contextRunner.withClassLoader(new FilteredClassLoader(library));
		withoutLibrary.run((context) -> assertThat(types(context.getBeansOfType(EventBridgeFactory.class).values()))
			.doesNotContain(type)
			.contains("jsonl", "http", "socket"));
		withoutLibrary
			.withPropertyValues("bubus.bridges.link.type=" + type, "bubus.bridges.link.url=x://127.0.0.1/y",
					"bubus.bridges.link.path=" + this.dir.resolve("x"))
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessage("bubus.bridges.link.type=" + type + " needs " + artifact
						+ " on the class path; add it as a dependency"));
	}

	@Test
	void unknownTypeFailsStartupListingTheTypes() {
		this.contextRunner.withPropertyValues("bubus.bridges.link.type=pigeon")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("bubus.bridges.link.type 'pigeon' is not a bridge type")
				.hasMessageContaining("jsonl")
				.hasMessageContaining("rabbitmq"));
	}

	@Test
	void missingTypeFailsStartup() {
		this.contextRunner.withPropertyValues("bubus.bridges.link.path=" + this.dir.resolve("a.jsonl"))
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageStartingWith("bubus.bridges.link.type is required; available types: "));
	}

	@Test
	void missingSettingFailsStartupNamingTheProperty() {
		this.contextRunner.withPropertyValues("bubus.bridges.link.type=jsonl")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessage("bubus.bridges.link.path is required for a jsonl bridge"));
		this.contextRunner.withPropertyValues("bubus.bridges.link.type=http", "bubus.bridges.link.url=http://x/y")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessage("bubus.bridges.link.listen is required for a http bridge that receives "
						+ "(or set receive=false)"));
		this.contextRunner.withPropertyValues("bubus.bridges.link.type=nats", "bubus.bridges.link.url=nats://x:4222")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessage("bubus.bridges.link.subject is required for a nats bridge"));
		this.contextRunner.withPropertyValues("bubus.bridges.link.type=kafka", "bubus.bridges.link.url=127.0.0.1:9092")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessage("bubus.bridges.link.topic is required for a kafka bridge"));
	}

	@Test
	void groupStreamAndClaimTimeoutConfigureTheWorkSharingBridges() {
		this.contextRunner.withPropertyValues("bubus.bridges.orders.type=postgres",
				"bubus.bridges.orders.url=postgresql://postgres@127.0.0.1:5432/test/orders",
				"bubus.bridges.orders.group=billing", "bubus.bridges.orders.claim-timeout=5s",
				"bubus.bridges.orders.send=", "bubus.bridges.orders.receive=false",
				"bubus.bridges.audit.type=nats-jetstream", "bubus.bridges.audit.url=nats://127.0.0.1:4222",
				"bubus.bridges.audit.subject=audit.events", "bubus.bridges.audit.group=auditors",
				"bubus.bridges.audit.stream=AUDIT", "bubus.bridges.audit.send=", "bubus.bridges.audit.receive=false")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean("ordersEventBridge", PostgresEventBridge.class).group())
					.isEqualTo("billing");
				NatsJetStreamEventBridge audit = context.getBean("auditEventBridge", NatsJetStreamEventBridge.class);
				assertThat(audit.durable()).isEqualTo("auditors");
				assertThat(audit.stream()).isEqualTo("AUDIT");
			});
	}

	@Test
	void invalidSettingFailsStartupNamingTheBridge() {
		this.contextRunner.withPropertyValues("bubus.bridges.link.type=redis", "bubus.bridges.link.url=http://x")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("bubus.bridges.link: RedisEventBridge URL must start with redis://"));
	}

	@Test
	void bridgeNameThatIsNotAnIdentifierFailsStartup() {
		this.contextRunner.withPropertyValues("bubus.bridges.to-warehouse.type=jsonl")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasMessageContaining("bubus.bridges.to-warehouse")
				.hasMessageContaining("Java identifier"));
	}

	@Test
	void unknownBusFailsStartupListingTheBuses() {
		this.contextRunner.withPropertyValues(jsonl("link", "a.jsonl"))
			.withPropertyValues("bubus.bridges.link.bus=nope")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageStartingWith("bubus.bridges.link.bus names 'nope', but there is no EventBus bean or bus")
				.hasMessageContaining("eventBus"));
	}

	@Test
	void eachEntryIsABridgeBeanNamedAfterIt() {
		this.contextRunner.withPropertyValues(jsonl("orders", "orders.jsonl"))
			.withPropertyValues("bubus.bridges.orders.poll-interval=50ms")
			.run((context) -> {
				JsonlEventBridge bridge = context.getBean("ordersEventBridge", JsonlEventBridge.class);
				assertThat(bridge.name()).isEqualTo("orders");
				assertThat(bridge.path()).isEqualTo(this.dir.resolve("orders.jsonl").toAbsolutePath());
				assertThat(bridge.isStarted()).as("receiving").isTrue();
			});
	}

	@Test
	void jsonlBridgeConnectsTwoApplicationsBothWays() {
		String[] link = jsonl("link", "link.jsonl");
		TwoApplications.pingPong(link, link);
	}

	@Test
	void sqliteBridgeConnectsTwoApplicationsBothWays() {
		String[] link = { "bubus.bridges.link.type=sqlite", "bubus.bridges.link.path=" + this.dir.resolve("link.db"),
				"bubus.bridges.link.table=shop_events", "bubus.bridges.link.poll-interval=20ms" };
		TwoApplications.pingPong(link, link);
	}

	@Test
	void sqliteBridgeSendingInBatchesConnectsTwoApplicationsBothWays() {
		String[] link = { "bubus.bridges.link.type=sqlite", "bubus.bridges.link.path=" + this.dir.resolve("batch.db"),
				"bubus.bridges.link.poll-interval=20ms", "bubus.bridges.link.batch-size=32" };
		TwoApplications.pingPong(link, link);
	}

	@Test
	void batchSizeAndBatchLingerMakeABridgeSendInBatches() {
		Path file = this.dir.resolve("batched.jsonl");
		this.contextRunner.withPropertyValues(jsonl("link", "batched.jsonl"))
			.withPropertyValues("bubus.bridges.link.batch-size=64", "bubus.bridges.link.batch-linger=5",
					"bubus.bridges.link.receive=false")
			.run((context) -> {
				EventBridge bridge = context.getBean("linkEventBridge", EventBridge.class);
				assertThat(bridge.sendBatching()).isNotNull().satisfies((batching) -> {
					assertThat(batching.maxBatchSize()).isEqualTo(64);
					assertThat(batching.linger()).isEqualTo(Duration.ofMillis(5));
				});
				context.getBean(EventBus.class).emit(new Ping("batched")).done();
				assertThat(bridge.flush()).succeedsWithin(TwoApplications.WAIT);
				assertThat(Files.readString(file)).contains("\"text\":\"batched\"");
			});
	}

	@Test
	void batchSizeThatCannotApplyFailsStartupNamingTheProperty() {
		this.contextRunner
			.withPropertyValues("bubus.bridges.link.type=http", "bubus.bridges.link.url=http://127.0.0.1:9/bubus",
					"bubus.bridges.link.receive=false", "bubus.bridges.link.batch-size=16")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessage("bubus.bridges.link.batch-size is set, but a http bridge cannot send in batches; "
						+ "jsonl, sqlite, postgres, rabbitmq and kafka bridges can"));
		this.contextRunner.withPropertyValues(jsonl("link", "zero.jsonl"))
			.withPropertyValues("bubus.bridges.link.batch-size=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessage("bubus.bridges.link.batch-size must be between 1 and 10000, got 0"));
	}

	@Test
	void sendPatternsChooseWhatIsSentAndReceiveFalseListensToNothing() {
		Path file = this.dir.resolve("pings.jsonl");
		this.contextRunner.withPropertyValues(jsonl("link", "pings.jsonl"))
			.withPropertyValues("bubus.bridges.link.send=Ping", "bubus.bridges.link.receive=false")
			.run((context) -> {
				EventBus bus = context.getBean(EventBus.class);
				assertThat(context.getBean("linkEventBridge", EventBridge.class).isStarted()).isFalse();
				bus.emit(new Pong("not sent")).done();
				bus.emit(new Ping("sent")).done();
				List<String> lines = Files.readAllLines(file);
				assertThat(lines).singleElement()
					.satisfies((line) -> assertThat(line).contains("\"event_type\":\"Ping\"")
						.contains("\"text\":\"sent\""));
				// a line written by another process is not taken
				Files.writeString(file, lines.get(0).replace("sent", "from elsewhere") + "\n",
						java.nio.file.StandardOpenOption.APPEND);
				assertThat(bus.find(Ping.class).where((ping) -> ping.text.equals("from elsewhere")).past(true).get())
					.isEmpty();
			});
	}

	@Test
	void receivedMessagesOverMaxMessageSizeAreDropped() {
		Path file = this.dir.resolve("limit.jsonl");
		this.contextRunner.withPropertyValues(jsonl("link", "limit.jsonl"))
			.withPropertyValues("bubus.bridges.link.max-message-size=1KB", "bubus.bridges.link.send=")
			.run((context) -> {
				EventBridge bridge = context.getBean("linkEventBridge", EventBridge.class);
				assertThat(bridge.maxMessageBytes()).isEqualTo(1024);
				BlockingQueue<Ping> received = new LinkedBlockingQueue<>();
				context.getBean(EventBus.class).on(Ping.class, received::add);
				Files.writeString(file, new Ping("x".repeat(2000)).toJson() + "\n" + new Ping("small").toJson() + "\n");
				Ping ping = received.poll(TwoApplications.WAIT.toSeconds(), TimeUnit.SECONDS);
				assertThat(ping).isNotNull();
				assertThat(ping.text).isEqualTo("small");
				assertThat(bridge.droppedMessages()).isEqualTo(1);
			});
	}

	@Test
	@SuppressWarnings("unchecked")
	void receivedAndDroppedMessagesShowInMetricsAndTheEndpoint() {
		Path file = this.dir.resolve("counted.jsonl");
		this.contextRunner
			.withConfiguration(
					AutoConfigurations.of(MetricsAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
							BubusObservationAutoConfiguration.class, BubusEndpointAutoConfiguration.class))
			.withPropertyValues(jsonl("link", "counted.jsonl"))
			.withPropertyValues("bubus.bridges.link.send=", "management.endpoints.web.exposure.include=bubus")
			.run((context) -> {
				BlockingQueue<Ping> received = new LinkedBlockingQueue<>();
				context.getBean(EventBus.class).on(Ping.class, received::add);
				Files.writeString(file, "{not json\n" + new Ping("good").toJson() + "\n");
				assertThat(received.poll(TwoApplications.WAIT.toSeconds(), TimeUnit.SECONDS)).isNotNull();
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				await().untilAsserted(() -> {
					assertThat(
							meters.get("bubus.bridge.received").tag("bubus.bridge", "link").functionCounter().count())
						.isEqualTo(1);
					assertThat(meters.get("bubus.bridge.dropped").tag("bubus.bridge", "link").functionCounter().count())
						.isEqualTo(1);
				});
				Map<String, Object> bridges = (Map<String, Object>) context.getBean(BubusEndpoint.class)
					.buses()
					.get("bridges");
				assertThat((Map<String, Object>) bridges.get("link")).containsEntry("bean", "linkEventBridge")
					.containsEntry("type", "JsonlEventBridge")
					.containsEntry("listening", true)
					.containsEntry("received", 1L)
					.containsEntry("dropped", 1L);
			});
	}

	@Test
	void emptySendSendsNothing() {
		Path file = this.dir.resolve("quiet.jsonl");
		this.contextRunner.withPropertyValues(jsonl("link", "quiet.jsonl"))
			.withPropertyValues("bubus.bridges.link.send=")
			.run((context) -> {
				EventBus bus = context.getBean(EventBus.class);
				assertThat(bus.handlers()).isEmpty();
				bus.emit(new Ping("kept here")).done();
				assertThat(file).satisfiesAnyOf((path) -> assertThat(path).doesNotExist(),
						(path) -> assertThat(path).isEmptyFile());
			});
	}

	@Test
	void bridgeOnAnotherBusByName() {
		this.contextRunner.withPropertyValues(jsonl("link", "audit.jsonl"))
			.withPropertyValues("bubus.buses.audit.max-history-size=10", "bubus.bridges.link.bus=audit")
			.run((context) -> {
				EventBus audit = context.getBean("audit", EventBus.class);
				assertThat(audit.handlers()).singleElement()
					.satisfies((handler) -> assertThat(handler.handlerName()).isEqualTo("link_bridge.emit"));
				assertThat(context.getBean(EventBus.class).handlers()).isEmpty();
				audit.emit(new Ping("audited")).done();
				assertThat(Files.readString(this.dir.resolve("audit.jsonl"))).contains("\"text\":\"audited\"");
			});
	}

	@Test
	void httpBridgeOnLoopbackWithASharedSecret() {
		this.contextRunner
			.withPropertyValues("bubus.name=Receiver", "bubus.bridges.inbox.type=http",
					"bubus.bridges.inbox.listen=http://127.0.0.1:0/bubus", "bubus.bridges.inbox.send=",
					"bubus.bridges.inbox.secret=s3cret")
			.run((receiver) -> {
				URI inbox = receiver.getBean("inboxEventBridge", HttpEventBridge.class).listenUri();
				assertThat(inbox.getPort()).isPositive();
				BlockingQueue<Ping> received = new LinkedBlockingQueue<>();
				receiver.getBean(EventBus.class).on(Ping.class, received::add);
				this.contextRunner
					.withPropertyValues("bubus.name=Sender", "bubus.bridges.outbox.type=http",
							"bubus.bridges.outbox.url=" + inbox, "bubus.bridges.outbox.receive=false",
							"bubus.bridges.outbox.send=Ping", "bubus.bridges.outbox.secret=s3cret")
					.run((sender) -> {
						sender.getBean(EventBus.class).emit(new Ping("over http")).done();
						Ping ping = received.poll(TwoApplications.WAIT.toSeconds(), TimeUnit.SECONDS);
						assertThat(ping).isNotNull();
						assertThat(ping.text).isEqualTo("over http");
					});
				this.contextRunner
					.withPropertyValues("bubus.name=Intruder", "bubus.bridges.outbox.type=http",
							"bubus.bridges.outbox.url=" + inbox, "bubus.bridges.outbox.receive=false",
							"bubus.bridges.outbox.secret=guess")
					.run((intruder) -> {
						Ping ping = intruder.getBean(EventBus.class).emit(new Ping("rejected"));
						ping.done();
						assertThat(ping.eventResults().values()).singleElement()
							.extracting(EventResult::error)
							.asString()
							.contains("401");
					});
			});
	}

	@Test
	void socketBridgeCarriesEventsFromOneApplicationToAnother() {
		String socket = "bubus.bridges.local.path=" + this.dir.resolve("orders.sock");
		this.contextRunner
			.withPropertyValues("bubus.name=Listener", "bubus.bridges.local.type=socket", socket,
					"bubus.bridges.local.send=")
			.run((listener) -> {
				BlockingQueue<Ping> received = new LinkedBlockingQueue<>();
				listener.getBean(EventBus.class).on(Ping.class, received::add);
				this.contextRunner
					.withPropertyValues("bubus.name=Talker", "bubus.bridges.local.type=socket", socket,
							"bubus.bridges.local.receive=false")
					.run((talker) -> {
						talker.getBean(EventBus.class).emit(new Ping("over the socket")).done();
						Ping ping = received.poll(TwoApplications.WAIT.toSeconds(), TimeUnit.SECONDS);
						assertThat(ping).isNotNull();
						assertThat(ping.text).isEqualTo("over the socket");
						assertThat(ping.eventPath()).first().isEqualTo(talker.getBean(EventBus.class).label());
					});
			});
	}

	@Test
	void bridgesAreClosedWhenTheContextCloses() {
		Path socket = this.dir.resolve("bus.sock");
		URI[] listening = new URI[1];
		EventBridge[] bridges = new EventBridge[2];
		this.contextRunner
			.withPropertyValues("bubus.bridges.web.type=http", "bubus.bridges.web.listen=http://127.0.0.1:0/bubus",
					"bubus.bridges.web.send=", "bubus.bridges.local.type=socket", "bubus.bridges.local.path=" + socket)
			.run((context) -> {
				bridges[0] = context.getBean("webEventBridge", HttpEventBridge.class);
				bridges[1] = context.getBean("localEventBridge", SocketEventBridge.class);
				listening[0] = ((HttpEventBridge) bridges[0]).listenUri();
				assertThat(post(listening[0])).isEqualTo(400);
				assertThat(socket).exists();
			});
		assertThat(bridges).allMatch((bridge) -> !bridge.isStarted());
		assertThat(socket).doesNotExist();
		assertThatExceptionOfType(ConnectException.class).isThrownBy(() -> post(listening[0]));
	}

	@Test
	void userFactoryAddsABridgeType() {
		this.contextRunner.withUserConfiguration(FileFactoryConfiguration.class)
			.withPropertyValues("bubus.bridges.custom.type=file",
					"bubus.bridges.custom.path=" + this.dir.resolve("f.jsonl"))
			.run((context) -> assertThat(context.getBean("customEventBridge", JsonlEventBridge.class).path())
				.isEqualTo(this.dir.resolve("f.jsonl").toAbsolutePath()));
	}

	@Test
	void disabledWithBubus() {
		this.contextRunner.withPropertyValues("bubus.enabled=false")
			.withPropertyValues(jsonl("link", "off.jsonl"))
			.run((context) -> assertThat(context).doesNotHaveBean(EventBridge.class)
				.doesNotHaveBean(EventBridgeBindings.class));
	}

	private String[] jsonl(String name, String file) {
		return new String[] { "bubus.bridges." + name + ".type=jsonl",
				"bubus.bridges." + name + ".path=" + this.dir.resolve(file),
				"bubus.bridges." + name + ".poll-interval=20ms" };
	}

	private static List<String> types(java.util.Collection<EventBridgeFactory> factories) {
		return factories.stream().map(EventBridgeFactory::type).toList();
	}

	private static int post(URI uri) throws IOException, InterruptedException {
		try (HttpClient client = HttpClient.newHttpClient()) {
			return client
				.send(HttpRequest.newBuilder(uri)
					.timeout(Duration.ofSeconds(5))
					.POST(HttpRequest.BodyPublishers.ofString("not json"))
					.build(), HttpResponse.BodyHandlers.discarding())
				.statusCode();
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class FileFactoryConfiguration {

		@Bean
		EventBridgeFactory fileBridgeFactory() {
			return new EventBridgeFactory() {

				@Override
				public String type() {
					return "file";
				}

				@Override
				public EventBridge create(String name, BubusProperties.Bridge settings) {
					return new JsonlEventBridge(settings.getPath(), Duration.ofMillis(50), name, true);
				}

			};
		}

	}

}
