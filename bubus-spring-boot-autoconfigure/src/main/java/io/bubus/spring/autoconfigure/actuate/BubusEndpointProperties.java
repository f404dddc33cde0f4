package io.bubus.spring.autoconfigure.actuate;

import java.util.HashSet;
import java.util.Set;

import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties for the {@code bubus} actuator endpoint, next to the
 * {@code access} and exposure settings Spring Boot already keeps for it under
 * {@code management.endpoint.bubus}.
 *
 * @author bubus-java
 * @since 0.1.0
 */
@ConfigurationProperties("management.endpoint.bubus")
public class BubusEndpointProperties {

	/**
	 * When to show event payload fields, handler results and handler error messages
	 * unmasked. Also applies to the WARN line of a failed handler, where only 'always'
	 * shows the message.
	 */
	private Show showValues = Show.NEVER;

	/**
	 * Roles used to determine whether a user is authorized to see unmasked values. When
	 * empty, all authenticated users are authorized.
	 */
	private final Set<String> roles = new HashSet<>();

	/**
	 * Number of most recent history events the bus view returns unless a limit is given.
	 */
	private int historyLimit = 20;

	public Show getShowValues() {
		return this.showValues;
	}

	public void setShowValues(Show showValues) {
		this.showValues = showValues;
	}

	public Set<String> getRoles() {
		return this.roles;
	}

	public int getHistoryLimit() {
		return this.historyLimit;
	}

	public void setHistoryLimit(int historyLimit) {
		this.historyLimit = historyLimit;
	}

}
