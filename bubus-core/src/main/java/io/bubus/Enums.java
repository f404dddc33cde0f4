package io.bubus;

import java.util.Arrays;
import java.util.stream.Collectors;

final class Enums {

	private Enums() {
	}

	static String invalid(String value, Enum<?>[] values) {
		String expected = Arrays.stream(values)
			.map((candidate) -> '"' + wire(candidate) + '"')
			.collect(Collectors.joining("|"));
		return "Invalid option: expected one of " + expected + ", got \"" + value + "\"";
	}

	private static String wire(Enum<?> value) {
		return value.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
	}

}
