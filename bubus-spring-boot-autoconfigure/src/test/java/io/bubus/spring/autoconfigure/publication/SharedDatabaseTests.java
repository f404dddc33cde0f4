package io.bubus.spring.autoconfigure.publication;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.bubus.EventBus;
import io.bubus.HandlerOptions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two application instances (child JVMs) share one database and resubmit on a fast
 * schedule, one publication per check, while publications wait: each handler is delivered
 * by exactly one of them, once. On H2 here, on PostgreSQL (FOR UPDATE SKIP LOCKED) in
 * {@link PostgresSharedDatabaseTests}.
 */
class SharedDatabaseTests extends PublicationDatabaseTests {

	private static final int EVENTS = 40;

	@Test
	void twoInstancesResubmitWithoutDeliveringAnyHandlerTwice() throws Exception {
		List<String> shared = List.of("--spring.datasource.url=" + this.database.url(),
				"--bubus.publications.enabled=true", "--bubus.publications.check-interval=20ms",
				"--bubus.publications.batch-size=1", "--bubus.publications.backoff=10ms");
		try (ChildJvm first = worker("w1", shared); ChildJvm second = worker("w2", shared)) {
			first.awaitReady(Duration.ofSeconds(120));
			second.awaitReady(Duration.ofSeconds(120));
			List<String> ids = new ArrayList<>();
			// this instance writes the publications; its handler fails, so the workers
			// resubmit every one of them
			runner("bubus.publications.backoff=10ms").run((context) -> {
				EventBus bus = context.getBean(EventBus.class);
				bus.on(OrderPlaced.class, (event) -> {
					throw new IllegalStateException("not here");
				}, HandlerOptions.defaults().name("Worker.handle"));
				for (int i = 0; i < EVENTS; i++) {
					OrderPlaced event = inTransaction(context, () -> bus.emit(new OrderPlaced("o-" + ids.size())));
					ids.add(event.eventId());
				}
				assertThat(bus.waitUntilIdle(Duration.ofSeconds(30))).isTrue();
			});
			PublicationStore store = store();

			await().atMost(Duration.ofSeconds(90))
				.untilAsserted(() -> assertThat(store.countIncomplete()).as(() -> first.outputTail()).isZero());

			List<String> runs = Files.readAllLines(this.dir.resolve("runs.log"));
			Map<String, Long> perEvent = runs.stream()
				.map((line) -> line.split(" ")[1])
				.collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
			assertThat(perEvent.keySet()).containsExactlyInAnyOrderElementsOf(ids);
			assertThat(perEvent.values()).containsOnly(1L);
			Map<String, Long> perInstance = runs.stream()
				.map((line) -> line.split(" ")[2])
				.collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
			// both instances took part, so the claims were contended
			assertThat(perInstance.keySet()).containsExactlyInAnyOrder("w1", "w2");
			for (String id : ids) {
				HandlerPublication handler = store.find(id).orElseThrow().handlers().get(0);
				assertThat(handler.attempts()).isEqualTo(2);
				assertThat(handler.status()).isEqualTo(HandlerPublication.Status.COMPLETED);
			}
		}
	}

	private ChildJvm worker(String instance, List<String> shared) throws Exception {
		List<String> properties = new ArrayList<>(shared);
		properties.add("--bubus.publications.instance-id=" + instance);
		return ChildJvm.start("worker", this.dir, properties.toArray(String[]::new));
	}

}
