package io.bubus.internal;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks the names bridges put into SQL, channels and subjects, so that no name needs
 * quoting rules of its own and none can inject anything, and reads the URLs bridges are
 * given.
 */
public final class BridgeNames {

	private static final Pattern IDENTIFIER = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*$");

	private static final Pattern SUBJECT = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z0-9_]+)*$");

	private BridgeNames() {
	}

	/** The name, if it matches {@code ^[A-Za-z_][A-Za-z0-9_]*$}. */
	public static String identifier(String label, String name) {
		if (!IDENTIFIER.matcher(name).matches()) {
			throw new IllegalArgumentException(
					"Invalid " + label + ": '" + name + "'. Use only [A-Za-z0-9_] and start with a letter/_");
		}
		return name;
	}

	/** The name, if it is identifier-like tokens separated by single dots. */
	public static String subject(String label, String name) {
		if (!SUBJECT.matcher(name).matches()) {
			throw new IllegalArgumentException("Invalid " + label + ": '" + name
					+ "'. Use only [A-Za-z0-9_] and start with a letter/_ (tokens may be separated by '.')");
		}
		return name;
	}

	/** At most {@code max} characters (Postgres truncates identifiers to 63). */
	public static String truncate(String name, int max) {
		return (name.length() <= max) ? name : name.substring(0, max);
	}

	/**
	 * The URL, if its scheme is one of {@code schemes}; otherwise an error reading
	 * {@code "<expectation>, got <url>"}.
	 */
	public static URI url(String url, String expectation, String... schemes) {
		URI parsed = URI.create(url);
		if (!Arrays.asList(schemes).contains(parsed.getScheme())) {
			throw new IllegalArgumentException(expectation + ", got " + url);
		}
		return parsed;
	}

	/**
	 * The non-empty segments of the URL's path: {@code [db, table]} for
	 * {@code /db/table}.
	 */
	public static List<String> pathSegments(URI url) {
		return Arrays.stream(String.valueOf(url.getRawPath()).split("/"))
			.filter((segment) -> !segment.isEmpty())
			.toList();
	}

}
