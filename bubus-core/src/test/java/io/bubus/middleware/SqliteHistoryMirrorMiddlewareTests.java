package io.bubus.middleware;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.bubus.BaseEvent;
import io.bubus.EventBus;
import io.bubus.EventBusMiddleware;
import io.bubus.EventResult;
import io.bubus.EventStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** SqliteHistoryMirrorMiddleware: the two audit tables (spec §2.3). */
class SqliteHistoryMirrorMiddlewareTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@TempDir
	Path dir;

	private static EventBus busWith(String name, EventBusMiddleware... middlewares) {
		EventBus.Builder builder = EventBus.builder(name);
		for (EventBusMiddleware middleware : middlewares) {
			builder.middleware(middleware);
		}
		EventBus bus = builder.build();
		bus.on(MirrorJob.class, (job) -> {
			if (job.fail) {
				throw new IllegalStateException("job failed");
			}
			return "ok";
		});
		return bus;
	}

	private static List<List<String>> query(Path db, String sql) throws SQLException {
		List<List<String>> rows = new ArrayList<>();
		try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery(sql)) {
			int columns = result.getMetaData().getColumnCount();
			while (result.next()) {
				List<String> row = new ArrayList<>();
				for (int i = 1; i <= columns; i++) {
					row.add(result.getString(i));
				}
				rows.add(row);
			}
		}
		return rows;
	}

	@Test
	void successfulEventWritesOneRowPerPhaseToBothTables() throws Exception {
		Path db = this.dir.resolve("mirror/history.sqlite");
		String label;
		MirrorJob job;
		try (SqliteHistoryMirrorMiddleware mirror = new SqliteHistoryMirrorMiddleware(db);
				EventBus bus = busWith("MirrorOkBus", mirror)) {
			label = bus.label();
			job = bus.emit(new MirrorJob(false));
			job.done(WAIT);
			// done() may return while the completing thread still runs the hooks
			assertThat(bus.waitUntilIdle(WAIT)).isTrue();
		}

		assertThat(query(db,
				"SELECT phase, event_status, eventbus_name, event_type, event_id FROM events_log ORDER BY id"))
			.containsExactly(List.of("pending", "pending", label, "MirrorJob", job.eventId()),
					List.of("started", "started", label, "MirrorJob", job.eventId()),
					List.of("completed", "completed", label, "MirrorJob", job.eventId()));
		List<List<String>> results = query(db,
				"SELECT phase, status, result_repr, error_repr, eventbus_name, event_result_json FROM event_results_log ORDER BY id");
		assertThat(results).extracting((row) -> row.get(0)).containsExactly("pending", "started", "completed");
		assertThat(results).extracting((row) -> row.get(1)).containsExactly("pending", "started", "completed");
		assertThat(results.get(2).get(2)).isEqualTo("\"ok\"");
		assertThat(results.get(2).get(3)).isNull();
		assertThat(results.get(2).get(4)).isEqualTo(label);
		assertThat(results.get(2).get(5)).contains("\"status\":\"completed\"").contains("\"result\":\"ok\"");
		assertThat(query(db, "SELECT event_json FROM events_log ORDER BY id DESC LIMIT 1").get(0).get(0))
			.contains("\"event_status\":\"completed\"")
			.doesNotContain("event_results");
	}

	@Test
	void failingHandlerIsRecordedWithStatusErrorAndTheError() throws Exception {
		Path db = this.dir.resolve("history.sqlite");
		try (SqliteHistoryMirrorMiddleware mirror = new SqliteHistoryMirrorMiddleware(db);
				EventBus bus = busWith("MirrorErrorBus", mirror)) {
			bus.emit(new MirrorJob(true)).done(WAIT);
			assertThat(bus.waitUntilIdle(WAIT)).isTrue();
		}

		List<List<String>> results = query(db,
				"SELECT phase, status, result_repr, error_repr FROM event_results_log ORDER BY id");
		assertThat(results).extracting((row) -> row.get(0)).containsExactly("pending", "started", "completed");
		assertThat(results).extracting((row) -> row.get(1)).containsExactly("pending", "started", "error");
		assertThat(results.get(2).get(2)).isNull();
		assertThat(results.get(2).get(3)).contains("IllegalStateException").contains("job failed");
	}

	@Test
	void mirroringDoesNotChangeTheInMemoryHistory() {
		List<String> without;
		try (EventBus bus = busWith("MirrorPlainBus")) {
			without = runAndSummarize(bus);
		}
		List<String> with;
		try (SqliteHistoryMirrorMiddleware mirror = new SqliteHistoryMirrorMiddleware(this.dir.resolve("h.sqlite"));
				EventBus bus = busWith("MirrorMirroredBus", mirror)) {
			with = runAndSummarize(bus);
		}

		assertThat(with).isEqualTo(without).hasSize(2);
	}

	private static List<String> runAndSummarize(EventBus bus) {
		bus.emit(new MirrorJob(false)).done(WAIT);
		bus.emit(new MirrorJob(true)).done(WAIT);
		List<String> summary = new ArrayList<>();
		for (BaseEvent<?> event : bus.eventHistory()) {
			StringBuilder line = new StringBuilder(event.eventType() + " " + event.eventStatus().wireValue());
			for (EventResult<?> row : event.eventResults().values()) {
				line.append(" ")
					.append(row.handlerName())
					.append("=")
					.append(row.status().wireValue())
					.append(":")
					.append(row.result())
					.append(":")
					.append((row.error() != null) ? row.error().getMessage() : null);
			}
			summary.add(line.toString());
		}
		return summary;
	}

	@Test
	void closeIsIdempotentAndAClosedMirrorNoLongerRecordsNorBreaksTheBus() throws Exception {
		Path db = this.dir.resolve("closed.sqlite");
		SqliteHistoryMirrorMiddleware mirror = new SqliteHistoryMirrorMiddleware(db);
		mirror.close();
		mirror.close();

		assertThat(mirror.isClosed()).isTrue();
		try (EventBus bus = busWith("MirrorClosedBus", mirror)) {
			MirrorJob job = bus.emit(new MirrorJob(false));
			assertThat(job.done(WAIT).eventStatus()).isEqualTo(EventStatus.COMPLETED);
			assertThat(job.eventResult()).isEqualTo("ok");
		}
		assertThat(query(db, "SELECT count(*) FROM event_results_log")).containsExactly(List.of("0"));
	}

	private String workerLog(int index) {
		try {
			return Files.readString(this.dir.resolve("worker-" + index + ".log"));
		}
		catch (IOException ex) {
			return "no worker log: " + ex;
		}
	}

	@Test
	void threeJvmsShareOneDatabase() throws Exception {
		Path db = this.dir.resolve("shared.sqlite");
		List<Process> workers = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			workers.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
					System.getProperty("java.class.path"), SqliteMirrorWorker.class.getName(), db.toString(),
					String.valueOf(i))
				.redirectErrorStream(true)
				.redirectOutput(this.dir.resolve("worker-" + i + ".log").toFile())
				.start());
		}
		try {
			for (int i = 0; i < workers.size(); i++) {
				Process worker = workers.get(i);
				int index = i;
				assertThat(worker.waitFor(60, TimeUnit.SECONDS)).isTrue();
				assertThat(worker.exitValue()).as(() -> workerLog(index)).isZero();
			}
		}
		finally {
			workers.forEach(Process::destroyForcibly);
		}

		assertThat(query(db, "SELECT DISTINCT eventbus_name FROM event_results_log")).hasSize(3)
			.allSatisfy((row) -> assertThat(row.get(0)).matches("WorkerBus[0-2]#[0-9a-f]{4}"));
		assertThat(query(db, "SELECT count(*) FROM event_results_log")).containsExactly(List.of("9"));
		assertThat(query(db, "SELECT count(*) FROM events_log")).containsExactly(List.of("9"));
	}

}
