package io.bubus.spring.autoconfigure.publication;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import io.bubus.BaseEvent;
import io.bubus.EventBus;
import io.bubus.HandlerOptions;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code /actuator/bubus/publications} and the publication meters in a running
 * application over real HTTP: publications by status and event type with their attempts,
 * errors masked like the other views, a resubmission by {@code POST}. On H2 here, on
 * PostgreSQL in {@link PostgresPublicationsEndpointTests}.
 */
@ExtendWith(OutputCaptureExtension.class)
class PublicationsEndpointTests extends PublicationDatabaseTests {

	private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
	};

	private static final String CARD = "4111-1111-1111-1111";

	private final List<ConfigurableApplicationContext> applications = new ArrayList<>();

	private final AtomicBoolean cardServiceUp = new AtomicBoolean();

	@AfterEach
	void stopApplications() {
		this.applications.forEach(ConfigurableApplicationContext::close);
	}

	@Test
	void publicationsAreListedByStatusAndTypeWithAttemptsAndMaskedValues() {
		ConfigurableApplicationContext context = start();
		RestClient http = http(context);
		String failed = emit(context, new OrderPlaced("bad-1")).eventId();
		emit(context, new OrderPlaced("ok-1"));
		String shipped = emit(context, new OrderShipped("s-1")).eventId();
		await().atMost(WAIT)
			.untilAsserted(
					() -> assertThat(counts(get(http, "/actuator/bubus/publications"))).containsEntry("incomplete", 1)
						.containsEntry("failed", 1)
						.containsEntry("completed", 2));

		Map<String, Object> failedView = get(http, "/actuator/bubus/publications?status=failed");
		assertThat(failedView).containsEntry("status", "failed");
		Map<String, Object> publication = single(failedView);
		assertThat(publication).containsEntry("event_id", failed)
			.containsEntry("event_type", "OrderPlaced")
			.containsEntry("bus", "ApplicationBus")
			.containsEntry("completed", false)
			.containsEntry("payload", Map.of("order_id", "******"));
		assertThat(handlers(publication)).extracting((handler) -> handler.get("handler"))
			.containsExactly("Billing.charge", "Stock.reserve");
		assertThat(handlers(publication).get(1)).containsEntry("status", "completed").containsEntry("result", "******");
		assertThat(handlers(publication).get(0)).satisfies((handler) -> {
			assertThat(handler).containsEntry("status", "failed")
				.containsEntry("attempts", 1)
				.containsEntry("error_type", IllegalStateException.class.getName())
				.containsEntry("error_message", "******")
				.doesNotContainKey("result");
			assertThat(handler.get("last_attempt_at")).isNotNull();
		});
		assertThat(get(http, "/actuator/bubus/publications").toString()).doesNotContain(CARD);

		Map<String, Object> shippedView = get(http, "/actuator/bubus/publications?status=completed&type=OrderShipped");
		assertThat(single(shippedView)).containsEntry("event_id", shipped).containsEntry("completed", true);
		assertThat(handlers(single(shippedView))).singleElement()
			.satisfies((handler) -> assertThat(handler).containsEntry("status", "completed")
				.containsEntry("result", "******")
				.doesNotContainKey("error_type"));
		assertThat(publications(get(http, "/actuator/bubus/publications?status=completed&limit=1"))).hasSize(1);
		assertThat(publications(get(http, "/actuator/bubus/publications?status=stale"))).isEmpty();

		ResponseEntity<Map<String, Object>> unknown = http.get()
			.uri("/actuator/bubus/publications?status=lost")
			.retrieve()
			.toEntity(JSON);
		assertThat(unknown.getStatusCode().value()).isEqualTo(400);
		assertThat(unknown.getBody()).containsEntry("error",
				"Unknown publication status 'lost'; use one of incomplete, failed, stale, completed");
		// read-only by default: no resubmission
		assertThat(http.post()
			.uri("/actuator/bubus/publications/{id}", failed)
			.retrieve()
			.toBodilessEntity()
			.getStatusCode()
			.is2xxSuccessful()).isFalse();
		// the other views are unchanged
		assertThat(get(http, "/actuator/bubus/ApplicationBus")).containsEntry("name", "ApplicationBus");
		assertThat(get(http, "/actuator/bubus").get("publications")).isEqualTo(counts(failedView));
	}

	@Test
	void withShowValuesAlwaysResultsAndErrorMessagesAreShown() {
		ConfigurableApplicationContext context = start("management.endpoint.bubus.show-values=always");
		RestClient http = http(context);
		emit(context, new OrderPlaced("bad-2"));
		emit(context, new OrderShipped("s-2"));
		await().atMost(WAIT)
			.untilAsserted(
					() -> assertThat(counts(get(http, "/actuator/bubus/publications"))).containsEntry("failed", 1)
						.containsEntry("completed", 1));

		Map<String, Object> failed = single(get(http, "/actuator/bubus/publications?status=failed"));
		assertThat(failed).containsEntry("payload", Map.of("order_id", "bad-2"));
		assertThat(handlers(failed).get(0)).containsEntry("handler", "Billing.charge")
			.containsEntry("error_message", "card " + CARD + " declined for bad-2");
		assertThat(handlers(failed).get(1)).containsEntry("handler", "Stock.reserve")
			.containsEntry("result", "reserved bad-2");
		Map<String, Object> completed = single(get(http, "/actuator/bubus/publications?status=completed"));
		assertThat(handlers(completed)).singleElement()
			.satisfies((handler) -> assertThat(handler).containsEntry("result", "shipped s-2"));
	}

	@Test
	void failedPublicationIsResubmittedOverHttpWithItsIdToTheFailedHandlerOnly() {
		ConfigurableApplicationContext context = start("management.endpoint.bubus.access=unrestricted");
		RestClient http = http(context);
		EventPublications publications = context.getBean(EventPublications.class);
		OrderPlaced event = emit(context, new OrderPlaced("bad-3"));
		await().atMost(WAIT).until(() -> publications.findFailed().size() == 1);
		this.cardServiceUp.set(true);

		ResponseEntity<Map<String, Object>> resubmitted = http.post()
			.uri("/actuator/bubus/publications/{id}", event.eventId())
			.retrieve()
			.toEntity(JSON);

		assertThat(resubmitted.getStatusCode().value()).isEqualTo(200);
		assertThat(resubmitted.getBody()).containsEntry("event_id", event.eventId())
			.containsEntry("bus", "ApplicationBus")
			.containsEntry("resubmitted_to", List.of("Billing.charge"));
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(publications.find(event.eventId()))
				.hasValueSatisfying((publication) -> assertThat(publication.isCompleted()).isTrue()));
		Map<String, HandlerPublication> handlers = byKey(publications.find(event.eventId()).orElseThrow());
		assertThat(handlers.get("Billing.charge").attempts()).isEqualTo(2);
		assertThat(handlers.get("Stock.reserve").attempts()).isEqualTo(1);
		assertThat(http.post()
			.uri("/actuator/bubus/publications/{id}", event.eventId())
			.retrieve()
			.toEntity(JSON)
			.getStatusCode()
			.value()).isEqualTo(409);
		assertThat(http.post()
			.uri("/actuator/bubus/publications/{id}", "0190b3c0-0000-7000-8000-000000000000")
			.retrieve()
			.toEntity(JSON)
			.getStatusCode()
			.value()).isEqualTo(404);
	}

	@Test
	void metersCountPendingFailedStaleAndResubmittedPublications(CapturedOutput output) {
		ConfigurableApplicationContext context = start("bubus.publications.staleness-threshold=1ms",
				"bubus.publications.check-interval=100ms", "bubus.publications.backoff=1h");
		RestClient http = http(context);
		MeterRegistry meters = context.getBean(MeterRegistry.class);
		EventPublications publications = context.getBean(EventPublications.class);
		OrderPlaced event = emit(context, new OrderPlaced("bad-4"));
		emit(context, new OrderShipped("s-4"));
		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(meters.get("bubus.publications.pending").gauge().value()).isEqualTo(1);
			assertThat(meters.get("bubus.publications.failed").gauge().value()).isEqualTo(1);
			assertThat(meters.get("bubus.publications.stale").gauge().value()).isEqualTo(1);
			assertThat(meters.get("bubus.publications.retained").gauge().value()).isEqualTo(1);
			assertThat(meters.get("bubus.publications.oldest.age").gauge().value()).isPositive();
		});
		assertThat(meters.get("bubus.publications.completed").functionCounter().count()).isEqualTo(1);
		assertThat(meters.get("bubus.publications.handler.failures").functionCounter().count()).isEqualTo(1);
		assertThat(meters.get("bubus.publications.resubmitted").functionCounter().count()).isZero();
		// the staleness monitor's warning on a scheduled check
		await().atMost(WAIT)
			.until(() -> output.getOut()
				.contains("1 publication(s) older than PT0.001S are still "
						+ "incomplete; see EventPublications.findStale() or GET /actuator/bubus/publications?status=stale"));
		assertThat(publications(get(http, "/actuator/bubus/publications?status=stale")))
			.extracting((publication) -> publication.get("event_id"))
			.containsExactly(event.eventId());

		this.cardServiceUp.set(true);
		assertThat(publications.resubmit(event.eventId())).isTrue();
		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(meters.get("bubus.publications.pending").gauge().value()).isZero();
			assertThat(meters.get("bubus.publications.oldest.age").gauge().value()).isZero();
		});
		assertThat(meters.get("bubus.publications.resubmitted").functionCounter().count()).isEqualTo(1);
		assertThat(meters.get("bubus.publications.completed").functionCounter().count()).isEqualTo(2);
		Map<String, Object> metric = get(http, "/actuator/metrics/bubus.publications.retained");
		assertThat(metric).containsEntry("name", "bubus.publications.retained");
	}

	private ConfigurableApplicationContext start(String... properties) {
		List<String> all = new ArrayList<>(List.of("server.port=0", "server.address=127.0.0.1",
				"spring.main.banner-mode=off", "spring.datasource.url=" + this.database.url(),
				"bubus.publications.enabled=true", "bubus.publications.check-interval=0",
				"management.endpoints.web.exposure.include=bubus,metrics"));
		all.addAll(List.of(properties));
		ConfigurableApplicationContext context = new SpringApplicationBuilder(Application.class)
			.properties(all.toArray(String[]::new))
			.run();
		this.applications.add(context);
		EventBus bus = context.getBean(EventBus.class);
		bus.on(OrderPlaced.class, (event) -> {
			if (event.orderId.startsWith("bad") && !this.cardServiceUp.get()) {
				throw new IllegalStateException("card " + CARD + " declined for " + event.orderId);
			}
			return "charged " + event.orderId;
		}, HandlerOptions.defaults().name("Billing.charge"));
		bus.on(OrderPlaced.class, (event) -> "reserved " + event.orderId,
				HandlerOptions.defaults().name("Stock.reserve"));
		bus.on(OrderShipped.class, (event) -> "shipped " + event.orderId, HandlerOptions.defaults().name("Mail.send"));
		return context;
	}

	private static <E extends BaseEvent<?>> E emit(ConfigurableApplicationContext context, E event) {
		E emitted = inTransaction(context, () -> context.getBean(EventBus.class).emit(event));
		emitted.done(WAIT);
		return emitted;
	}

	private static RestClient http(ConfigurableApplicationContext context) {
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		return RestClient.builder()
			.baseUrl("http://127.0.0.1:" + port)
			.defaultStatusHandler(HttpStatusCode::isError, (request, response) -> {
			})
			.build();
	}

	private static Map<String, Object> get(RestClient http, String path) {
		ResponseEntity<Map<String, Object>> response = http.get().uri(path).retrieve().toEntity(JSON);
		assertThat(response.getStatusCode().value()).as("GET %s: %s", path, response.getBody()).isEqualTo(200);
		return response.getBody();
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> counts(Map<String, Object> view) {
		return (Map<String, Object>) view.get("counts");
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> publications(Map<String, Object> view) {
		return (List<Map<String, Object>>) view.get("publications");
	}

	private static Map<String, Object> single(Map<String, Object> view) {
		assertThat(publications(view)).hasSize(1);
		return publications(view).get(0);
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> handlers(Map<String, Object> publication) {
		return (List<Map<String, Object>>) publication.get("handlers");
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Application {

	}

}
