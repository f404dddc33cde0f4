package io.bubus.test;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import io.bubus.BaseEvent;

/** Wording shared by the failure messages of the assertions and the scenario. */
final class Failures {

	private Failures() {
	}

	/** {@code what} was expected, {@code but} happened, then the tree. */
	static String message(String expected, String but, String treeTitle, String tree) {
		return "%nExpected %s%nbut %s.%n%s:%n%s".formatted(expected, but, treeTitle, tree);
	}

	static String labels(List<? extends BaseEvent<?>> events) {
		if (events.isEmpty()) {
			return "none";
		}
		return events.stream().map(EventTree::label).collect(Collectors.joining(", ", "[", "]"));
	}

	static String typeName(Class<?> type) {
		return type.getSimpleName();
	}

	static String duration(Duration duration) {
		return duration.toString().substring(2).toLowerCase(Locale.ROOT);
	}

}
