package io.bubus.spring.autoconfigure;

import java.net.URI;
import java.nio.file.Path;
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
import org.springframework.util.unit.DataSize;

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
 *   bridges:
 *     orders:
 *       type: jsonl
 *       path: /var/lib/app/orders.jsonl
 *       send: OrderPlaced, OrderShipped
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
	 * Whether a full history drops its oldest events (completed ones first) instead of
	 * rejecting new ones. On by default in an application: a server must not refuse work
	 * because it remembers too much; false restores the core's reference behaviour
	 * (HistoryFullException once max-history-size events are kept).
	 */
	private boolean maxHistoryDrop = true;

	/**
	 * Additional buses by bean name (also their bus name, so a Java identifier). Each is
	 * injectable with @Qualifier("<name>"); unset values fall back to the top-level ones.
	 */
	private Map<String, Bus> buses = new LinkedHashMap<>();

	/**
	 * Bridges to buses in other processes, by name (a Java identifier; the bridge bean is
	 * called <name>EventBridge). Each sends events of its bus over a transport and emits
	 * what it receives on that bus.
	 */
	private Map<String, Bridge> bridges = new LinkedHashMap<>();

	/**
	 * Thread-local context carried from emit into handlers.
	 */
	private final ContextPropagation contextPropagation = new ContextPropagation();

	private final Json json = new Json();

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

	public Map<String, Bridge> getBridges() {
		return this.bridges;
	}

	public void setBridges(Map<String, Bridge> bridges) {
		this.bridges = bridges;
	}

	public ContextPropagation getContextPropagation() {
		return this.contextPropagation;
	}

	public Json getJson() {
		return this.json;
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
	 * Settings of one bridge under {@code bubus.bridges.<name>}. {@code type} selects the
	 * transport; the other settings apply to the types named in their description.
	 */
	public static class Bridge {

		/**
		 * Transport: jsonl, http, socket, sqlite, postgres, redis, nats, nats-jetstream,
		 * rabbitmq or kafka (or the type of an EventBridgeFactory bean of your own).
		 */
		private @Nullable String type;

		/**
		 * Bus the bridge is connected to, by bean or bus name. Unset means the primary
		 * bus.
		 */
		private @Nullable String bus;

		/**
		 * Event types the bus sends over the bridge ("*" for every event). Empty sends
		 * nothing.
		 */
		private List<String> send = new ArrayList<>(List.of("*"));

		/**
		 * Whether events received over the bridge are emitted on the bus.
		 */
		private boolean receive = true;

		/**
		 * Largest received message accepted; larger ones are logged, counted and dropped.
		 */
		private DataSize maxMessageSize = DataSize.ofMegabytes(1);

		/**
		 * File of a jsonl or sqlite bridge, or socket file of a socket bridge.
		 */
		private @Nullable Path path;

		/**
		 * Server or target URL: http(s)://host:port/path to POST to (http),
		 * postgresql://user@host:port/database/table (postgres),
		 * redis://host:port/db[/channel] (redis), nats://host:port (nats,
		 * nats-jetstream), amqp://user:password@host:port/vhost (rabbitmq),
		 * host:port[,host:port] of the bootstrap servers (kafka).
		 */
		private @Nullable String url;

		/**
		 * URL an http bridge listens on to receive, such as http://127.0.0.1:8090/bubus
		 * (port 0 picks a free port).
		 */
		private @Nullable URI listen;

		/**
		 * Shared secret an http bridge sends and requires in the X-Bubus-Secret header.
		 */
		private @Nullable String secret;

		/**
		 * Notification channel of a postgres bridge, or pub/sub channel of a redis
		 * bridge. Unset means the one in the URL, else bubus_events.
		 */
		private @Nullable String channel;

		/**
		 * Subject of a nats or nats-jetstream bridge.
		 */
		private @Nullable String subject;

		/**
		 * JetStream stream of a nats-jetstream bridge. Unset means the stream that
		 * captures the subject, else BUBUS_<SUBJECT> (created on first use).
		 */
		private @Nullable String stream;

		/**
		 * How long an event a postgres bridge with a group or a nats-jetstream bridge
		 * received may stay unfinished before it goes to another instance (the claim
		 * lease, the JetStream ack wait); renewed while the event runs.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private Duration claimTimeout = Duration.ofSeconds(30);

		/**
		 * Table of a sqlite bridge.
		 */
		private String table = "bubus_events";

		/**
		 * Durable queue a rabbitmq bridge sends to.
		 */
		private @Nullable String sendQueue;

		/**
		 * Durable queue a rabbitmq bridge receives from.
		 */
		private @Nullable String receiveQueue;

		/**
		 * Topic a kafka bridge sends to and receives from.
		 */
		private @Nullable String topic;

		/**
		 * Work sharing group: kafka, nats-jetstream and postgres bridges with the same
		 * group share the events, each handled by one of them (a Kafka consumer group, a
		 * JetStream durable consumer, a postgres group). Unset means the bridge name for
		 * kafka and nats-jetstream, so the instances of one application share; a postgres
		 * bridge without a group receives every event.
		 */
		private @Nullable String group;

		/**
		 * Whether a kafka bridge receives every event in every instance (no consumer
		 * group; it reads from the end when it starts) instead of sharing them.
		 */
		private boolean fanOut;

		/**
		 * Partitions a kafka bridge creates its topic with when it does not exist (at
		 * least as many as instances that share the work). Unset leaves creating it to
		 * the broker.
		 */
		private @Nullable Integer partitions;

		/**
		 * How often a jsonl or sqlite bridge looks for new events.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private Duration pollInterval = Duration.ofMillis(250);

		/**
		 * Whether a jsonl bridge forces every appended line to disk.
		 */
		private boolean fsync;

		/**
		 * No longer used: a postgres bridge reads on from its position after a reconnect.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private Duration catchUpWindow = Duration.ofSeconds(60);

		/**
		 * Largest number of events a jsonl, sqlite, postgres, rabbitmq or kafka bridge
		 * sends in one round trip. Unset, every event is sent before the bus moves on;
		 * set, the bus hands events to a send queue and a sender thread writes them in
		 * batches, so an event completes on the bus before it is durable (closing the
		 * bridge sends what is queued).
		 */
		private @Nullable Integer batchSize;

		/**
		 * How long a bridge with a batch-size waits for a batch to fill before it sends
		 * what it has.
		 */
		@DurationUnit(ChronoUnit.MILLIS)
		private Duration batchLinger = Duration.ofMillis(1);

		/**
		 * File where a jsonl, sqlite or postgres bridge keeps its read position (the byte
		 * offset, rowid or transaction id after the last received event the bus has
		 * handled), so that after a restart it resumes there and receives, once, what was
		 * written while the application was down. Unset keeps no position. Give each
		 * application its own file.
		 */
		private @Nullable Path positionFile;

		/**
		 * Where a jsonl, sqlite or postgres bridge starts reading when there is no stored
		 * position: "end" receives only what is written from then on, "beginning"
		 * everything in the file.
		 */
		private StartAt startAt = StartAt.END;

		/**
		 * How often a bridge with a position-file stores its position while receiving (it
		 * also does at shutdown). After a crash, events handled since the last save are
		 * received again.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private Duration positionSaveInterval = Duration.ofSeconds(1);

		public @Nullable String getType() {
			return this.type;
		}

		public void setType(@Nullable String type) {
			this.type = type;
		}

		public @Nullable String getBus() {
			return this.bus;
		}

		public void setBus(@Nullable String bus) {
			this.bus = bus;
		}

		public List<String> getSend() {
			return this.send;
		}

		public void setSend(List<String> send) {
			this.send = send;
		}

		public boolean isReceive() {
			return this.receive;
		}

		public void setReceive(boolean receive) {
			this.receive = receive;
		}

		public DataSize getMaxMessageSize() {
			return this.maxMessageSize;
		}

		public void setMaxMessageSize(DataSize maxMessageSize) {
			this.maxMessageSize = maxMessageSize;
		}

		public @Nullable Path getPath() {
			return this.path;
		}

		public void setPath(@Nullable Path path) {
			this.path = path;
		}

		public @Nullable String getUrl() {
			return this.url;
		}

		public void setUrl(@Nullable String url) {
			this.url = url;
		}

		public @Nullable URI getListen() {
			return this.listen;
		}

		public void setListen(@Nullable URI listen) {
			this.listen = listen;
		}

		public @Nullable String getSecret() {
			return this.secret;
		}

		public void setSecret(@Nullable String secret) {
			this.secret = secret;
		}

		public @Nullable String getChannel() {
			return this.channel;
		}

		public void setChannel(@Nullable String channel) {
			this.channel = channel;
		}

		public @Nullable String getSubject() {
			return this.subject;
		}

		public void setSubject(@Nullable String subject) {
			this.subject = subject;
		}

		public @Nullable String getStream() {
			return this.stream;
		}

		public void setStream(@Nullable String stream) {
			this.stream = stream;
		}

		public Duration getClaimTimeout() {
			return this.claimTimeout;
		}

		public void setClaimTimeout(Duration claimTimeout) {
			this.claimTimeout = claimTimeout;
		}

		public String getTable() {
			return this.table;
		}

		public void setTable(String table) {
			this.table = table;
		}

		public @Nullable String getSendQueue() {
			return this.sendQueue;
		}

		public void setSendQueue(@Nullable String sendQueue) {
			this.sendQueue = sendQueue;
		}

		public @Nullable String getReceiveQueue() {
			return this.receiveQueue;
		}

		public void setReceiveQueue(@Nullable String receiveQueue) {
			this.receiveQueue = receiveQueue;
		}

		public @Nullable String getTopic() {
			return this.topic;
		}

		public void setTopic(@Nullable String topic) {
			this.topic = topic;
		}

		public @Nullable String getGroup() {
			return this.group;
		}

		public void setGroup(@Nullable String group) {
			this.group = group;
		}

		public boolean isFanOut() {
			return this.fanOut;
		}

		public void setFanOut(boolean fanOut) {
			this.fanOut = fanOut;
		}

		public @Nullable Integer getPartitions() {
			return this.partitions;
		}

		public void setPartitions(@Nullable Integer partitions) {
			this.partitions = partitions;
		}

		public Duration getPollInterval() {
			return this.pollInterval;
		}

		public void setPollInterval(Duration pollInterval) {
			this.pollInterval = pollInterval;
		}

		public boolean isFsync() {
			return this.fsync;
		}

		public void setFsync(boolean fsync) {
			this.fsync = fsync;
		}

		public Duration getCatchUpWindow() {
			return this.catchUpWindow;
		}

		public void setCatchUpWindow(Duration catchUpWindow) {
			this.catchUpWindow = catchUpWindow;
		}

		public @Nullable Integer getBatchSize() {
			return this.batchSize;
		}

		public void setBatchSize(@Nullable Integer batchSize) {
			this.batchSize = batchSize;
		}

		public Duration getBatchLinger() {
			return this.batchLinger;
		}

		public void setBatchLinger(Duration batchLinger) {
			this.batchLinger = batchLinger;
		}

		public @Nullable Path getPositionFile() {
			return this.positionFile;
		}

		public void setPositionFile(@Nullable Path positionFile) {
			this.positionFile = positionFile;
		}

		public StartAt getStartAt() {
			return this.startAt;
		}

		public void setStartAt(StartAt startAt) {
			this.startAt = startAt;
		}

		public Duration getPositionSaveInterval() {
			return this.positionSaveInterval;
		}

		public void setPositionSaveInterval(Duration positionSaveInterval) {
			this.positionSaveInterval = positionSaveInterval;
		}

		/**
		 * Where a jsonl or sqlite bridge starts reading when it has no stored position.
		 */
		public enum StartAt {

			/**
			 * At the end: only what is written from then on is received.
			 */
			END,

			/**
			 * At the beginning: everything in the file is received.
			 */
			BEGINNING

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

	/**
	 * How event payloads are read and written.
	 */
	public static class Json {

		/**
		 * Whether payload fields and handler results use the application's JsonMapper
		 * (its modules and spring.jackson.* settings); the event_* metadata keeps its
		 * wire form either way. Off, bubus's own mapper is used.
		 */
		private boolean useApplicationMapper = true;

		public boolean isUseApplicationMapper() {
			return this.useApplicationMapper;
		}

		public void setUseApplicationMapper(boolean useApplicationMapper) {
			this.useApplicationMapper = useApplicationMapper;
		}

	}

}
