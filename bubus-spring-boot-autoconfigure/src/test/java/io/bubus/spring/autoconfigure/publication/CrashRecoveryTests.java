package io.bubus.spring.autoconfigure.publication;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A child JVM commits three events and is killed with {@code kill -9} while the second
 * handler of the first one runs; the restarted application (republish-on-restart, same
 * instance id) runs exactly the handlers that had not completed, once each. On H2 here,
 * on PostgreSQL in {@link PostgresCrashRecoveryTests}.
 */
class CrashRecoveryTests extends PublicationDatabaseTests {

	private static final Duration START = Duration.ofSeconds(120);

	@Test
	void restartedApplicationCompletesExactlyTheUnfinishedHandlersOnceEach() throws Exception {
		String[] properties = { "--spring.datasource.url=" + this.database.url(), "--bubus.publications.enabled=true",
				"--bubus.publications.instance-id=node-1", "--bubus.publications.check-interval=0",
				"--bubus.publications.republish-on-restart=true" };
		PublicationStore store = store();
		List<String> ids;
		try (ChildJvm crashing = ChildJvm.start("crash", this.dir, properties)) {
			crashing.awaitFile(this.dir.resolve("slow-started"), START);
			crashing.awaitFile(this.dir.resolve("committed"), START);
			ids = Files.readAllLines(this.dir.resolve("committed"));
			// the first handler's row is written before the second handler starts
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(status(store, ids.get(0), "Fast.record")).isEqualTo("COMPLETED"));
			crashing.kill();
		}
		assertThat(runs()).containsExactly("fast " + ids.get(0), "slow-started " + ids.get(0));
		assertThat(store.findIncomplete(10)).extracting(EventPublication::eventId).containsExactlyElementsOf(ids);

		try (ChildJvm resumed = ChildJvm.start("resume", this.dir, properties)) {
			resumed.awaitReady(START);
			await().atMost(Duration.ofSeconds(60))
				.untilAsserted(() -> assertThat(store.findIncomplete(10)).as(resumed::outputTail).isEmpty());
		}

		assertThat(runs()).containsExactlyInAnyOrder("fast " + ids.get(0), "slow-started " + ids.get(0),
				"slow " + ids.get(0), "fast " + ids.get(1), "slow " + ids.get(1), "fast " + ids.get(2),
				"slow " + ids.get(2));
		for (String id : ids) {
			Map<String, HandlerPublication> handlers = byKey(store.find(id).orElseThrow());
			assertThat(handlers.get("Fast.record").attempts()).isEqualTo(1);
			assertThat(handlers.get("Slow.record").attempts()).isEqualTo(1);
			assertThat(handlers.get("Slow.record").resultJson()).isEqualTo("\"slow " + id + "\"");
		}
	}

	private List<String> runs() throws Exception {
		return Files.readAllLines(this.dir.resolve("runs.log"));
	}

	private static String status(PublicationStore store, String eventId, String handlerKey) {
		Optional<EventPublication> publication = store.find(eventId);
		return publication.map((p) -> byKey(p).get(handlerKey))
			.map((handler) -> handler.status().name())
			.orElse("absent");
	}

}
