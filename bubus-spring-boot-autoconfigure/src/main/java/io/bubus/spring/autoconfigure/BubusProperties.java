package io.bubus.spring.autoconfigure;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.bubus.EventConcurrency;
import io.bubus.HandlerCompletion;
import io.bubus.HandlerConcurrency;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DurationUnit;

/**
 * Configuration properties for bubus ({@code bubus.*}). The top-level values configure
 * the primary bus and are the defaults of every bus under {@code bubus.buses}. A bare
 * number in a duration property means seconds, as in Python and TypeScript bubus.
 *
 * {@snippet lang = yaml :
 * bubus:
 *   name: Orders
 *   event-timeout: 30s
 *   buses:
 *     audit:
 *       max-history-size: 1000
 *       max-history-drop: true
 * }
 *
 * @author bubus-java
 * @since 0.1.0
 */
@ConfigurationProperties("bubus")
public class BubusProperties {

	/**
	 * Whether to create the bubus event buses and register @BubusHandler methods.
	 */
	private boolean enabled = true;

	/**
	 * Name of the primary event bus; a Java identifier, shown in logs, trees and the
	 * event_path of every event it processes.
	 */
	private String name = "ApplicationBus";

	/**
	 * How events are serialized against each other: one at a time across every bus, one
	 * at a time per bus, or all in parallel.
	 */
	private EventConcurrency eventConcurrency = EventConcurrency.BUS_SERIAL;

	/**
	 * Whether the handlers of one event run one after the other or in parallel.
	 */
	private HandlerConcurrency eventHandlerConcurrency = HandlerConcurrency.SERIAL;

	/**
	 * Whether an event waits for all its handlers or completes with the first non-null
	 * result (cancelling the rest).
	 */
	private HandlerCompletion eventHandlerCompletion = HandlerCompletion.ALL;

	/**
	 * Time an event may take on a bus before its running handlers are aborted and its
	 * pending ones cancelled. 0 disables the event timeout.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration eventTimeout = Duration.ofSeconds(60);

	/**
	 * Time after which a still-running event is logged as slow. 0 disables the warning.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration eventSlowTimeout = Duration.ofSeconds(300);

	/**
	 * Time one handler may run before it fails with a timeout. Unset means the event
	 * timeout applies.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private @Nullable Duration eventHandlerTimeout;

	/**
	 * Time after which a still-running handler is logged as slow. 0 disables the warning.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration eventHandlerSlowTimeout = Duration.ofSeconds(30);

	/**
	 * Maximum number of events kept in a bus's history; 0 keeps only in-flight events, a
	 * negative value keeps everything.
	 */
	private int maxHistorySize = 100;

	/**
	 * Whether a full history drops its oldest events instead of rejecting new ones.
	 */
	private boolean maxHistoryDrop;

	/**
	 * Additional buses by bean name (also their bus name, so a Java identifier). Each is
	 * injectable with @Qualifier("<name>"); unset values fall back to the top-level ones.
	 */
	private Map<String, Bus> buses = new LinkedHashMap<>();

	/**
	 * Thread-local context carried from emit into handlers.
	 */
	private final ContextPropagation contextPropagation = new ContextPropagation();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getName() {
		return this.name;
	}

	public void setName(String name) {
		this.name = name;
	}

	public EventConcurrency getEventConcurrency() {
		return this.eventConcurrency;
	}

	public void setEventConcurrency(EventConcurrency eventConcurrency) {
		this.eventConcurrency = eventConcurrency;
	}

	public HandlerConcurrency getEventHandlerConcurrency() {
		return this.eventHandlerConcurrency;
	}

	public void setEventHandlerConcurrency(HandlerConcurrency eventHandlerConcurrency) {
		this.eventHandlerConcurrency = eventHandlerConcurrency;
	}

	public HandlerCompletion getEventHandlerCompletion() {
		return this.eventHandlerCompletion;
	}

	public void setEventHandlerCompletion(HandlerCompletion eventHandlerCompletion) {
		this.eventHandlerCompletion = eventHandlerCompletion;
	}

	public Duration getEventTimeout() {
		return this.eventTimeout;
	}

	public void setEventTimeout(Duration eventTimeout) {
		this.eventTimeout = eventTimeout;
	}

	public Duration getEventSlowTimeout() {
		return this.eventSlowTimeout;
	}

	public void setEventSlowTimeout(Duration eventSlowTimeout) {
		this.eventSlowTimeout = eventSlowTimeout;
	}

	public @Nullable Duration getEventHandlerTimeout() {
		return this.eventHandlerTimeout;
	}

	public void setEventHandlerTimeout(@Nullable Duration eventHandlerTimeout) {
		this.eventHandlerTimeout = eventHandlerTimeout;
	}

	public Duration getEventHandlerSlowTimeout() {
		return this.eventHandlerSlowTimeout;
	}

	public void setEventHandlerSlowTimeout(Duration eventHandlerSlowTimeout) {
		this.eventHandlerSlowTimeout = eventHandlerSlowTimeout;
	}

	public int getMaxHistorySize() {
		return this.maxHistorySize;
	}

	public void setMaxHistorySize(int maxHistorySize) {
		this.maxHistorySize = maxHistorySize;
	}

	public boolean isMaxHistoryDrop() {
		return this.maxHistoryDrop;
	}

	public void setMaxHistoryDrop(boolean maxHistoryDrop) {
		this.maxHistoryDrop = maxHistoryDrop;
	}

	public Map<String, Bus> getBuses() {
		return this.buses;
	}

	public void setBuses(Map<String, Bus> buses) {
		this.buses = buses;
	}

	public ContextPropagation getContextPropagation() {
		return this.contextPropagation;
	}

	/**
	 * Settings of one bus under {@code bubus.buses.<name>}; every unset value falls back
	 * to the top-level {@code bubus.*} value.
	 */
	public static class Bus {

		/**
		 * How events are serialized against each other on this bus.
		 */
		private @Nullable EventConcurrency eventConcurrency;

		/**
		 * Whether the handlers of one event run one after the other or in parallel.
		 */
		private @Nullable HandlerConcurrency eventHandlerConcurrency;

		/**
		 * Whether an event waits for all its handlers or completes with the first
		 * non-null result.
		 */
		private @Nullable HandlerCompletion eventHandlerCompletion;

		/**
		 * Time an event may take on this bus. 0 disables the event timeout.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private @Nullable Duration eventTimeout;

		/**
		 * Time after which a still-running event is logged as slow. 0 disables the
		 * warning.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private @Nullable Duration eventSlowTimeout;

		/**
		 * Time one handler may run before it fails with a timeout. 0 means the event
		 * timeout applies.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private @Nullable Duration eventHandlerTimeout;

		/**
		 * Time after which a still-running handler is logged as slow. 0 disables the
		 * warning.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private @Nullable Duration eventHandlerSlowTimeout;

		/**
		 * Maximum number of events kept in this bus's history; 0 keeps only in-flight
		 * events, a negative value keeps everything.
		 */
		private @Nullable Integer maxHistorySize;

		/**
		 * Whether a full history drops its oldest events instead of rejecting new ones.
		 */
		private @Nullable Boolean maxHistoryDrop;

		public @Nullable EventConcurrency getEventConcurrency() {
			return this.eventConcurrency;
		}

		public void setEventConcurrency(@Nullable EventConcurrency eventConcurrency) {
			this.eventConcurrency = eventConcurrency;
		}

		public @Nullable HandlerConcurrency getEventHandlerConcurrency() {
			return this.eventHandlerConcurrency;
		}

		public void setEventHandlerConcurrency(@Nullable HandlerConcurrency eventHandlerConcurrency) {
			this.eventHandlerConcurrency = eventHandlerConcurrency;
		}

		public @Nullable HandlerCompletion getEventHandlerCompletion() {
			return this.eventHandlerCompletion;
		}

		public void setEventHandlerCompletion(@Nullable HandlerCompletion eventHandlerCompletion) {
			this.eventHandlerCompletion = eventHandlerCompletion;
		}

		public @Nullable Duration getEventTimeout() {
			return this.eventTimeout;
		}

		public void setEventTimeout(@Nullable Duration eventTimeout) {
			this.eventTimeout = eventTimeout;
		}

		public @Nullable Duration getEventSlowTimeout() {
			return this.eventSlowTimeout;
		}

		public void setEventSlowTimeout(@Nullable Duration eventSlowTimeout) {
			this.eventSlowTimeout = eventSlowTimeout;
		}

		public @Nullable Duration getEventHandlerTimeout() {
			return this.eventHandlerTimeout;
		}

		public void setEventHandlerTimeout(@Nullable Duration eventHandlerTimeout) {
			this.eventHandlerTimeout = eventHandlerTimeout;
		}

		public @Nullable Duration getEventHandlerSlowTimeout() {
			return this.eventHandlerSlowTimeout;
		}

		public void setEventHandlerSlowTimeout(@Nullable Duration eventHandlerSlowTimeout) {
			this.eventHandlerSlowTimeout = eventHandlerSlowTimeout;
		}

		public @Nullable Integer getMaxHistorySize() {
			return this.maxHistorySize;
		}

		public void setMaxHistorySize(@Nullable Integer maxHistorySize) {
			this.maxHistorySize = maxHistorySize;
		}

		public @Nullable Boolean getMaxHistoryDrop() {
			return this.maxHistoryDrop;
		}

		public void setMaxHistoryDrop(@Nullable Boolean maxHistoryDrop) {
			this.maxHistoryDrop = maxHistoryDrop;
		}

	}

	/**
	 * Which thread-local context the auto-configuration registers with Micrometer's
	 * {@code ContextRegistry}, so that the bus captures it at {@code emit} and restores
	 * it around every handler.
	 */
	public static class ContextPropagation {

		/**
		 * Whether to register the SLF4J MDC, Spring request attributes and locale context
		 * accessors.
		 */
		private boolean enabled = true;

		/**
		 * MDC keys to carry into handlers. Empty carries the whole MDC.
		 */
		private List<String> mdcKeys = new ArrayList<>();

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public List<String> getMdcKeys() {
			return this.mdcKeys;
		}

		public void setMdcKeys(List<String> mdcKeys) {
			this.mdcKeys = mdcKeys;
		}

	}

}
