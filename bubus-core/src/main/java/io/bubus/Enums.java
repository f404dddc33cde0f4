package io.bubus;

import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Reading the wire values of bubus's enums (lower-case, dash-separated). */
final class Enums {

	private Enums() {
	}

	/**
	 * The constant whose wire value is {@code value}; the Java constant name is accepted
	 * too, in any case.
	 * @throws IllegalArgumentException naming the accepted wire values
	 */
	static <E extends Enum<E>> E fromWire(E[] values, String value, Function<E, String> wire) {
		for (E candidate : values) {
			if (wire.apply(candidate).equals(value) || candidate.name().equalsIgnoreCase(value)) {
				return candidate;
			}
		}
		String expected = Arrays.stream(values)
			.map((candidate) -> '"' + wire.apply(candidate) + '"')
			.collect(Collectors.joining("|"));
		throw new IllegalArgumentException("Invalid option: expected one of " + expected + ", got \"" + value + "\"");
	}

}
