package io.bubus.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A reference implementation the tests run as a separate process: its peer script
 * ({@code src/test/peers}) drives the implementation's own bus and bridge classes.
 */
enum Peer {

	/** Python bubus 2.3.2 ({@code peer.py} in the venv made by install-peers.sh). */
	PYTHON("Python"),

	/** bubus-ts 2.3.2 ({@code peer.mts} on Node 22+, compiled by tsx). */
	TS("TS");

	private final String label;

	Peer(String label) {
		this.label = label;
	}

	/** Starts the peer's script with this configuration (one JSON argument). */
	PeerProcess start(String configJson) {
		Map<String, String> env = installed();
		Path scripts = Path.of(System.getProperty("interop.scripts.dir", "src/test/peers"));
		ProcessBuilder builder;
		if (this == PYTHON) {
			builder = new ProcessBuilder(env.get("PYTHON"), "-u", scripts.resolve("peer.py").toString(), configJson);
		}
		else {
			builder = new ProcessBuilder(env.get("NODE"), "--no-warnings", "--import", "tsx",
					scripts.resolve("peer.mts").toString(), configJson);
			// tsx is resolved from bubus-ts's own node_modules
			builder.directory(Path.of(env.get("BUBUS_TS_DIR")).toFile());
			builder.environment().put("BUBUS_TS_SRC", env.get("BUBUS_TS_SRC"));
		}
		builder.environment().put("PYTHONUNBUFFERED", "1");
		return PeerProcess.start(this.label, builder);
	}

	@Override
	public String toString() {
		return this.label;
	}

	/** NODE, PYTHON, BUBUS_TS_SRC, BUBUS_TS_DIR as install-peers.sh wrote them. */
	private static Map<String, String> installed() {
		Path env = Path.of(System.getProperty("interop.peers.dir", "target/peers"), "env");
		try {
			Map<String, String> values = new HashMap<>();
			for (String line : Files.readAllLines(env)) {
				int equals = line.indexOf('=');
				if (equals > 0) {
					values.put(line.substring(0, equals), line.substring(equals + 1));
				}
			}
			for (String key : List.of("NODE", "PYTHON", "BUBUS_TS_SRC", "BUBUS_TS_DIR")) {
				if (!values.containsKey(key)) {
					throw new IllegalStateException(
							env + " has no " + key + "; run bubus-interop-tests/install-peers.sh");
				}
			}
			return values;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(
					"peers are not installed (" + env + "); run ./mvnw verify -Pinterop -pl bubus-interop-tests -am",
					ex);
		}
	}

}
