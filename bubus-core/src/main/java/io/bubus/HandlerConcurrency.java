package io.bubus;

/**
 * How the handlers of one event may overlap.
 */
public enum HandlerConcurrency {

	/** Wire value {@code serial}. */
	SERIAL("serial"),

	/** Wire value {@code parallel}. */
	PARALLEL("parallel");

	private final String wireValue;

	HandlerConcurrency(String wireValue) {
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
	public static HandlerConcurrency fromWire(String value) {
		return Enums.fromWire(values(), value, HandlerConcurrency::wireValue);
	}

}
