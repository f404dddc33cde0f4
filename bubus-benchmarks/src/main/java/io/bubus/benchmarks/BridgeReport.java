package io.bubus.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * The bridge section of {@code RESULTS.md}, from what {@code run.sh} collected:
 * {@code bridges.txt} ({@link BridgeThroughput} output) and {@code bridges-machine.txt}
 * ({@code key=value} lines about the machine during that run).
 * <p>
 * {@code java -cp ... io.bubus.benchmarks.BridgeReport <results dir> <RESULTS.md>}
 * replaces only that section of an existing {@code RESULTS.md} (run.sh does this with
 * {@code BRIDGES_ONLY=1}); {@link Report} renders it as part of the whole file.
 */
public final class BridgeReport {

	/** The heading that starts the section. */
	static final String HEADING = "## Bridges: end-to-end throughput over loopback";

	private static final Pattern LINE = Pattern
		.compile("^\\[bridge\\] ([^:]+): events=(\\d+) runs=\\[([^\\]]*)\\]/s median=(\\d+)/s delivered=(\\d+) "
				+ "duplicates=(\\d+) guarantee=(.*) reconnect=(.*?)(?: per-receiver=(.*))?$");

	private static final Pattern NOT_MEASURED = Pattern.compile("^\\[bridge\\] ([^:]+): not measured: (.*)$");

	private BridgeReport() {
	}

	public static void main(String[] args) throws IOException {
		if (args.length != 2) {
			System.err.println("usage: BridgeReport <results dir> <RESULTS.md>");
			System.exit(2);
		}
		Path results = Path.of(args[1]);
		String existing = Files.exists(results) ? Files.readString(results, StandardCharsets.UTF_8) : "";
		String section = section(Path.of(args[0]));
		if (section == null) {
			System.err.println("no bridges.txt in " + args[0]);
			System.exit(1);
		}
		Files.writeString(results, splice(existing, section), StandardCharsets.UTF_8);
		System.out.println("wrote the bridge section of " + results);
	}

	/** The section, or null when the directory holds no bridge results. */
	static @Nullable String section(Path dir) throws IOException {
		Path file = dir.resolve("bridges.txt");
		if (!Files.exists(file)) {
			return null;
		}
		Map<String, String> machine = new LinkedHashMap<>();
		Path machineFile = dir.resolve("bridges-machine.txt");
		if (Files.exists(machineFile)) {
			for (String line : Files.readAllLines(machineFile, StandardCharsets.UTF_8)) {
				int eq = line.indexOf('=');
				if (eq > 0) {
					machine.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
				}
			}
		}
		List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
		StringBuilder md = new StringBuilder();
		md.append(HEADING).append("\n\n");
		md.append(
				"`bubus-benchmarks/run.sh` (or `BRIDGES_ONLY=1 bubus-benchmarks/run.sh` for this section alone) runs ")
			.append("`io.bubus.benchmarks.BridgeThroughput`: bus A forwards each event to a sending bridge ")
			.append("(`busA.on(\"*\", sender::emit)`), a receiving bridge on the same transport emits it on bus B ")
			.append("(`receiver.on(\"*\", busB::emit)`), both in one JVM over loopback against the local servers. ")
			.append("Time from the first `busA.emit` until bus B's handler has seen all events; one warm-up run of ")
			.append("1,000 events, then each run with fresh bridges and a fresh file, table, channel, subject or ")
			.append("queue; the median of the runs is reported. The file bridges (JSONL, SQLite) poll every ")
			.append(BridgeThroughput.POLL.toMillis())
			.append(" ms. Bus A sends one event at a time (its forwarding handler is serial), so the synchronous ")
			.append("bridges (HTTP, socket, SQLite, PostgreSQL, Redis, RabbitMQ with its publisher confirm) are ")
			.append("bounded by one round trip per event; NATS publishes asynchronously. Rows marked ")
			.append("`(batch=N, linger=…)` run the same with the sending bridge in batched mode (`batchSends`, ")
			.append("`BRIDGE_BATCH` in run.sh): an event completes on bus A once it is queued, and one round trip ")
			.append("carries up to N events. Rows marked `→ 3 sharing` run with three receiving bridges that share ")
			.append("the work (`--receivers=3`: a PostgreSQL group, a Redis Streams consumer group, a JetStream ")
			.append("durable, competing consumers of one RabbitMQ queue, a Kafka consumer group over 6 partitions), ")
			.append("each emitting on a bus of its own; every event must be handled once in total, and the last ")
			.append("column gives how many each receiver handled in each run.\n\n");
		md.append("| | |\n|---|---|\n");
		row(md, "date", machine.getOrDefault("date", "?"));
		row(md, "commit", machine.getOrDefault("commit", "?"));
		row(md, "background CPU use (idle probes)", machine.getOrDefault("background_cpu", "?"));
		row(md, "load average (start → end)",
				machine.getOrDefault("load_start", "?") + " → " + machine.getOrDefault("load_end", "?"));
		md.append('\n');
		if ("yes".equals(machine.get("busy"))) {
			md.append("**Measured on a busy machine** (2 cores shared with other builds and test runs, see the ")
				.append("idle probes and load above): absolute rates are pessimistic and vary from run to run; ")
				.append("every run is listed so the spread shows.\n\n");
		}
		md.append("| bridge | delivery guarantee | reconnect | events | events/s (median) | runs (events/s) | ")
			.append("duplicates | handled per receiver |\n");
		md.append("|---|---|---|---|---|---|---|---|\n");
		for (String line : lines) {
			Matcher m = LINE.matcher(line);
			if (m.matches()) {
				md.append("| ")
					.append(m.group(1))
					.append(" | ")
					.append(m.group(7))
					.append(" | ")
					.append(m.group(8))
					.append(" | ")
					.append(String.format("%,d", Long.parseLong(m.group(2))))
					.append(" | **")
					.append(String.format("%,d", Long.parseLong(m.group(4))))
					.append("** | ")
					.append(m.group(3))
					.append(" | ")
					.append(m.group(6))
					.append(" | ")
					.append((m.group(9) != null) ? m.group(9) : "—")
					.append(" |\n");
				continue;
			}
			Matcher missing = NOT_MEASURED.matcher(line);
			if (missing.matches()) {
				md.append("| ")
					.append(missing.group(1))
					.append(" | ")
					.append(BridgeThroughput.guarantee(missing.group(1).split(" ")[0]))
					.append(" | ")
					.append(BridgeThroughput.reconnect(missing.group(1).split(" ")[0]))
					.append(" | — | not measured | ")
					.append(missing.group(2).replace("|", "\\|"))
					.append(" | — | — |\n");
			}
		}
		md.append('\n');
		return md.toString();
	}

	/**
	 * The results with the bridge section replaced (or inserted before the notes, or
	 * appended).
	 */
	static String splice(String existing, String section) {
		int start = existing.indexOf(HEADING);
		if (start >= 0) {
			int end = existing.indexOf("\n## ", start + HEADING.length());
			return existing.substring(0, start) + section + ((end >= 0) ? existing.substring(end + 1) : "");
		}
		int notes = existing.indexOf("## How the numbers were taken");
		if (notes >= 0) {
			return existing.substring(0, notes) + section + existing.substring(notes);
		}
		return existing + (existing.isEmpty() || existing.endsWith("\n\n") ? "" : "\n") + section;
	}

	/** The bridge section of an earlier RESULTS.md, or null. */
	static @Nullable String previous(String existing) {
		int start = existing.indexOf(HEADING);
		if (start < 0) {
			return null;
		}
		int end = existing.indexOf("\n## ", start + HEADING.length());
		return (end >= 0) ? existing.substring(start, end + 1) : existing.substring(start);
	}

	private static void row(StringBuilder md, String key, String value) {
		md.append("| ").append(key).append(" | ").append(value.replace("|", "\\|")).append(" |\n");
	}

}
