package io.bubus.spring.autoconfigure.health;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Thresholds of the {@code bubus} health contributor, under
 * {@code management.health.bubus.*} (next to {@code management.health.bubus.enabled}).
 *
 * @author bubus-java
 * @since 0.1.0
 */
@ConfigurationProperties("management.health.bubus")
public class BubusHealthProperties {

	/**
	 * Share of max-history-size at which a bus that refuses events once its history is
	 * full (max-history-drop=false) reports OUT_OF_SERVICE.
	 */
	private double historyThreshold = 0.9;

	/**
	 * How long a bridge reports OUT_OF_SERVICE after a send failed.
	 */
	private Duration failedSendsWindow = Duration.ofMinutes(1);

	public double getHistoryThreshold() {
		return this.historyThreshold;
	}

	public void setHistoryThreshold(double historyThreshold) {
		this.historyThreshold = historyThreshold;
	}

	public Duration getFailedSendsWindow() {
		return this.failedSendsWindow;
	}

	public void setFailedSendsWindow(Duration failedSendsWindow) {
		this.failedSendsWindow = failedSendsWindow;
	}

}
