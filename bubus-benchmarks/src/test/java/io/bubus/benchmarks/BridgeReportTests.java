package io.bubus.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bridge table {@link BridgeReport} renders from {@link BridgeThroughput}'s lines:
 * one receiver, three sharing receivers with their share of the events, and a bridge that
 * was not measured.
 */
class BridgeReportTests {

	@TempDir
	Path dir;

	@Test
	void rendersOneReceiverSharingReceiversAndNotMeasuredRows() throws IOException {
		Files.write(this.dir.resolve("bridges.txt"), List.of(
				"[bridge] kafka: events=10000 runs=[900, 1000, 1100]/s median=1000/s delivered=10000 duplicates=0 "
						+ "guarantee=durable, at least once reconnect=client reconnects",
				"[bridge] kafka → 3 sharing: events=10000 runs=[800, 850, 900]/s median=850/s delivered=10000 "
						+ "duplicates=0 guarantee=durable, at least once reconnect=client reconnects "
						+ "per-receiver=[[3000, 3500, 3500], [3300, 3300, 3400], [3334, 3333, 3333]]",
				"[bridge] redis → 3 sharing: not measured: fan-out only (every receiver gets every event)"),
				StandardCharsets.UTF_8);

		String section = BridgeReport.section(this.dir);

		assertThat(section).contains(
				"| kafka | durable, at least once | client reconnects | 10,000 | **1,000** | 900, 1000, 1100 | 0 | — |");
		assertThat(section).contains("| kafka → 3 sharing | durable, at least once | client reconnects | 10,000 | "
				+ "**850** | 800, 850, 900 | 0 | [[3000, 3500, 3500], [3300, 3300, 3400], [3334, 3333, 3333]] |");
		assertThat(section).contains("| redis → 3 sharing | at most once (pub/sub) | ")
			.contains("| — | not measured | fan-out only (every receiver gets every event) | — | — |");
	}

}
