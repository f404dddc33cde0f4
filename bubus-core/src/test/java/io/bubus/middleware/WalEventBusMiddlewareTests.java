package io.bubus.middleware;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.bubus.BaseEvent;
import io.bubus.EventBus;
import io.bubus.EventConcurrency;
import io.bubus.EventStatus;
import io.bubus.HandlerOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** WalEventBusMiddleware: what it writes, and replay after a crash (spec §2.3). */
class WalEventBusMiddlewareTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	static {
		BaseEvent.register(WalJob.class);
	}

	@TempDir
	Path dir;

	@Test
	void everyCompletedEventIsOneLineWithPayloadTypeAndIsoCreationTime() throws Exception {
		Path wal = this.dir.resolve("wal.jsonl");
		try (EventBus bus = EventBus.builder("WalLinesBus").middleware(new WalEventBusMiddleware(wal)).build()) {
			bus.on(WalJob.class, (job) -> "done-" + job.index);
			for (int i = 0; i < 3; i++) {
				bus.emit(new WalJob(i)).done(WAIT);
			}
			// done() may return while the completing thread still runs the hooks
			assertThat(bus.waitUntilIdle(WAIT)).isTrue();
		}

		List<JsonNode> completed = WalLines.withStatus(wal, "completed");
		assertThat(completed).hasSize(3);
		assertThat(completed).extracting((line) -> line.path("index").asInt()).containsExactly(0, 1, 2);
		assertThat(completed).extracting((line) -> line.path("event_type").asString()).containsOnly("WalJob");
		assertThat(completed).allSatisfy((line) -> {
			assertThat(Instant.parse(line.path("event_created_at").asString())).isNotNull();
			assertThat(line.has("event_results")).isFalse();
		});
		assertThat(WalLines.withStatus(wal, "pending")).hasSize(3);
	}

	@Test
	void parentDirectoriesAreCreated() {
		Path wal = this.dir.resolve("nested/deeper/wal.jsonl");
		new WalEventBusMiddleware(wal);

		assertThat(wal.getParent()).isDirectory();
	}

	@Test
	void eventIsLoggedAcceptedBeforeItsHandlerRunsAndCompletedOnlyAfter() throws Exception {
		Path wal = this.dir.resolve("wal.jsonl");
		CountDownLatch running = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		List<Integer> acceptedLinesSeenByHandler = new CopyOnWriteArrayList<>();
		try (EventBus bus = EventBus.builder("WalTimingBus").middleware(new WalEventBusMiddleware(wal)).build()) {
			bus.on(WalJob.class, (job) -> {
				acceptedLinesSeenByHandler.add(WalLines.withStatus(wal, "pending").size());
				running.countDown();
				release.await(10, TimeUnit.SECONDS);
				return "done";
			});
			WalJob job = bus.emit(new WalJob(7));
			assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();

			assertThat(WalLines.withStatus(wal, "completed")).isEmpty();
			release.countDown();
			job.done(WAIT);
			assertThat(bus.waitUntilIdle(WAIT)).isTrue();

			assertThat(acceptedLinesSeenByHandler).containsExactly(1);
			assertThat(WalLines.ids(WalLines.withStatus(wal, "completed"))).containsExactly(job.eventId());
		}
	}

	@Test
	void replayFinishesAcceptedButUnfinishedEventsOnceWithTheirIdsAndSkipsATornLine() throws Exception {
		Path wal = this.dir.resolve("wal.jsonl");
		Path crashed = this.dir.resolve("crashed.jsonl");
		CountDownLatch release = new CountDownLatch(1);
		List<String> emittedIds;
		try (EventBus bus = EventBus.builder("WalBeforeCrash").middleware(new WalEventBusMiddleware(wal)).build()) {
			bus.on(WalJob.class, (job) -> release.await(10, TimeUnit.SECONDS));
			emittedIds = List.of(bus.emit(new WalJob(0)).eventId(), bus.emit(new WalJob(1)).eventId(),
					bus.emit(new WalJob(2)).eventId());
			// the file as a process killed now would leave it, with half a line at
			// the end
			Files.copy(wal, crashed);
			Files.writeString(crashed, "{\"event_type\":\"WalJob\",\"event_id\":\"01", StandardOpenOption.APPEND);
			release.countDown();
		}

		List<String> handled = new CopyOnWriteArrayList<>();
		WalEventBusMiddleware recovery = new WalEventBusMiddleware(crashed);
		try (EventBus bus = EventBus.builder("WalAfterCrash").middleware(recovery).build()) {
			bus.on(WalJob.class, (job) -> {
				handled.add(job.eventId());
				return "recovered-" + job.index;
			});
			List<BaseEvent<?>> replayed = recovery.replay(bus);

			assertThat(replayed).extracting(BaseEvent::eventId).containsExactlyElementsOf(emittedIds);
			assertThat(replayed).allSatisfy((event) -> assertThat(event).isInstanceOf(WalJob.class));
			for (BaseEvent<?> event : replayed) {
				assertThat(event.done(WAIT).eventStatus()).isEqualTo(EventStatus.COMPLETED);
				assertThat(event.eventResult()).isEqualTo("recovered-" + ((WalJob) event).index);
				assertThat(event.eventPath()).containsExactly(bus.label());
			}
			assertThat(handled).containsExactlyElementsOf(emittedIds);
			assertThat(bus.waitUntilIdle(WAIT)).isTrue();
		}

		assertThat(WalLines.ids(WalLines.withStatus(crashed, "completed"))).containsExactlyElementsOf(emittedIds);
		// the replaying process compacted the file: the torn line is gone
		assertThat(Files.readString(crashed)).doesNotContain("\"event_id\":\"01\n");
		WalEventBusMiddleware again = new WalEventBusMiddleware(crashed);
		try (EventBus bus = EventBus.builder("WalSecondStart").middleware(again).build()) {
			assertThat(again.replay(bus)).isEmpty();
		}
	}

	@Test
	void replayRunsOncePerMiddleware() {
		WalEventBusMiddleware wal = new WalEventBusMiddleware(this.dir.resolve("wal.jsonl"));
		try (EventBus bus = EventBus.builder("WalReplayOnce").middleware(wal).build()) {
			assertThat(wal.replay(bus)).isEmpty();

			assertThatThrownBy(() -> wal.replay(bus)).isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("already replayed");
		}
	}

	@Test
	void everyEventAcceptedByAKilledJvmCompletesExactlyOnceAfterReplay() throws Exception {
		Path wal = this.dir.resolve("crash/wal.jsonl");
		Path ready = this.dir.resolve("ready");
		int count = 40;
		Process worker = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
				System.getProperty("java.class.path"), WalCrashWorker.class.getName(), wal.toString(), ready.toString(),
				String.valueOf(count))
			.redirectErrorStream(true)
			.redirectOutput(this.dir.resolve("worker.log").toFile())
			.start();
		try {
			await().atMost(WAIT).until(() -> Files.exists(ready) && WalLines.withStatus(wal, "completed").size() >= 3);
		}
		finally {
			worker.destroyForcibly();
		}
		assertThat(worker.waitFor(20, TimeUnit.SECONDS)).isTrue();

		Set<String> accepted = new HashSet<>(WalLines.ids(WalLines.withStatus(wal, "pending")));
		Set<String> completedByWorker = new HashSet<>(WalLines.ids(WalLines.withStatus(wal, "completed")));
		assertThat(accepted).hasSize(count);
		assertThat(completedByWorker).hasSizeLessThan(count);

		List<String> handled = new CopyOnWriteArrayList<>();
		WalEventBusMiddleware recovery = new WalEventBusMiddleware(wal);
		try (EventBus bus = EventBus.builder("WalRecovery").maxHistorySize(null).middleware(recovery).build()) {
			bus.on(WalJob.class, (job) -> {
				handled.add(job.eventId());
				return "recovered-" + job.index;
			});
			List<BaseEvent<?>> replayed = recovery.replay(bus);
			for (BaseEvent<?> event : replayed) {
				event.done(WAIT);
			}
			assertThat(bus.waitUntilIdle(WAIT)).isTrue();

			assertThat(replayed).extracting(BaseEvent::eventId)
				.doesNotContainAnyElementsOf(completedByWorker)
				.hasSize(count - completedByWorker.size());
			assertThat(handled).containsExactlyInAnyOrderElementsOf(replayed.stream().map(BaseEvent::eventId).toList());
		}

		// the recovering process compacted away what the worker had finished
		Map<String, Long> completions = WalLines.ids(WalLines.withStatus(wal, "completed"))
			.stream()
			.collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
		assertThat(completions.keySet()).doesNotContainAnyElementsOf(completedByWorker);
		assertThat(completions.size() + completedByWorker.size()).isEqualTo(accepted.size());
		assertThat(completions.values()).containsOnly(1L);
	}

	@Test
	void replayRunsOnlyTheHandlersThatHadNotFinishedAndKeepsTheFinishedResults() throws Exception {
		Path wal = this.dir.resolve("wal.jsonl");
		Path crashed = this.dir.resolve("crashed.jsonl");
		CountDownLatch secondRunning = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		String id;
		try (EventBus bus = EventBus.builder("WalTwoHandlers").middleware(new WalEventBusMiddleware(wal)).build()) {
			bus.on(WalJob.class, (job) -> "first-" + job.index, HandlerOptions.defaults().name("first"));
			bus.on(WalJob.class, (job) -> {
				secondRunning.countDown();
				release.await(10, TimeUnit.SECONDS);
				return "second-before-crash";
			}, HandlerOptions.defaults().name("second"));
			id = bus.emit(new WalJob(4)).eventId();
			assertThat(secondRunning.await(10, TimeUnit.SECONDS)).isTrue();
			// what a process killed now leaves: the first handler finished, the
			// second runs
			Files.copy(wal, crashed);
			release.countDown();
		}

		List<String> ran = new CopyOnWriteArrayList<>();
		WalEventBusMiddleware recovery = new WalEventBusMiddleware(crashed);
		try (EventBus bus = EventBus.builder("WalTwoHandlers").middleware(recovery).build()) {
			bus.on(WalJob.class, (job) -> {
				ran.add("first");
				return "first-again";
			}, HandlerOptions.defaults().name("first"));
			bus.on(WalJob.class, (job) -> {
				ran.add("second");
				return "second-" + job.index;
			}, HandlerOptions.defaults().name("second"));
			List<BaseEvent<?>> replayed = recovery.replay(bus);

			assertThat(replayed).extracting(BaseEvent::eventId).containsExactly(id);
			assertThat(((WalJob) replayed.get(0)).done(WAIT).eventResultsList()).containsExactly("first-4", "second-4");
			assertThat(ran).containsExactly("second");
		}
	}

	@Test
	void anEventWhoseHandlerTheStoppingBusAbortedIsReplayed() throws Exception {
		Path wal = this.dir.resolve("wal.jsonl");
		CountDownLatch running = new CountDownLatch(1);
		String id;
		try (EventBus bus = EventBus.builder("WalStopped").middleware(new WalEventBusMiddleware(wal)).build()) {
			bus.on(WalJob.class, (job) -> {
				running.countDown();
				new CountDownLatch(1).await();
				return "never";
			});
			id = bus.emit(new WalJob(1)).eventId();
			assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
			bus.stop(Duration.ZERO, false);
		}

		List<String> handled = new CopyOnWriteArrayList<>();
		WalEventBusMiddleware recovery = new WalEventBusMiddleware(wal);
		try (EventBus bus = EventBus.builder("WalStopped").middleware(recovery).build()) {
			bus.on(WalJob.class, (job) -> handled.add(job.eventId()));
			List<BaseEvent<?>> replayed = recovery.replay(bus);
			replayed.forEach((event) -> event.done(WAIT));

			assertThat(handled).containsExactly(id);
		}
	}

	@Test
	void theFileIsCompactedToTheUnfinishedEventsOnceItGrewByTheLimit() throws Exception {
		Path wal = this.dir.resolve("wal.jsonl");
		CountDownLatch release = new CountDownLatch(1);
		WalEventBusMiddleware middleware = new WalEventBusMiddleware(wal, WalEventBusMiddleware.Fsync.PER_BATCH,
				64 * 1024);
		try (EventBus bus = EventBus.builder("WalCompacted")
			.eventConcurrency(EventConcurrency.PARALLEL)
			.maxHistorySize(null)
			.middleware(middleware)
			.build()) {
			bus.on(WalJob.class, (job) -> (job.index == 0) ? release.await(20, TimeUnit.SECONDS) : "quick");
			WalJob open = bus.emit(new WalJob(0));
			for (int i = 1; i <= 500; i++) {
				bus.emit(new WalJob(i)).done(WAIT);
			}
			assertThat(bus.waitUntilIdle(Duration.ofMillis(1))).isFalse();

			assertThat(Files.size(wal)).isLessThan(128 * 1024);
			assertThat(WalLines.ids(WalLines.withStatus(wal, "pending"))).contains(open.eventId());
			release.countDown();
			assertThat(bus.waitUntilIdle(WAIT)).isTrue();
		}
		middleware.compact();
		assertThat(WalLines.all(wal)).isEmpty();
	}

}
