package io.bubus.bridge;

import java.util.regex.Pattern;

/**
 * Checks the names bridges put into SQL, channels and subjects, so that no name needs
 * quoting rules of its own and none can inject anything.
 */
final class BridgeNames {

	private static final Pattern IDENTIFIER = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*$");

	private static final Pattern SUBJECT = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z0-9_]+)*$");

	private BridgeNames() {
	}

	/** The name, if it matches {@code ^[A-Za-z_][A-Za-z0-9_]*$}. */
	static String identifier(String label, String name) {
		if (!IDENTIFIER.matcher(name).matches()) {
			throw new IllegalArgumentException(
					"Invalid " + label + ": '" + name + "'. Use only [A-Za-z0-9_] and start with a letter/_");
		}
		return name;
	}

	/** The name, if it is identifier-like tokens separated by single dots. */
	static String subject(String label, String name) {
		if (!SUBJECT.matcher(name).matches()) {
			throw new IllegalArgumentException("Invalid " + label + ": '" + name
					+ "'. Use only [A-Za-z0-9_] and start with a letter/_ (tokens may be separated by '.')");
		}
		return name;
	}

	/** At most {@code max} characters (Postgres truncates identifiers to 63). */
	static String truncate(String name, int max) {
		return (name.length() <= max) ? name : name.substring(0, max);
	}

}
