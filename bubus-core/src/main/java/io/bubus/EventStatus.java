package io.bubus;

/**
 * Lifecycle of an event: pending until a bus starts it, completed when every handler, bus
 * and descendant is done.
 */
public enum EventStatus {

	/** Wire value {@code pending}. */
	PENDING("pending"),

	/** Wire value {@code started}. */
	STARTED("started"),

	/** Wire value {@code completed}. */
	COMPLETED("completed");

	private final String wireValue;

	EventStatus(String wireValue) {
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
	public static EventStatus fromWire(String value) {
		return Enums.fromWire(values(), value, EventStatus::wireValue);
	}

}
