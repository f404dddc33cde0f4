package io.bubus.middleware;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.bubus.json.BubusJson;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** Reads a WAL file in tests: the parsed lines, skipping torn ones. */
final class WalLines {

	private WalLines() {
	}

	static List<JsonNode> all(Path wal) throws IOException {
		List<JsonNode> lines = new ArrayList<>();
		if (!Files.exists(wal)) {
			return lines;
		}
		for (String text : Files.readAllLines(wal)) {
			try {
				if (!text.isBlank()) {
					lines.add(BubusJson.MAPPER.readTree(text));
				}
			}
			catch (JacksonException ex) {
				// a line torn by a killed process
			}
		}
		return lines;
	}

	static List<JsonNode> withStatus(Path wal, String status) throws IOException {
		return all(wal).stream().filter((line) -> status.equals(line.path("event_status").asString())).toList();
	}

	static List<String> ids(List<JsonNode> lines) {
		return lines.stream().map((line) -> line.path("event_id").asString()).toList();
	}

}
