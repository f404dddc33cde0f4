package io.bubus;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Event ids are UUIDv7 built from the event's unique creation timestamp: ordered like the
 * timestamps across threads, unique, and carrying the creation millisecond.
 */
class EventIdOrderTests {

	public static class IdOrderEvent extends BaseEvent<Void> {

	}

	@Test
	void idsFromManyThreadsAreUniqueAndOrderedLikeTheirCreationTimestamps() throws Exception {
		int threads = 4;
		int perThread = 5_000;
		List<IdOrderEvent> all = new ArrayList<>();
		try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
			List<Future<List<IdOrderEvent>>> futures = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				Callable<List<IdOrderEvent>> create = () -> {
					List<IdOrderEvent> made = new ArrayList<>(perThread);
					for (int i = 0; i < perThread; i++) {
						made.add(new IdOrderEvent());
					}
					return made;
				};
				futures.add(pool.submit(create));
			}
			for (Future<List<IdOrderEvent>> future : futures) {
				List<IdOrderEvent> made = future.get();
				// within a thread: strictly increasing in creation order
				for (int i = 1; i < made.size(); i++) {
					assertThat(made.get(i).eventId()).isGreaterThan(made.get(i - 1).eventId());
				}
				all.addAll(made);
			}
		}
		Set<String> ids = new HashSet<>();
		all.forEach((event) -> ids.add(event.eventId()));
		assertThat(ids).hasSize(threads * perThread);

		List<IdOrderEvent> byTime = new ArrayList<>(all);
		byTime.sort(Comparator.comparing(BaseEvent::eventCreatedAt));
		List<IdOrderEvent> byId = new ArrayList<>(all);
		byId.sort(Comparator.comparing(BaseEvent::eventId));
		assertThat(byId).containsExactlyElementsOf(byTime);

		for (IdOrderEvent event : all.subList(0, 100)) {
			String id = event.eventId();
			assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
			long millis = Long.parseLong(id.substring(0, 8) + id.substring(9, 13), 16);
			Instant created = event.eventCreatedAt();
			assertThat(millis).isEqualTo(created.toEpochMilli());
		}
	}

}
