package io.bubus.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.assertj.core.api.WritableAssertionInfo;
import org.opentest4j.AssertionFailedError;

/**
 * Compares a tree, normalised, with a golden file. A missing file is written and the
 * assertion fails once, so a reviewer looks at it before it is committed; with the system
 * property {@value #UPDATE} set to {@code true} every compared file is rewritten instead.
 */
final class GoldenFile {

	/** The system property that rewrites golden files instead of comparing them. */
	static final String UPDATE = "bubus.golden.update";

	private GoldenFile() {
	}

	static void compare(WritableAssertionInfo info, Path golden, String tree) {
		String actual = EventTree.normalise(tree) + "\n";
		if (Boolean.getBoolean(UPDATE)) {
			write(golden, actual);
			return;
		}
		if (!Files.exists(golden)) {
			write(golden, actual);
			throw new AssertionFailedError(prefix(info) + "Golden file " + golden
					+ " did not exist; wrote the current tree to it. Review it, commit it and run again:\n" + actual);
		}
		String expected = read(golden);
		if (!EventTree.normalise(expected).equals(EventTree.normalise(actual))) {
			throw new AssertionFailedError(
					prefix(info) + "Tree differs from golden file " + golden + " (ids and times normalised; run with -D"
							+ UPDATE + "=true to rewrite it)." + "\nExpected:\n" + expected + "Actual:\n" + actual,
					expected, actual);
		}
	}

	private static String prefix(WritableAssertionInfo info) {
		String description = info.descriptionText();
		return (description == null || description.isEmpty()) ? "" : "[" + description + "] ";
	}

	private static String read(Path golden) {
		try {
			return Files.readString(golden, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read golden file " + golden, ex);
		}
	}

	private static void write(Path golden, String text) {
		try {
			Path parent = golden.toAbsolutePath().getParent();
			if (parent != null) {
				Files.createDirectories(parent);
			}
			Files.writeString(golden, text, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write golden file " + golden, ex);
		}
	}

}
