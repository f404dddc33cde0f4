package io.bubus.middleware;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.bubus.middleware.WalTreeWorker.TreeChild;
import io.bubus.middleware.WalTreeWorker.TreeGrandchild;
import io.bubus.middleware.WalTreeWorker.TreeParent;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A parent, child and grandchild tree in a real JVM killed with {@code kill -9} while one
 * level's handler runs, then replayed by a second JVM: every handler's work is done
 * exactly once, under the event ids of the first run.
 */
class WalTreeCrashTests {

	private static final Duration WAIT = Duration.ofSeconds(60);

	@TempDir
	Path dir;

	@ParameterizedTest(name = "killed while the {0} handler runs")
	@ValueSource(strings = { "parent", "child", "grandchild" })
	void everyHandlerOfAnInterruptedTreeDoesItsWorkOnceAfterReplay(String level) throws Exception {
		Path wal = this.dir.resolve("tree.wal.jsonl");
		Path work = this.dir.resolve("work.txt");
		Path ready = this.dir.resolve("ready");
		Process crashed = worker(wal, work, ready, "crash:" + level, "crashed.log");
		try {
			await().atMost(WAIT).until(() -> Files.exists(ready));
		}
		finally {
			crashed.destroyForcibly();
		}
		assertThat(crashed.waitFor(30, TimeUnit.SECONDS)).isTrue();
		Map<String, String> idsBeforeCrash = acceptedIdsByType(wal);
		List<String> workBeforeCrash = lines(work);

		Path done = this.dir.resolve("done");
		Process recovery = worker(wal, work, done, "recover", "recovery.log");
		assertThat(recovery.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
		assertThat(recovery.exitValue()).as(Files.readString(this.dir.resolve("recovery.log"))).isZero();

		List<String> workLines = lines(work);
		assertThat(workLines).extracting((line) -> line.split(" ")[0])
			.containsExactlyInAnyOrder("grandchild", "child", "parent");
		assertThat(workLines.subList(0, workBeforeCrash.size())).isEqualTo(workBeforeCrash);
		String parentId = idsBeforeCrash.get(TreeParent.class.getSimpleName());
		String childId = idsBeforeCrash.get(TreeChild.class.getSimpleName());
		String grandchildId = idsBeforeCrash.get(TreeGrandchild.class.getSimpleName());
		// each level under its first id, and each saw the level below finish (restored
		// results included)
		assertThat(workLines).containsExactlyInAnyOrder("grandchild " + grandchildId + " -",
				"child " + childId + " grandchild-done", "parent " + parentId + " child-done");
		// the next start compacts the file: nothing of a completed tree is kept
		new WalEventBusMiddleware(wal).compact();
		assertThat(WalLines.all(wal)).isEmpty();
	}

	private Process worker(Path wal, Path work, Path signal, String mode, String logName) throws IOException {
		return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
				System.getProperty("java.class.path"), WalTreeWorker.class.getName(), wal.toString(), work.toString(),
				signal.toString(), mode)
			.redirectErrorStream(true)
			.redirectOutput(this.dir.resolve(logName).toFile())
			.start();
	}

	private static Map<String, String> acceptedIdsByType(Path wal) throws IOException {
		return WalLines.withStatus(wal, "pending")
			.stream()
			.collect(Collectors.toMap((line) -> line.path("event_type").asString(),
					(JsonNode line) -> line.path("event_id").asString(), (first, second) -> first));
	}

	private static List<String> lines(Path file) throws IOException {
		return Files.exists(file) ? Files.readAllLines(file) : List.of();
	}

}
