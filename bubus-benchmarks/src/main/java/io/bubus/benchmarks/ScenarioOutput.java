package io.bubus.benchmarks;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * One scenario's raw output as {@code run.sh} collects it ({@code s1.txt} ..
 * {@code s5.txt}): the JVMs in order, each with its runs and its
 * {@code heap_delta_after_gc} line, plus stall reports and non-zero exits.
 * <p>
 * A result line with {@code run=1}, or without {@code run=} (one run per JVM, as
 * {@link Scenarios} prints it with {@code --runs=1} and as files from before
 * {@code --runs} hold it), starts a new JVM; {@code run=2} and later belong to the JVM
 * before them. Run 1 of each JVM is the cold number; runs 3..N (N = the most runs any JVM
 * printed) are the warm ones, or run N alone when N is 2.
 */
final class ScenarioOutput {

	/** A harness line: {@code [java] <scenario>: key=value ...}. */
	static final Pattern LINE = Pattern.compile("^\\[java\\] ([^:]+): (.*)$");

	private static final Pattern EXIT = Pattern.compile("^\\[run\\.sh\\] [^:]+: exit=(\\d+)$");

	private static final Pattern NUMBER = Pattern.compile("^[≈]?([0-9]+(?:\\.[0-9]+)?)");

	/** The first run counted as warm when a JVM runs the scenario three times or more. */
	static final int FIRST_WARM_RUN = 3;

	private final List<Jvm> jvms = new ArrayList<>();

	private final List<Integer> exits = new ArrayList<>();

	private int stalls;

	private ScenarioOutput() {
	}

	/** One result line. */
	record Run(int jvm, int run, Map<String, String> values, String line) {

		boolean ok() {
			return "yes".equals(this.values.get("ok"));
		}

		/**
		 * Milliseconds per unit from {@code total} ÷ units ({@code handlers} for S3, else
		 * {@code events}), more precise than the printed 3 decimals; the printed
		 * {@code latency} when those are missing.
		 */
		@Nullable Double latency() {
			Double total = leadingNumber(this.values.get("total"));
			Double units = leadingNumber(this.values.getOrDefault("handlers", this.values.get("events")));
			if (total != null && units != null && units > 0) {
				return total / units;
			}
			return leadingNumber(this.values.get("latency"));
		}

		/** {@code event} or {@code handler}, from the printed latency. */
		String unit() {
			String latency = this.values.getOrDefault("latency", "");
			int slash = latency.indexOf("ms/");
			return (slash >= 0) ? latency.substring(slash + 3) : "event";
		}

	}

	/**
	 * One JVM: its runs in the order printed and its leak-check line, if it got there.
	 */
	static final class Jvm {

		final List<Run> runs = new ArrayList<>();

		@Nullable Map<String, String> leak;

	}

	/** Parses the lines of one scenario file. */
	static ScenarioOutput parse(List<String> lines) {
		ScenarioOutput output = new ScenarioOutput();
		Jvm current = null;
		for (String line : lines) {
			if (line.startsWith("[java] STALL:")) {
				output.stalls++;
				continue;
			}
			Matcher exit = EXIT.matcher(line);
			if (exit.matches()) {
				output.exits.add(Integer.valueOf(exit.group(1)));
				current = null;
				continue;
			}
			Matcher m = LINE.matcher(line);
			if (!m.matches()) {
				continue;
			}
			Map<String, String> values = tokens(m.group(2));
			if (values.containsKey("latency")) {
				int run = runNumber(values.get("run"));
				if (run == 1 || current == null || current.leak != null) {
					current = new Jvm();
					output.jvms.add(current);
				}
				current.runs.add(new Run(output.jvms.size(), run, values, line));
			}
			else if (values.containsKey("heap_delta_after_gc") && current != null) {
				current.leak = values;
			}
		}
		return output;
	}

	private static int runNumber(@Nullable String text) {
		if (text == null) {
			return 1;
		}
		try {
			return Integer.parseInt(text);
		}
		catch (NumberFormatException ex) {
			return 1;
		}
	}

	List<Jvm> jvms() {
		return this.jvms;
	}

	/** Exit statuses other than 0 that run.sh recorded for this scenario's JVMs. */
	List<Integer> exits() {
		return this.exits;
	}

	/** Stall reports ({@code [java] STALL:} lines) of the S5 watchdog. */
	int stalls() {
		return this.stalls;
	}

	/**
	 * N: the most runs one JVM printed (1 for output without {@code run=}, 0 for none).
	 */
	int runsPerJvm() {
		int most = 0;
		for (Jvm jvm : this.jvms) {
			for (Run run : jvm.runs) {
				most = Math.max(most, run.run());
			}
		}
		return most;
	}

	/** Run 1 of every JVM. */
	List<Run> cold() {
		return select(1, 1);
	}

	/** Runs 3..N of every JVM, run 2 when N is 2, none when N is 1. */
	List<Run> warm() {
		int n = runsPerJvm();
		if (n < 2) {
			return List.of();
		}
		return select(Math.min(FIRST_WARM_RUN, n), n);
	}

	/** Which runs {@link #warm()} takes, for the table notes. */
	String warmRuns() {
		int n = runsPerJvm();
		if (n < 2) {
			return "no warm runs (one run per JVM)";
		}
		if (n < FIRST_WARM_RUN) {
			return "run " + n + " of every JVM (the last run: only " + n + " runs per JVM)";
		}
		return ((n == FIRST_WARM_RUN) ? "run " + n : "runs " + FIRST_WARM_RUN + "–" + n) + " of every JVM";
	}

	/** Every run whose checks failed ({@code ok=no}), in the order printed. */
	List<Run> failed() {
		List<Run> failed = new ArrayList<>();
		for (Jvm jvm : this.jvms) {
			jvm.runs.stream().filter((run) -> !run.ok()).forEach(failed::add);
		}
		return failed;
	}

	int runCount() {
		return this.jvms.stream().mapToInt((jvm) -> jvm.runs.size()).sum();
	}

	/** The leak-check line of the JVM that printed the run. */
	@Nullable Map<String, String> leak(Run run) {
		return this.jvms.get(run.jvm() - 1).leak;
	}

	private List<Run> select(int from, int to) {
		List<Run> selected = new ArrayList<>();
		for (Jvm jvm : this.jvms) {
			jvm.runs.stream().filter((run) -> run.run() >= from && run.run() <= to).forEach(selected::add);
		}
		return selected;
	}

	/**
	 * The run with the median latency (the lower middle one) among the runs whose checks
	 * passed; null when none did.
	 */
	static @Nullable Run median(List<Run> runs) {
		List<Run> ok = new ArrayList<>(runs.stream().filter(Run::ok).filter((run) -> run.latency() != null).toList());
		if (ok.isEmpty()) {
			return null;
		}
		ok.sort(Comparator.comparingDouble((Run run) -> run.latency()));
		return ok.get((ok.size() - 1) / 2);
	}

	static @Nullable Double leadingNumber(@Nullable String text) {
		if (text == null) {
			return null;
		}
		Matcher m = NUMBER.matcher(text.trim());
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

}
