package io.bubus;

/**
 * When an event's handler phase is done: after all handlers, or after the first non-null
 * result.
 */
public enum HandlerCompletion {

	/** Wire value {@code all}. */
	ALL("all"),

	/** Wire value {@code first}. */
	FIRST("first");

	private final String wireValue;

	HandlerCompletion(String wireValue) {
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
	public static HandlerCompletion fromWire(String value) {
		return Enums.fromWire(values(), value, HandlerCompletion::wireValue);
	}

}
