package io.bubus.spring.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

/**
 * Reports a startup that failed on the starter's configuration as Boot's "APPLICATION
 * FAILED TO START" description and action, instead of a stack trace: a
 * {@link BubusConfigurationException}, or an {@link IllegalStateException} /
 * {@link IllegalArgumentException} of the starter whose message starts with the
 * {@code bubus.} property it is about (the bridge settings report their errors that way).
 * Registered in {@code META-INF/spring.factories}. Malformed values that Boot's binder
 * rejects (an unknown enum constant, a duration that does not parse) are reported by
 * Boot's own binding analyzer.
 *
 * @author bubus-java
 * @since 0.1.0
 */
public class BubusConfigurationFailureAnalyzer implements FailureAnalyzer {

	@Override
	public @Nullable FailureAnalysis analyze(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof BubusConfigurationException bubus) {
				return analysis(bubus.origin(), bubus.problem(), bubus.action(), bubus);
			}
		}
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			String message = cause.getMessage();
			if ((cause instanceof IllegalStateException || cause instanceof IllegalArgumentException) && message != null
					&& message.startsWith("bubus.")) {
				int end = propertyEnd(message);
				String property = message.substring(0, end);
				String problem = message.substring(end).replaceFirst("^[:\\s]+", "");
				return analysis(property, problem.isEmpty() ? message : problem,
						"Correct " + property + " in the application's configuration.", cause);
			}
		}
		return null;
	}

	private static int propertyEnd(String message) {
		int end = 0;
		while (end < message.length() && (Character.isLetterOrDigit(message.charAt(end)) || message.charAt(end) == '.'
				|| message.charAt(end) == '-' || message.charAt(end) == '_')) {
			end++;
		}
		return (end > 0 && message.charAt(end - 1) == '.') ? end - 1 : end;
	}

	private static FailureAnalysis analysis(String origin, String problem, String action, Throwable cause) {
		String description = "The bubus configuration is invalid:%n%n    Setting: %s%n    Problem: %s%n"
			.formatted(origin, problem);
		return new FailureAnalysis(description, action, cause);
	}

}
