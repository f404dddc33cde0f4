package io.bubus.interop;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.bubus.json.BubusJson;
import tools.jackson.databind.JsonNode;

/**
 * A running peer script: its stdout is read as one JSON object per line; every wait is
 * bounded, and a peer that reports {@code error}, exits early or stays silent fails the
 * test with its own output.
 */
final class PeerProcess implements AutoCloseable {

	private static final JsonNode EXITED = BubusJson.MAPPER.createObjectNode().put("exited", true);

	private final String label;

	private final Process process;

	private final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();

	private final StringBuffer stderr = new StringBuffer();

	private final StringBuffer stdout = new StringBuffer();

	private PeerProcess(String label, Process process) {
		this.label = label;
		this.process = process;
		Thread.ofPlatform().daemon().name("peer-stdout-" + label).start(() -> readLines(process.getInputStream()));
		Thread.ofPlatform().daemon().name("peer-stderr-" + label).start(() -> drain(process.getErrorStream()));
	}

	static PeerProcess start(String label, ProcessBuilder builder) {
		try {
			return new PeerProcess(label, builder.start());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("could not start the " + label + " peer: " + builder.command(), ex);
		}
	}

	/**
	 * The value under this key of the next message that has it, within the timeout
	 * (messages before it are skipped).
	 */
	JsonNode await(String key, Duration timeout) {
		return awaitMessage(key, timeout).get(key);
	}

	/**
	 * The next message that has this key, within the timeout (messages before it are
	 * skipped).
	 */
	JsonNode awaitMessage(String key, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			JsonNode message = next(deadline);
			if (message == null) {
				throw new AssertionError(
						"the " + this.label + " peer sent no \"" + key + "\" within " + timeout + output());
			}
			if (message.has("error")) {
				throw new AssertionError(
						"the " + this.label + " peer failed: " + message.get("error").asString() + output());
			}
			if (message == EXITED) {
				throw new AssertionError(
						"the " + this.label + " peer exited (" + exitCode() + ") before \"" + key + "\"" + output());
			}
			if (message.has(key)) {
				return message;
			}
		}
	}

	/** The error the peer reports next, within the timeout. */
	String awaitError(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			JsonNode message = next(deadline);
			if (message == null || message == EXITED) {
				throw new AssertionError("the " + this.label + " peer reported no error" + output());
			}
			if (message.has("error")) {
				return message.get("error").asString();
			}
		}
	}

	/**
	 * The next message before the deadline ({@link System#nanoTime()}), or {@code null}.
	 */
	private JsonNode next(long deadline) {
		try {
			return this.messages.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted waiting for the " + this.label + " peer", ex);
		}
	}

	/** Waits for the peer to exit with status 0. */
	void awaitSuccess(Duration timeout) {
		try {
			if (!this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				throw new AssertionError("the " + this.label + " peer did not exit within " + timeout + output());
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		if (this.process.exitValue() != 0) {
			throw new AssertionError("the " + this.label + " peer exited with " + this.process.exitValue() + output());
		}
	}

	@Override
	public void close() {
		if (this.process.isAlive()) {
			this.process.destroy();
			try {
				if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
					this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private String exitCode() {
		return this.process.isAlive() ? "running" : "status " + this.process.exitValue();
	}

	private String output() {
		return "\n--- " + this.label + " stdout ---\n" + tail(this.stdout) + "\n--- " + this.label + " stderr ---\n"
				+ tail(this.stderr);
	}

	private static String tail(StringBuffer buffer) {
		int length = buffer.length();
		return (length > 6000) ? "..." + buffer.substring(length - 6000) : buffer.toString();
	}

	private void readLines(InputStream in) {
		try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				this.stdout.append(line).append('\n');
				String trimmed = line.strip();
				if (trimmed.startsWith("{")) {
					try {
						this.messages.add(BubusJson.MAPPER.readTree(trimmed));
					}
					catch (RuntimeException ex) {
						// not a message: kept in the output shown on failure
					}
				}
			}
		}
		catch (IOException ex) {
			this.stderr.append("[reading stdout failed: ").append(ex).append("]\n");
		}
		finally {
			this.messages.add(EXITED);
		}
	}

	private void drain(InputStream in) {
		try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				this.stderr.append(line).append('\n');
			}
		}
		catch (IOException ex) {
			this.stderr.append("[reading stderr failed: ").append(ex).append("]\n");
		}
	}

}
