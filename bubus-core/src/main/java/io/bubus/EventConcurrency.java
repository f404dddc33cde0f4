package io.bubus;

/**
 * How events on a bus may overlap: one at a time across all buses, one at a time per bus,
 * or freely.
 */
public enum EventConcurrency {

	/** Wire value {@code global-serial}. */
	GLOBAL_SERIAL("global-serial"),

	/** Wire value {@code bus-serial}. */
	BUS_SERIAL("bus-serial"),

	/** Wire value {@code parallel}. */
	PARALLEL("parallel");

	private final String wireValue;

	EventConcurrency(String wireValue) {
		this.wireValue = wireValue;
	}

	/** The value bubus writes in JSON. */
	public String wireValue() {
		return this.wireValue;
	}

	/**
	 * The constant for a wire value.
	 * @throws IllegalArgumentException naming the accepted values
	 */
	public static EventConcurrency fromWire(String value) {
		return Enums.fromWire(values(), value, EventConcurrency::wireValue);
	}

}
