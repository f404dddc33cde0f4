package io.bubus.benchmarks;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.bubus.BaseEvent;
import io.bubus.EventBus;
import io.bubus.HandlerOptions;
import io.bubus.JsonResults;
import io.bubus.bridge.SendBatching;
import io.bubus.bridge.kafka.KafkaEventBridge;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.modulith.events.EventExternalizationConfiguration;
import org.springframework.modulith.events.RoutingTarget;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Events per second from an application that publishes events to Kafka to a second
 * application that receives them, through the bubus Kafka bridge and through Spring
 * Modulith's Kafka event externalization ({@code spring-modulith-events-kafka}), on the
 * same broker, with records of the same size (the payload of the Modulith event is padded
 * to the length of the bubus event's JSON; both sizes are printed at the end of a trial,
 * read back from the topic). One sender, one receiver, a topic of 6 partitions keyed by a
 * unique id per event; one operation is one event handled by the receiver.
 * <ul>
 * <li>{@code app=bubus}: bus A forwards each event to a sending {@link KafkaEventBridge}
 * ({@code busA.on("*", sender::emit)}), which waits for each acknowledgement
 * ({@code acks=all}); a receiving bridge (a consumer group) emits them on bus B, whose
 * handler counts them. No database.</li>
 * <li>{@code app=bubus-batch}: the same, the sending bridge in batches of up to 256
 * ({@code batchSends}).</li>
 * <li>{@code app=bubus-log}: the transactional outbox of bubus: each event emitted in its
 * own transaction on the starter's bus with the publication log on PostgreSQL
 * ({@code bubus.publications.enabled=true}); its forwarding handler
 * ({@code bus.on("*", sender::emitAsync)}, batches of up to 256, events handled in
 * parallel) is recorded in the log and completed once the broker acknowledged the event;
 * received as above.</li>
 * <li>{@code app=modulith}: the transactional outbox of Spring Modulith: each event
 * published with {@code ApplicationEventPublisher} in its own transaction, recorded by
 * the JDBC event publication registry on PostgreSQL, externalized after commit by
 * {@code KafkaTemplate} (Boot's defaults: {@code acks=all}, idempotent, JSON through
 * Modulith's message converter) and marked completed on the acknowledgement; received by
 * a {@code @KafkaListener} (Boot's listener container, batch acknowledgement) that
 * converts the JSON back to the event record and counts it.</li>
 * </ul>
 * The broker: {@code -Dbubus.bench.kafka=host:port} (one broker for every trial, e.g.
 * {@link KafkaBenchBroker} in a JVM of its own), otherwise the kafka bridge tests' KRaft
 * broker started in each trial's JVM. PostgreSQL as in SERVICES.md (database
 * {@code test}, a fresh schema per trial) for {@code bubus-log} and {@code modulith}.
 * <p>
 * {@code java -cp "bubus-benchmarks/target/bubus-benchmarks-0.1.0-SNAPSHOT.jar:bubus-benchmarks/target/lib/*"
 * org.openjdk.jmh.Main KafkaExternalizationBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(2)
@Warmup(iterations = 4, time = 3)
@Measurement(iterations = 5, time = 3)
public class KafkaExternalizationBenchmark {

	static final int EVENTS = 250;

	static final int PARTITIONS = 6;

	/** Characters of the payload of the bubus event. */
	static final int PAYLOAD = 256;

	private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

	private static final Duration WAIT = Duration.ofSeconds(60);

	/** Released once per event the receiving application handled. */
	static final Semaphore RECEIVED = new Semaphore(0);

	@Param({ "bubus", "bubus-batch", "bubus-log", "modulith" })
	public String app;

	private KafkaBenchBroker broker;

	private String topic;

	private String schema;

	private ConfigurableApplicationContext context;

	private TransactionTemplate transactions;

	private ApplicationEventPublisher publisher;

	private EventBus sendingBus;

	private KafkaEventBridge sender;

	private EventBus receivingBus;

	private KafkaEventBridge receiver;

	private String payload;

	private long sent;

	@Setup(Level.Trial)
	public void setUp() throws Exception {
		BaseEvent.register(ExternalizedNote.class);
		this.broker = KafkaBenchBroker.fromPropertyOrStart();
		String id = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		this.topic = "ext_" + id;
		this.payload = "x".repeat(PAYLOAD);
		createTopic(this.broker.bootstrapServers(), this.topic);
		RECEIVED.drainPermits();
		this.sent = 0;
		if (this.app.equals("modulith")) {
			this.schema = "bench_" + id;
			execute("CREATE SCHEMA " + this.schema);
			this.payload = "x".repeat(PAYLOAD + bubusOverhead());
			this.context = application(ModulithApplication.class, false, "bench.group=ext_receiver_" + id);
			this.transactions = this.context.getBean(TransactionTemplate.class);
			this.publisher = this.context;
			return;
		}
		this.receivingBus = EventBus.builder("ExtB").maxHistorySize(0).build();
		this.receivingBus.on(ExternalizedNote.class, (event) -> {
			RECEIVED.release();
			return null;
		});
		this.receiver = new KafkaEventBridge(this.broker.bootstrapServers(), null, this.topic, "ExtReceiver")
			.group("ext_receiver_" + id);
		this.receiver.on("*", this.receivingBus::emit);
		this.sender = new KafkaEventBridge(this.broker.bootstrapServers(), this.topic, null, "ExtSender");
		if (!this.app.equals("bubus")) {
			this.sender.batchSends(SendBatching.defaults().maxBatchSize(256));
		}
		if (this.app.equals("bubus-log")) {
			this.schema = "bench_" + id;
			execute("CREATE SCHEMA " + this.schema);
			this.context = application(BubusApplication.class, true, "bench.group=unused");
			this.transactions = this.context.getBean(TransactionTemplate.class);
			this.sendingBus = this.context.getBean(EventBus.class);
			// completed (in the log too) once the broker acknowledged the event
			this.sendingBus.on("*", this.sender::emitAsync, HandlerOptions.defaults().name("Kafka.forward"));
		}
		else {
			this.sendingBus = EventBus.builder("ExtA").maxHistorySize(0).build();
			this.sendingBus.on("*", this.sender::emit);
		}
	}

	private ConfigurableApplicationContext application(Class<?> type, boolean publications, String group) {
		return new SpringApplicationBuilder(type).web(WebApplicationType.NONE)
			.properties("spring.main.banner-mode=off", "logging.level.root=WARN",
					"spring.datasource.url=" + POSTGRES + "&currentSchema=" + this.schema,
					"bubus.publications.enabled=" + publications, "bubus.publications.check-interval=0",
					"bubus.max-history-size=0", "bubus.event-concurrency=parallel",
					"spring.modulith.events.jdbc.schema-initialization.enabled=true",
					"spring.kafka.bootstrap-servers=" + this.broker.bootstrapServers(),
					"spring.kafka.consumer.auto-offset-reset=earliest", "bench.topic=" + this.topic, group)
			.run();
	}

	@TearDown(Level.Trial)
	public void tearDown() throws Exception {
		if (this.sendingBus != null && this.context == null) {
			this.sendingBus.stop(Duration.ZERO, true);
		}
		if (this.sender != null) {
			this.sender.close();
		}
		if (this.context != null) {
			this.context.close();
		}
		if (this.receiver != null) {
			this.receiver.close();
		}
		if (this.receivingBus != null) {
			this.receivingBus.stop(Duration.ZERO, true);
		}
		System.out.printf("%n[kafka-externalization] app=%s record value bytes (first 50 records) %s%n", this.app,
				valueSizes(this.broker.bootstrapServers(), this.topic));
		if (this.schema != null) {
			execute("DROP SCHEMA " + this.schema + " CASCADE");
		}
		this.broker.close();
	}

	@Benchmark
	@OperationsPerInvocation(EVENTS)
	public void publishAndReceive() throws InterruptedException {
		for (int i = 0; i < EVENTS; i++) {
			String orderId = "o-" + (this.sent++);
			switch (this.app) {
				case "modulith" -> this.transactions.executeWithoutResult(
						(status) -> this.publisher.publishEvent(new ModulithNote(orderId, this.payload)));
				case "bubus-log" -> this.transactions.executeWithoutResult(
						(status) -> this.sendingBus.emit(new ExternalizedNote(orderId, this.payload)));
				default -> this.sendingBus.emit(new ExternalizedNote(orderId, this.payload));
			}
		}
		if (!RECEIVED.tryAcquire(EVENTS, WAIT.toSeconds(), TimeUnit.SECONDS)) {
			throw new IllegalStateException(
					this.app + ": the receiver did not handle " + EVENTS + " events within " + WAIT.toSeconds() + " s");
		}
	}

	/**
	 * How many characters longer the bubus event's JSON is than the Modulith event's with
	 * the same payload: the bubus wire format carries the event's metadata (id, type,
	 * path, timestamps, …) in the record value.
	 */
	private int bubusOverhead() throws Exception {
		try (EventBus bus = EventBus.builder("ExtA").build()) {
			String[] json = new String[1];
			// read while its handler runs, as a forwarding bridge encodes it
			bus.on(ExternalizedNote.class, (event) -> {
				json[0] = event.toJson(JsonResults.NONE);
				return null;
			});
			bus.emit(new ExternalizedNote("o-100000", this.payload)).done(Duration.ofSeconds(10));
			int modulith = ("{\"orderId\":\"o-100000\",\"payload\":\"" + this.payload + "\"}").length();
			return json[0].length() - modulith;
		}
	}

	private static void createTopic(String servers, String topic)
			throws InterruptedException, ExecutionException, TimeoutException {
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers))) {
			admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get(30, TimeUnit.SECONDS);
		}
	}

	/** The value sizes of the topic's first records (at most 50). */
	static List<Integer> valueSizes(String servers, String topic) {
		List<Integer> sizes = new ArrayList<>();
		try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers), new ByteArrayDeserializer(),
				new ByteArrayDeserializer())) {
			List<TopicPartition> partitions = new ArrayList<>();
			for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(10))) {
				partitions.add(new TopicPartition(topic, info.partition()));
			}
			consumer.assign(partitions);
			consumer.seekToBeginning(partitions);
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
			while (sizes.size() < 50 && System.nanoTime() < deadline) {
				for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
					if (sizes.size() < 50) {
						sizes.add(record.value().length);
					}
				}
			}
		}
		return sizes.stream().distinct().sorted().toList();
	}

	private static void execute(String sql) throws SQLException {
		try (Connection connection = DriverManager.getConnection(POSTGRES);
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

	/** The bubus event. */
	public static class ExternalizedNote extends BaseEvent<Void> {

		public String orderId;

		public String payload;

		public ExternalizedNote() {
		}

		public ExternalizedNote(String orderId, String payload) {
			this.orderId = orderId;
			this.payload = payload;
		}

	}

	/**
	 * The Spring application event that Modulith externalizes.
	 *
	 * @param orderId the order, also the record key
	 * @param payload padding to the size of the bubus event
	 */
	public record ModulithNote(String orderId, String payload) {
	}

	/** The receiving side of the Modulith application. */
	public static class ModulithReceiver {

		@KafkaListener(topics = "${bench.topic}", groupId = "${bench.group}")
		public void on(ModulithNote note) {
			RECEIVED.release();
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(ModulithReceiver.class)
	static class ModulithApplication {

		@Bean
		EventExternalizationConfiguration eventExternalizationConfiguration(@Value("${bench.topic}") String topic) {
			return EventExternalizationConfiguration.externalizing()
				.select((event) -> event instanceof ModulithNote)
				.route(ModulithNote.class, (note) -> RoutingTarget.forTarget(topic).andKey(note.orderId()))
				.build();
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class BubusApplication {

	}

}
