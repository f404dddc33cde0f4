package io.bubus.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

	private static final Pattern LINE = Pattern.compile("^\\[java\\] ([^:]+): (.*)$");

	/** The bubus-ts reference run of spec/integrations §7.4 (Node 20, 2-core VM). */
	private static final String[][] REFERENCE = {
			{ "S1", "50k events", "0.101 ms/event", "1.758", "2.253", "9,929 ev/s, heap Δ after GC 0.000 MB" },
			{ "S2", "500 buses x 100 events", "0.108 ms/event", "0.478", "0.837", "9,266 ev/s, Δ 0.127 MB" },
			{ "S3", "1 event x 50k parallel handlers", "0.080 ms/handler", "≈10.4 /handler", "≈10.5 /handler",
					"3.98 s total" },
			{ "S4", "50k one-off handlers over 50k events", "0.134 ms/event", "0.910", "1.368", "7,469 ev/s" },
			{ "S5", "worst-case forwarding + timeouts", "0.402 ms/event", "7.197", "12.704",
					"timeouts=0, cancels=12" }, };

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
			.append("Scenarios as in spec/integrations §7; one scenario per JVM after the TS warm-up; ")
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
		md.append("Units as in §7: ms and kb per event (S3: per handler, both divided by 50,000). ")
			.append("`peak_*` = max(0, peak − baseline) / 1024 / units; heap = `MemoryMXBean` heap in use, ")
			.append("rss = `/proc/self/status` VmRSS. heap Δ after GC = TS leak check (min of 24 full GCs after ")
			.append("the run − min of 8 before). The reference is the bubus-ts run of §7.4 (Node 20 via tsx on a ")
			.append("2-core Linux VM); compare against it, not against the published M4 numbers.\n\n");
		md.append("| | scenario | Java latency | Java peak_heap kb | Java peak_rss kb | Java throughput | ")
			.append("heap Δ after GC | checks | bubus-ts latency | ts peak_heap kb | ts peak_rss kb | ts other | ")
			.append("Java vs ts time |\n");
		md.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
		for (int i = 0; i < REFERENCE.length; i++) {
			String[] ref = REFERENCE[i];
			Path file = dir.resolve("s" + (i + 1) + ".txt");
			List<Map<String, String>> mains = new ArrayList<>();
			List<Map<String, String>> leaks = new ArrayList<>();
			int stalls = 0;
			if (Files.exists(file)) {
				for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
					if (line.startsWith("[java] STALL: released")) {
						stalls++;
					}
					Matcher m = LINE.matcher(line);
					if (m.matches()) {
						Map<String, String> values = tokens(m.group(2));
						if (values.containsKey("latency")) {
							mains.add(values);
							leaks.add(null);
						}
						else if (values.containsKey("heap_delta_after_gc") && !leaks.isEmpty()) {
							leaks.set(leaks.size() - 1, values);
						}
					}
				}
			}
			// several runs (REPEAT in run.sh): the median-latency run stands for all
			int median = medianRun(mains);
			Map<String, String> main = (median >= 0) ? mains.get(median) : null;
			Map<String, String> leak = (median >= 0) ? leaks.get(median) : null;
			if (main != null && mains.size() > 1) {
				main.put("runs",
						mains.size() + " runs, median of " + String.join(" / ",
								mains.stream().map((run) -> run.get("latency").replaceAll("ms/.*", "")).toList())
								+ " ms");
			}
			md.append("| ").append(ref[0]).append(" | ").append(ref[1]).append(" | ");
			if (main != null && stalls > 0) {
				main.put("stalls", String.valueOf(stalls));
			}
			if (main == null) {
				md.append("(no result) | | | | | | ");
			}
			else {
				md.append(main.get("latency").replace("ms/", " ms/")).append(" | ");
				md.append(strip(main.get("peak_heap"))).append(" | ");
				md.append(strip(main.get("peak_rss"))).append(" | ");
				md.append(main.get("throughput")).append(" | ");
				md.append((leak != null) ? leak.get("heap_delta_after_gc").replace("mb", " MB") : "?").append(" | ");
				md.append("yes".equals(main.get("ok")) ? "ok" : "**FAILED**")
					.append(scenarioNote(ref[0], main))
					.append(" | ");
			}
			md.append(ref[2])
				.append(" | ")
				.append(ref[3])
				.append(" | ")
				.append(ref[4])
				.append(" | ")
				.append(ref[5])
				.append(" | ");
			md.append((main != null) ? ratio(main.get("latency"), ref[2]) : "").append(" |\n");
		}
		md.append('\n');
	}

	/** Index of the run with the median latency (the lower middle one), or -1. */
	static int medianRun(List<Map<String, String>> runs) {
		if (runs.isEmpty()) {
			return -1;
		}
		List<Integer> order = new ArrayList<>();
		for (int i = 0; i < runs.size(); i++) {
			order.add(i);
		}
		order.sort(Comparator.comparingDouble((Integer i) -> {
			Double value = leadingNumber(runs.get(i).get("latency"));
			return (value != null) ? value : Double.MAX_VALUE;
		}));
		return order.get((runs.size() - 1) / 2);
	}

	private static String scenarioNote(String id, Map<String, String> main) {
		List<String> notes = new ArrayList<>();
		if (main.containsKey("runs")) {
			notes.add(main.get("runs"));
		}
		switch (id) {
			case "S2" -> notes.add("buses alive after GC " + main.getOrDefault("buses_alive_after_gc", "?"));
			case "S3" -> notes.add("registering 50k handlers " + main.getOrDefault("register_ms", "?") + " ms");
			case "S5" -> {
				notes.add("timeouts=" + main.getOrDefault("timeouts", "?") + ", aborts="
						+ main.getOrDefault("aborts", "?") + ", cancels=" + main.getOrDefault("cancels", "?"));
				notes.add("slowest iteration " + main.getOrDefault("slowest_iteration_ms", "?") + " ms");
				notes.add("history A/B/C after idle " + main.getOrDefault("history_abc", "?") + " (limit 128)");
				notes.add("parent already done on A before the emit to B: "
						+ main.getOrDefault("parent_done_before_b_emit", "?") + "x");
			}
			default -> {
			}
		}
		if (main.containsKey("stalls")) {
			notes.add("**" + main.get("stalls") + " stall(s) of 10 s or more, see the raw output**");
		}
		if (main.containsKey("error")) {
			notes.add("error " + main.get("error"));
		}
		return notes.isEmpty() ? "" : " (" + String.join("; ", notes) + ")";
	}

	private static String strip(@Nullable String value) {
		if (value == null) {
			return "?";
		}
		int kb = value.indexOf("kb/");
		return (kb > 0) ? value.substring(0, kb) : value;
	}

	/** "3.4× faster" from {@code 0.030ms/event} and {@code 0.101 ms/event}. */
	private static String ratio(@Nullable String java, String reference) {
		Double j = leadingNumber(java);
		Double r = leadingNumber(reference);
		if (j == null || r == null || j <= 0) {
			return "";
		}
		double factor = r / j;
		return (factor >= 1) ? String.format(Locale.ROOT, "%.1f× faster", factor)
				: String.format(Locale.ROOT, "%.1f× slower", 1 / factor);
	}

	private static @Nullable Double leadingNumber(@Nullable String text) {
		if (text == null) {
			return null;
		}
		Matcher m = Pattern.compile("^[≈]?([0-9]+(?:\\.[0-9]+)?)").matcher(text.trim());
		return m.find() ? Double.valueOf(m.group(1)) : null;
	}

	static Map<String, String> tokens(String text) {
		Map<String, String> values = new LinkedHashMap<>();
		for (String token : text.trim().split("\\s+")) {
			int eq = token.indexOf('=');
			if (eq > 0) {
				values.put(token.substring(0, eq), token.substring(eq + 1));
			}
		}
		return values;
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
			Matcher m = LINE.matcher(line);
			if (m.matches()) {
				Map<String, String> values = tokens(m.group(2));
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
					if (line.startsWith("[java]") || line.startsWith("  ")) {
						md.append(line).append('\n');
					}
				}
			}
		}
		md.append("```\n");
	}

}
