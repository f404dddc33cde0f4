package io.bubus.benchmarks;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;

import io.bubus.benchmarks.ScenarioOutput.Run;
import org.jspecify.annotations.Nullable;

/**
 * Writes {@code RESULTS.md} from what {@code run.sh} collected: {@code machine.txt}
 * ({@code key=value} lines), {@code s1.txt} .. {@code s6.txt} (harness output),
 * {@code jmh.csv} (JMH {@code -rf csv} with {@code -prof gc}) and the bridge results (see
 * {@link BridgeReport}).
 * <p>
 * {@code java -cp ... io.bubus.benchmarks.Report <results dir> <RESULTS.md>}
 */
public final class Report {

	/**
	 * A bubus-ts reference row of spec/integrations §7.4 (Node 20, 2-core VM) and the
	 * latency target for the Java bus, both in ms per unit.
	 */
	record Reference(String id, String scenario, double tsLatency, String unit, String tsPeakHeap, String tsPeakRss,
			String tsOther, double target) {
	}

	private static final List<Reference> REFERENCE = List.of(
			new Reference("S1", "50k events", 0.101, "event", "1.758", "2.253", "9,929 ev/s, heap Δ after GC 0.000 MB",
					0.002),
			new Reference("S2", "500 buses x 100 events", 0.108, "event", "0.478", "0.837", "9,266 ev/s, Δ 0.127 MB",
					0.003),
			new Reference("S3", "1 event x 50k parallel handlers", 0.080, "handler", "≈10.4 /handler", "≈10.5 /handler",
					"3.98 s total", 0.001),
			new Reference("S4", "50k one-off handlers over 50k events", 0.134, "event", "0.910", "1.368", "7,469 ev/s",
					0.003),
			new Reference("S5", "worst-case forwarding + timeouts", 0.402, "event", "7.197", "12.704",
					"timeouts=0, cancels=12", 0.02));

	private Report() {
	}

	public static void main(String[] args) throws IOException {
		if (args.length != 2) {
			System.err.println("usage: Report <results dir> <RESULTS.md>");
			System.exit(2);
		}
		Path dir = Path.of(args[0]);
		Path results = Path.of(args[1]);
		String previous = Files.exists(results) ? Files.readString(results, StandardCharsets.UTF_8) : "";
		String markdown = render(dir, previous);
		Files.writeString(Path.of(args[1]), markdown, StandardCharsets.UTF_8);
		System.out.println("wrote " + args[1]);
	}

	/**
	 * The whole file; the bridge section comes from {@code bridges.txt}, else it is kept
	 * from {@code previous} (the RESULTS.md being replaced).
	 */
	static String render(Path dir, String previous) throws IOException {
		Map<String, String> machine = readMachine(dir.resolve("machine.txt"));
		StringBuilder md = new StringBuilder();
		md.append("# bubus-java benchmark results\n\n");
		md.append("Written by `bubus-benchmarks/run.sh` (do not edit by hand; rerun the script). ")
			.append("Scenarios as in spec/integrations §7; one scenario per JVM after the TS warm-up, repeated ")
			.append("`SCENARIO_RUNS` times in that JVM (cold and warm numbers); ")
			.append("JMH with `-prof gc`.\n\n");
		machineSection(md, machine);
		scenarioSection(md, dir);
		leakSection(md, dir);
		jmhSection(md, dir.resolve("jmh.csv"));
		String bridges = BridgeReport.section(dir);
		if (bridges == null) {
			bridges = BridgeReport.previous(previous);
		}
		if (bridges != null) {
			md.append(bridges);
		}
		notesSection(md, machine);
		rawSection(md, dir);
		return md.toString();
	}

	// ---- machine ----

	private static Map<String, String> readMachine(Path file) throws IOException {
		Map<String, String> values = new LinkedHashMap<>();
		if (Files.exists(file)) {
			for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
				int eq = line.indexOf('=');
				if (eq > 0) {
					values.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
				}
			}
		}
		return values;
	}

	private static void machineSection(StringBuilder md, Map<String, String> machine) {
		md.append("## Machine\n\n");
		md.append("| | |\n|---|---|\n");
		row(md, "date", machine.getOrDefault("date", "?"));
		row(md, "cores (`nproc`)", machine.getOrDefault("nproc", "?"));
		row(md, "CPU model", machine.getOrDefault("cpu", "?"));
		row(md, "memory", machine.getOrDefault("memory", "?"));
		row(md, "OS", machine.getOrDefault("os", "?"));
		row(md, "JDK", machine.getOrDefault("jdk", "?"));
		row(md, "scenario JVM options", "`" + machine.getOrDefault("scenario_jvm_opts", "") + "`");
		row(md, "scenario runs (S1–S5)", machine.getOrDefault("scenario_runs", "1 run per JVM"));
		row(md, "JMH options", "`" + machine.getOrDefault("jmh_opts", "") + "`");
		row(md, "commit", machine.getOrDefault("commit", "?"));
		row(md, "background CPU use (idle probes)", machine.getOrDefault("background_cpu", "?"));
		row(md, "load average (start → end)",
				machine.getOrDefault("load_start", "?") + " → " + machine.getOrDefault("load_end", "?"));
		md.append('\n');
		String busy = machine.get("busy");
		if ("yes".equals(busy)) {
			md.append("**Measured on a busy machine**: other processes (concurrent builds and test runs) ")
				.append("used a large share of the ")
				.append(machine.getOrDefault("nproc", "?"))
				.append(" cores during the run (see the idle probes above). ")
				.append("Treat the numbers as a first, noisy table: absolute times are pessimistic and ")
				.append("run-to-run variance is high; ratios between rows are more telling than the values.\n\n");
		}
		else if ("no".equals(busy)) {
			md.append("The machine was otherwise idle during the run (idle probes above).\n\n");
		}
	}

	private static void row(StringBuilder md, String key, String value) {
		md.append("| ").append(key).append(" | ").append(value.replace("|", "\\|")).append(" |\n");
	}

	// ---- scenarios ----

	private static void scenarioSection(StringBuilder md, Path dir) throws IOException {
		md.append("## Scenarios S1–S5 (Java vs the bubus-ts reference run)\n\n");
		md.append("Each JVM runs the warm-up, then the scenario N times (`SCENARIO_RUNS`). **Cold** = run 1, ")
			.append("the number the reference harnesses report (one run per process after the same short ")
			.append("warm-up, while the JIT is still compiling the bus's code paths); of the JVMs, the one with the ")
			.append("median cold latency is shown. **Warm** = the median over all JVMs of the later runs (which ")
			.append("ones is noted below the table): the JIT-compiled steady state a long-running service sees. ")
			.append("Latency = `total` ÷ units (50,000 events or handlers; S5 1,500 events), shown with 4 decimals; ")
			.append("targets and \"met\" are judged for cold and warm separately. A run whose checks failed ")
			.append("(`ok=no`) is left out of the medians, marks the scenario **FAILED** and is listed below.\n\n");
		md.append("| | scenario | Java cold | Java warm | bubus-ts | target | cold vs target | warm vs target | ")
			.append("Java vs ts time (cold / warm) | checks |\n");
		md.append("|---|---|---|---|---|---|---|---|---|---|\n");
		List<ScenarioOutput> outputs = new ArrayList<>();
		Map<String, List<String>> warmRuns = new LinkedHashMap<>();
		List<String> failures = new ArrayList<>();
		for (int i = 0; i < REFERENCE.size(); i++) {
			Reference ref = REFERENCE.get(i);
			Path file = dir.resolve("s" + (i + 1) + ".txt");
			ScenarioOutput output = ScenarioOutput
				.parse(Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of());
			outputs.add(output);
			List<Run> cold = output.cold();
			List<Run> warm = output.warm();
			Run coldMedian = ScenarioOutput.median(cold);
			Run warmMedian = ScenarioOutput.median(warm);
			md.append("| ").append(ref.id()).append(" | ").append(ref.scenario()).append(" | ");
			md.append(latencyCell(coldMedian, cold)).append(" | ");
			md.append(latencyCell(warmMedian, warm)).append(" | ");
			md.append(latency(ref.tsLatency(), ref.unit(), 3)).append(" | ");
			md.append("≤ ")
				.append(BigDecimal.valueOf(ref.target()).stripTrailingZeros().toPlainString())
				.append(" ms/")
				.append(ref.unit())
				.append(" | ");
			md.append(verdict(coldMedian, cold, ref.target())).append(" | ");
			md.append(verdict(warmMedian, warm, ref.target())).append(" | ");
			md.append(ratio(coldMedian, ref.tsLatency())).append(" / ").append(ratio(warmMedian, ref.tsLatency()));
			md.append(" | ").append(checks(output)).append(" |\n");
			if (output.runCount() > 0) {
				warmRuns.computeIfAbsent(output.warmRuns(), (key) -> new ArrayList<>()).add(ref.id());
			}
			for (Run run : output.failed()) {
				failures.add(ref.id() + ", JVM " + run.jvm() + ", run " + run.run() + ": `" + run.line() + "`");
			}
			for (Integer exit : output.exits()) {
				failures.add(ref.id() + ": a JVM exited with status " + exit
						+ ((exit == 124) ? " (killed by `timeout` after 900 s)" : ""));
			}
		}
		md.append('\n');
		if (!warmRuns.isEmpty()) {
			md.append("Warm runs: ");
			List<String> parts = new ArrayList<>();
			warmRuns.forEach((runs, ids) -> parts.add(runs + " (" + String.join(", ", ids) + ")"));
			md.append(String.join("; ", parts)).append(". Cold: run 1 of every JVM.\n\n");
		}
		if (!failures.isEmpty()) {
			md.append("**Failed runs** (left out of the medians):\n\n");
			failures.forEach((failure) -> md.append("- **").append(failure).append("**\n"));
			md.append('\n');
		}
		detailSection(md, outputs);
	}

	private static void detailSection(StringBuilder md, List<ScenarioOutput> outputs) {
		md.append("### Memory, throughput and checks (the cold run shown above)\n\n");
		md.append("Units as in §7: ms and kb per event (S3: per handler, both divided by 50,000). ")
			.append("`peak_*` = max(0, peak − baseline) / 1024 / units; heap = `MemoryMXBean` heap in use, ")
			.append("rss = resident pages from `/proc/self/statm`. heap Δ after GC = TS leak check (min of 24 full GCs after ")
			.append("the JVM's last run − min of 8 before its first). The reference is the bubus-ts run of §7.4 ")
			.append("(Node 20 via tsx on a 2-core Linux VM); compare against it, not against the published M4 ")
			.append("numbers.\n\n");
		md.append("| | Java peak_heap kb | Java peak_rss kb | Java throughput | heap Δ after GC | ts peak_heap kb | ")
			.append("ts peak_rss kb | ts other | runs and notes |\n");
		md.append("|---|---|---|---|---|---|---|---|---|\n");
		for (int i = 0; i < REFERENCE.size(); i++) {
			Reference ref = REFERENCE.get(i);
			ScenarioOutput output = outputs.get(i);
			Run cold = ScenarioOutput.median(output.cold());
			md.append("| ").append(ref.id()).append(" | ");
			if (cold == null) {
				md.append(" | | | | ");
			}
			else {
				Map<String, String> leak = output.leak(cold);
				md.append(strip(cold.values().get("peak_heap"))).append(" | ");
				md.append(strip(cold.values().get("peak_rss"))).append(" | ");
				md.append(cold.values().getOrDefault("throughput", "?")).append(" | ");
				md.append((leak != null) ? leak.get("heap_delta_after_gc").replace("mb", " MB") : "?").append(" | ");
			}
			md.append(ref.tsPeakHeap())
				.append(" | ")
				.append(ref.tsPeakRss())
				.append(" | ")
				.append(ref.tsOther())
				.append(" | ")
				.append(notes(ref.id(), output, cold))
				.append(" |\n");
		}
		md.append('\n');
	}

	/**
	 * The median latency of the runs, **FAILED** when every one failed, — when there are
	 * none.
	 */
	private static String latencyCell(@Nullable Run median, List<Run> runs) {
		if (median != null) {
			return latency(median.latency(), median.unit(), 4);
		}
		return runs.isEmpty() ? "—" : "**FAILED**";
	}

	/**
	 * met / not met for the median; **FAILED** when a run of the group failed its checks.
	 */
	static String verdict(@Nullable Run median, List<Run> runs, double target) {
		if (runs.isEmpty()) {
			return "—";
		}
		if (median == null || runs.stream().anyMatch((run) -> !run.ok())) {
			return "**FAILED**";
		}
		return (median.latency() <= target) ? "met" : "not met";
	}

	private static String checks(ScenarioOutput output) {
		if (output.runCount() == 0 && output.exits().isEmpty()) {
			return "(no result)";
		}
		List<String> problems = new ArrayList<>();
		int failed = output.failed().size();
		if (failed > 0) {
			problems.add("**FAILED: " + failed + " of " + output.runCount() + " runs**");
		}
		if (!output.exits().isEmpty()) {
			problems.add("**JVM exit status " + output.exits().stream().map(String::valueOf).toList() + "**");
		}
		if (output.stalls() > 0) {
			problems.add("**" + output.stalls() + " stall(s) of 10 s or more, see the raw output**");
		}
		if (problems.isEmpty()) {
			return "ok (" + plural(output.jvms().size(), "JVM") + " × " + plural(output.runsPerJvm(), "run") + ")";
		}
		return String.join("; ", problems);
	}

	private static String notes(String id, ScenarioOutput output, @Nullable Run cold) {
		List<String> notes = new ArrayList<>();
		List<Run> colds = output.cold();
		if (colds.size() > 1) {
			notes.add(
					"cold " + String.join(" / ", colds.stream().map((run) -> number4(run.latency())).toList()) + " ms");
		}
		List<Run> warm = output.warm().stream().filter(Run::ok).toList();
		if (!warm.isEmpty()) {
			double min = warm.stream().mapToDouble(Run::latency).min().orElse(0);
			double max = warm.stream().mapToDouble(Run::latency).max().orElse(0);
			notes.add((warm.size() == 1) ? "warm " + number4(min) + " ms"
					: "warm " + warm.size() + " runs " + number4(min) + "–" + number4(max) + " ms");
		}
		if (cold != null) {
			Map<String, String> values = cold.values();
			switch (id) {
				case "S2" -> notes.add("buses alive after GC " + values.getOrDefault("buses_alive_after_gc", "?"));
				case "S3" -> notes.add("registering 50k handlers " + values.getOrDefault("register_ms", "?") + " ms");
				case "S5" -> {
					notes.add("timeouts=" + values.getOrDefault("timeouts", "?") + ", aborts="
							+ values.getOrDefault("aborts", "?") + ", cancels=" + values.getOrDefault("cancels", "?"));
					notes.add("slowest iteration " + values.getOrDefault("slowest_iteration_ms", "?") + " ms");
					notes.add("history A/B/C after idle " + values.getOrDefault("history_abc", "?") + " (limit 128)");
					notes.add("parent already done on A before the emit to B: "
							+ values.getOrDefault("parent_done_before_b_emit", "?") + "x");
				}
				default -> {
				}
			}
		}
		return String.join("; ", notes);
	}

	private static String strip(@Nullable String value) {
		if (value == null) {
			return "?";
		}
		int kb = value.indexOf("kb/");
		return (kb > 0) ? value.substring(0, kb) : value;
	}

	private static String latency(double value, String unit, int decimals) {
		return String.format(Locale.ROOT, "%." + decimals + "f ms/%s", value, unit);
	}

	private static String plural(int n, String noun) {
		return n + " " + noun + ((n == 1) ? "" : "s");
	}

	private static String number4(@Nullable Double value) {
		return (value != null) ? String.format(Locale.ROOT, "%.4f", value) : "?";
	}

	/** "3.4× faster" for a Java median against the reference latency; — without one. */
	private static String ratio(@Nullable Run java, double reference) {
		Double j = (java != null) ? java.latency() : null;
		if (j == null || j <= 0) {
			return "—";
		}
		double factor = reference / j;
		return (factor >= 1) ? String.format(Locale.ROOT, "%.1f× faster", factor)
				: String.format(Locale.ROOT, "%.1f× slower", 1 / factor);
	}

	// ---- S6 ----

	private static void leakSection(StringBuilder md, Path dir) throws IOException {
		md.append("## S6 leak check (S1 ten times in one JVM)\n\n");
		Path file = dir.resolve("s6.txt");
		if (!Files.exists(file)) {
			md.append("(no result)\n\n");
			return;
		}
		List<Map<String, String>> runs = new ArrayList<>();
		Map<String, String> summary = null;
		for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
			Matcher m = ScenarioOutput.LINE.matcher(line);
			if (m.matches()) {
				Map<String, String> values = ScenarioOutput.tokens(m.group(2));
				if (values.containsKey("run")) {
					runs.add(values);
				}
				else if (values.containsKey("runs")) {
					summary = values;
				}
			}
		}
		md.append("Heap in use after full GC (min of 8 rounds of `System.gc()` + 12 ms) after each run; ")
			.append("the check fails when the last value exceeds the first by more than the tolerance ")
			.append("(3 MB, the Node noise floor of the TS harness).\n\n");
		md.append("| run | S1 latency | S1 peak_rss | heap after GC |\n|---|---|---|---|\n");
		for (Map<String, String> run : runs) {
			md.append("| ")
				.append(run.get("run"))
				.append(" | ")
				.append(run.get("latency").replace("ms/", " ms/"))
				.append(" | ")
				.append(run.get("peak_rss").replace("kb/", " kb/"))
				.append(" | ")
				.append(run.get("heap_after_gc").replace("mb", " MB"))
				.append(" |\n");
		}
		md.append('\n');
		if (summary != null) {
			md.append("Result: **")
				.append("yes".equals(summary.get("ok")) ? "no leak" : "FAILED")
				.append("**: heap after GC ")
				.append(summary.get("first_heap_after_gc"))
				.append(" after run 1 → ")
				.append(summary.get("last_heap_after_gc"))
				.append(" after run 10 (growth ")
				.append(summary.get("growth"))
				.append(", largest growth ")
				.append(summary.get("max_growth"))
				.append(", tolerance ")
				.append(summary.get("tolerance"))
				.append("); 500,000 events at ")
				.append(summary.get("latency"))
				.append(" on average; RSS at the end ")
				.append(summary.get("rss"))
				.append(".\n\n");
		}
	}

	// ---- JMH ----

	private static void jmhSection(StringBuilder md, Path csv) throws IOException {
		md.append("## JMH (`-prof gc`)\n\n");
		if (!Files.exists(csv)) {
			md.append("(no JMH results)\n\n");
			return;
		}
		List<List<String>> rows = new ArrayList<>();
		for (String line : Files.readAllLines(csv, StandardCharsets.UTF_8)) {
			if (!line.isBlank()) {
				rows.add(parseCsv(line));
			}
		}
		if (rows.isEmpty()) {
			md.append("(no JMH results)\n\n");
			return;
		}
		List<String> header = rows.get(0);
		int paramsFrom = 7;
		Map<String, List<String>> primary = new LinkedHashMap<>();
		Map<String, Map<String, List<String>>> secondary = new LinkedHashMap<>();
		for (List<String> row : rows.subList(1, rows.size())) {
			String name = row.get(0);
			StringBuilder params = new StringBuilder();
			for (int i = paramsFrom; i < row.size() && i < header.size(); i++) {
				if (!row.get(i).isEmpty()) {
					params.append(header.get(i).replace("Param: ", "")).append('=').append(row.get(i)).append(' ');
				}
			}
			int colon = name.indexOf(':');
			String bench = (colon > 0) ? name.substring(0, colon) : name;
			String key = bench + " " + params.toString().trim();
			if (colon > 0) {
				secondary.computeIfAbsent(key, (k) -> new LinkedHashMap<>()).put(name.substring(colon + 1), row);
			}
			else {
				primary.put(key, row);
			}
		}
		md.append("Fork 1; short iterations (see JMH options above), so errors are wide. ")
			.append("`gc.alloc.rate.norm` = bytes allocated per operation by all threads (JMH uses ")
			.append("`getTotalThreadAllocatedBytes`, which includes the bus's virtual threads).\n\n");
		md.append(
				"| benchmark | params | threads | score | ± error (99.9%) | unit | gc.alloc.rate.norm | gc.count |\n");
		md.append("|---|---|---|---|---|---|---|---|\n");
		for (Map.Entry<String, List<String>> entry : primary.entrySet()) {
			List<String> row = entry.getValue();
			String name = row.get(0).replace("io.bubus.benchmarks.", "");
			String params = entry.getKey().substring(row.get(0).length()).trim();
			Map<String, List<String>> extra = secondary.getOrDefault(entry.getKey(), Map.of());
			List<String> alloc = extra.get("gc.alloc.rate.norm");
			List<String> count = extra.get("gc.count");
			md.append("| ")
				.append(name)
				.append(" | ")
				.append(params)
				.append(" | ")
				.append(row.get(2))
				.append(" | ")
				.append(number(row.get(4)))
				.append(" | ")
				.append(number(row.get(5)))
				.append(" | ")
				.append(row.get(6))
				.append(" | ")
				.append((alloc != null) ? number(alloc.get(4)) + " " + alloc.get(6) : "")
				.append(" | ")
				.append((count != null) ? count(count.get(4)) : "")
				.append(" |\n");
		}
		md.append('\n');
	}

	private static String number(String text) {
		try {
			double value = Double.parseDouble(text);
			if (Double.isNaN(value)) {
				return "NaN";
			}
			if (Math.abs(value) >= 100) {
				return String.format(Locale.ROOT, "%,.0f", value);
			}
			return String.format(Locale.ROOT, "%.3f", value);
		}
		catch (NumberFormatException ex) {
			return text;
		}
	}

	private static String count(String text) {
		try {
			return String.valueOf(Math.round(Double.parseDouble(text)));
		}
		catch (NumberFormatException ex) {
			return text;
		}
	}

	static List<String> parseCsv(String line) {
		List<String> fields = new ArrayList<>();
		StringBuilder field = new StringBuilder();
		boolean quoted = false;
		for (int i = 0; i < line.length(); i++) {
			char c = line.charAt(i);
			if (quoted) {
				if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
					field.append('"');
					i++;
				}
				else if (c == '"') {
					quoted = false;
				}
				else {
					field.append(c);
				}
			}
			else if (c == '"') {
				quoted = true;
			}
			else if (c == ',') {
				fields.add(field.toString());
				field.setLength(0);
			}
			else {
				field.append(c);
			}
		}
		fields.add(field.toString());
		return fields;
	}

	// ---- notes and raw output ----

	private static void notesSection(StringBuilder md, Map<String, String> machine) {
		md.append("## How the numbers were taken\n\n");
		md.append("- Same counts, history limits, batch sizes and divisors as §7.2. S1 creates each event inside ")
			.append("the timed loop (the TS harness emits empty events; Python pre-builds them).\n");
		md.append("- Every bus uses the builder defaults apart from the history settings of §7.2 (60 s event ")
			.append("timeout, 30 s slow-handler warning, handler file-path detection on) and no middlewares. ")
			.append("S3 and S4 also set `maxHistoryDrop(true)`: with the Java default (reject when full) a ")
			.append("history of 128 would reject S4's 129th event.\n");
		md.append("- Trim to 1: the Java bus has no runtime setter for its history limit, so the trim emits ")
			.append("the trim event, awaits it, waits until idle and stops the bus with `clear=true` ")
			.append("(every reference harness stops the bus right after its trim). S1 times the trim, as in §7.1.\n");
		md.append("- Memory: a baseline at the start of the timed part, then samples at the §7.2 points plus a ")
			.append("background sample every 10 ms; the peak is kept. For a JVM, peak RSS and peak heap mostly ")
			.append("show how far the young generation grew before a collection (allocation rate × GC ")
			.append("policy), not what the bus retains; retention is what \"heap Δ after GC\" and S6 measure.\n");
		md.append("- No SLF4J provider is on the class path, so logging is the NOP logger.\n");
		md.append("- S5's child timeout is 100 ns (1e-7 s); a running child handler is aborted ")
			.append("(`EventHandlerAbortedException`), a pending one cancelled.\n\n");
	}

	private static void rawSection(StringBuilder md, Path dir) throws IOException {
		md.append("## Raw harness output\n\n```\n");
		for (int i = 1; i <= 6; i++) {
			Path file = dir.resolve("s" + i + ".txt");
			if (Files.exists(file)) {
				for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
					if (line.startsWith("[java]") || line.startsWith("[run.sh]") || line.startsWith("  ")) {
						md.append(line).append('\n');
					}
				}
			}
		}
		md.append("```\n");
	}

}
