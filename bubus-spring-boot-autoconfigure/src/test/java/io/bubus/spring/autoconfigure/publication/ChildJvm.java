package io.bubus.spring.autoconfigure.publication;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

import static org.awaitility.Awaitility.await;

/**
 * A {@link PublicationChildApp} in a JVM of its own, on this JVM's class path; its output
 * goes to {@code <mode>-<n>.out} in the work directory, and a wait that fails shows its
 * last lines.
 */
final class ChildJvm implements AutoCloseable {

	private final Process process;

	private final Path output;

	private final Path ready;

	private ChildJvm(Process process, Path output, Path ready) {
		this.process = process;
		this.output = output;
		this.ready = ready;
	}

	static ChildJvm start(String mode, Path dir, String... properties) throws IOException {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.add("-Xmx256m");
		command.add("-XX:TieredStopAtLevel=1");
		command.add("-cp");
		command.add(System.getProperty("java.class.path"));
		command.add(PublicationChildApp.class.getName());
		command.add(mode);
		command.add(dir.toString());
		command.add("--spring.main.banner-mode=off");
		command.add("--spring.main.web-application-type=none");
		command.addAll(List.of(properties));
		Path output = dir.resolve(mode + "-" + System.nanoTime() + ".out");
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
		return new ChildJvm(process, output, dir.resolve(PublicationChildApp.readyMarker(mode, properties)));
	}

	/** Waits until the child's application context has started. */
	void awaitReady(Duration timeout) {
		awaitFile(this.ready, timeout);
	}

	/** Waits for a marker file the child writes; fails with the child's output. */
	void awaitFile(Path file, Duration timeout) {
		try {
			await().atMost(timeout)
				.pollInterval(Duration.ofMillis(50))
				.failFast(() -> !this.process.isAlive() && !Files.exists(file))
				.until(() -> Files.exists(file));
		}
		catch (ConditionTimeoutException | TerminalFailureException ex) {
			throw new AssertionError("child JVM " + (this.process.isAlive() ? "running" : "exited") + ", no "
					+ file.getFileName() + " within " + timeout + "; its output ends:\n" + outputTail(), ex);
		}
	}

	/** kill -9: the JVM ends at once, no shutdown hook runs. */
	void kill() throws Exception {
		Process kill = new ProcessBuilder("kill", "-9", Long.toString(this.process.pid())).inheritIO().start();
		if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
			throw new IllegalStateException("kill -9 " + this.process.pid() + " failed");
		}
		if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
			throw new IllegalStateException("child JVM " + this.process.pid() + " survived kill -9");
		}
	}

	String outputTail() {
		try {
			List<String> lines = Files.readAllLines(this.output);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
		}
		catch (IOException ex) {
			return "(no output: " + ex.getMessage() + ")";
		}
	}

	@Override
	public void close() throws InterruptedException {
		this.process.destroy();
		if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
			this.process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
		}
	}

}
