package io.bubus;

/**
 * Status of one handler's result row.
 */
public enum ResultStatus {

	/** Wire value {@code pending}. */
	PENDING("pending"),

	/** Wire value {@code started}. */
	STARTED("started"),

	/** Wire value {@code completed}. */
	COMPLETED("completed"),

	/** Wire value {@code error}. */
	ERROR("error");

	private final String wireValue;

	ResultStatus(String wireValue) {
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
	public static ResultStatus fromWire(String value) {
		return Enums.fromWire(values(), value, ResultStatus::wireValue);
	}

}
