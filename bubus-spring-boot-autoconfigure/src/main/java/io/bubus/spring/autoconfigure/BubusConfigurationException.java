package io.bubus.spring.autoconfigure;

/**
 * A {@code bubus.*} setting or a {@code @BubusHandler} attribute the starter cannot use.
 * It names where the bad value is ({@link #origin()}: a property such as
 * {@code bubus.buses.audit-log} or a handler method), what is wrong with it, and what to
 * do; {@link BubusConfigurationFailureAnalyzer} turns it into Boot's "APPLICATION FAILED
 * TO START" report. The message never carries a payload value.
 *
 * @author bubus-java
 * @since 0.1.0
 */
public class BubusConfigurationException extends IllegalStateException {

	private static final long serialVersionUID = 1L;

	private final String origin;

	private final String problem;

	private final String action;

	/**
	 * Creates an exception.
	 * @param origin the property or handler method with the bad value
	 * @param problem what is wrong with it
	 * @param action what to change
	 */
	public BubusConfigurationException(String origin, String problem, String action) {
		this(origin, problem, action, null);
	}

	/**
	 * Creates an exception with a cause.
	 * @param origin the property or handler method with the bad value
	 * @param problem what is wrong with it
	 * @param action what to change
	 * @param cause the underlying error, or null
	 */
	public BubusConfigurationException(String origin, String problem, String action,
			@org.jspecify.annotations.Nullable Throwable cause) {
		super(origin + ": " + problem + "; " + action, cause);
		this.origin = origin;
		this.problem = problem;
		this.action = action;
	}

	/**
	 * Returns where the bad value is: a property name or a handler method.
	 * @return the origin
	 */
	public String origin() {
		return this.origin;
	}

	/**
	 * Returns what is wrong with the value.
	 * @return the problem
	 */
	public String problem() {
		return this.problem;
	}

	/**
	 * Returns what to change.
	 * @return the action
	 */
	public String action() {
		return this.action;
	}

}
