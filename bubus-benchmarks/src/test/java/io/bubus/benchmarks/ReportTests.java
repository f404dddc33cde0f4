package io.bubus.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.bubus.benchmarks.ScenarioOutput.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cold and warm numbers {@link Report} takes from the raw scenario output: run 1 of
 * each JVM against the median of the later runs, output from before {@code --runs}, and
 * failed runs.
 */
class ReportTests {

	/** An S1 result line of {@code total} ms over 50,000 events. */
	private static String s1(double totalMs, boolean ok, int run) {
		return String.format(Locale.ROOT,
				"[java] 50k events: events=50000 total=%.3fms latency=%.3fms/event peak_heap=0.600kb/event "
						+ "peak_rss=0.800kb/event throughput=%d/s ok=%s processed=50000%s",
				totalMs, totalMs / 50_000, Math.round(50_000 / (totalMs / 1000)), ok ? "yes" : "no",
				(run > 0) ? " run=" + run : "");
	}

	private static String heap(String delta) {
		return "[java] 50k events: heap_delta_after_gc=" + delta + "mb baseline_heap=3.879mb rss=69.137mb";
	}

	/** One JVM's lines: the given totals as runs 1..N, then its leak-check line. */
	private static List<String> jvm(String delta, double... totals) {
		List<String> lines = new ArrayList<>();
		for (int i = 0; i < totals.length; i++) {
			lines.add(s1(totals[i], true, i + 1));
		}
		lines.add(heap(delta));
		return lines;
	}

	@Test
	void coldIsRunOneOfEachJvmAndWarmIsTheMedianOfRunsThreeToNOverAllJvms() {
		List<String> lines = new ArrayList<>();
		// run 2 is the fastest everywhere: it must count as neither cold nor warm
		lines.addAll(jvm("0.170", 1000, 50, 110, 100, 120));
		lines.addAll(jvm("0.180", 500, 50, 90, 95, 105));
		lines.addAll(jvm("0.190", 750, 50, 130, 115, 98));

		ScenarioOutput output = ScenarioOutput.parse(lines);

		assertThat(output.jvms()).hasSize(3);
		assertThat(output.runsPerJvm()).isEqualTo(5);
		assertThat(output.cold()).extracting(Run::run).containsOnly(1);
		Run cold = ScenarioOutput.median(output.cold());
		assertThat(cold.jvm()).isEqualTo(3);
		assertThat(cold.latency()).isEqualTo(750.0 / 50_000);
		assertThat(output.leak(cold)).containsEntry("heap_delta_after_gc", "0.190mb");
		assertThat(output.warm()).hasSize(9).extracting(Run::run).containsOnly(3, 4, 5);
		// warm totals sorted: 90 95 98 100 105 110 115 120 130
		assertThat(ScenarioOutput.median(output.warm()).latency()).isEqualTo(105.0 / 50_000);
		assertThat(output.warmRuns()).isEqualTo("runs 3–5 of every JVM");
	}

	@Test
	void outputFromBeforeRunsIsOneColdRunPerJvmWithoutAWarmNumber() {
		List<String> lines = new ArrayList<>();
		for (double total : new double[] { 300, 220, 330 }) {
			lines.add(s1(total, true, 0));
			lines.add(heap(String.valueOf((int) total)));
		}

		ScenarioOutput output = ScenarioOutput.parse(lines);

		assertThat(output.jvms()).hasSize(3);
		assertThat(output.runsPerJvm()).isEqualTo(1);
		Run cold = ScenarioOutput.median(output.cold());
		assertThat(cold.latency()).isEqualTo(300.0 / 50_000);
		assertThat(output.leak(cold)).containsEntry("heap_delta_after_gc", "300mb");
		assertThat(output.warm()).isEmpty();
		assertThat(output.warmRuns()).isEqualTo("no warm runs (one run per JVM)");
	}

	@Test
	void withTwoRunsPerJvmTheLastRunIsTheWarmOne() {
		List<String> lines = new ArrayList<>(jvm("0.1", 400, 200));
		lines.addAll(jvm("0.1", 500, 250));

		ScenarioOutput output = ScenarioOutput.parse(lines);

		assertThat(output.warm()).extracting(Run::run).containsExactly(2, 2);
		assertThat(ScenarioOutput.median(output.warm()).latency()).isEqualTo(200.0 / 50_000);
		assertThat(output.warmRuns()).startsWith("run 2 of every JVM");
	}

	@Test
	void theTableJudgesTheTargetForColdAndWarmSeparately(@TempDir Path dir) throws IOException {
		List<String> lines = new ArrayList<>(jvm("0.172", 300, 150, 95, 100, 90));
		Files.write(dir.resolve("s1.txt"), lines, StandardCharsets.UTF_8);

		String row = row(Report.render(dir, ""), "S1");

		assertThat(row).contains("| 0.0060 ms/event | 0.0019 ms/event | 0.101 ms/event | ≤ 0.002 ms/event | "
				+ "not met | met | 16.8× faster / 53.2× faster | ok (1 JVM × 5 runs) |");
	}

	@Test
	void aFailedRunIsLeftOutOfTheMediansAndFlaggedInTheTable(@TempDir Path dir) throws IOException {
		List<String> lines = new ArrayList<>();
		lines.add(s1(300, true, 1));
		lines.add(s1(150, true, 2));
		lines.add(s1(100, true, 3));
		String failed = "[java] failed: events=0 total=0.000ms latency=0.000ms/event peak_heap=0.000kb/event "
				+ "peak_rss=0.000kb/event throughput=0/s ok=no error=IllegalStateException:_history_is_3 run=4";
		lines.add(failed);
		lines.add(heap("0.172"));
		lines.add("[run.sh] s1: exit=1");
		Files.write(dir.resolve("s1.txt"), lines, StandardCharsets.UTF_8);

		String markdown = Report.render(dir, "");
		String row = row(markdown, "S1");

		assertThat(row).contains("| 0.0060 ms/event | 0.0020 ms/event |")
			.contains("| not met | **FAILED** |")
			.contains("**FAILED: 1 of 4 runs**")
			.contains("**JVM exit status [1]**");
		assertThat(markdown).contains("**Failed runs** (left out of the medians):")
			.contains("- **S1, JVM 1, run 4: `" + failed + "`**")
			.contains("- **S1: a JVM exited with status 1**");
	}

	@Test
	void aScenarioWhoseRunsAllFailedShowsFailedInsteadOfANumber(@TempDir Path dir) throws IOException {
		Files.write(dir.resolve("s1.txt"), List.of(s1(300, false, 0), heap("0.1")), StandardCharsets.UTF_8);

		String row = row(Report.render(dir, ""), "S1");

		assertThat(row).startsWith("| S1 | 50k events | **FAILED** | — |").contains("| **FAILED** | — |");
	}

	private static String row(String markdown, String id) {
		return markdown.lines().filter((line) -> line.startsWith("| " + id + " | ")).findFirst().orElseThrow();
	}

}
