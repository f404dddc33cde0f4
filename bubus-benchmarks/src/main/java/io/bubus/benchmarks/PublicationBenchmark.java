package io.bubus.benchmarks;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.bubus.BaseEvent;
import io.bubus.EventBus;
import io.bubus.HandlerOptions;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Events emitted in transactions with a durable publication log, on the local PostgreSQL
 * (database {@code test}, a fresh schema per trial), one handler each, end to end: a
 * batch of 50 transactions, each writing one event to the log and committing, then the
 * wait until the handler ran all 50 after commit. {@code registry=bubus} is the
 * publication log of the bubus starter ({@code bubus.publications.enabled=true}),
 * {@code registry=modulith} the same workload through Spring Modulith's JDBC event
 * publication registry with an {@code @ApplicationModuleListener}. Needs PostgreSQL as in
 * SERVICES.md; alone: {@code JMH_INCLUDE=PublicationBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PublicationBenchmark {

	static final int BATCH = 50;

	private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

	private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(60);

	static final AtomicLong HANDLED = new AtomicLong();

	@Param({ "bubus", "modulith" })
	public String registry;

	private String schema;

	private ConfigurableApplicationContext context;

	private TransactionTemplate transactions;

	private EventBus bus;

	private ApplicationEventPublisher publisher;

	private long emitted;

	@Setup(Level.Trial)
	public void setUp() throws SQLException {
		this.schema = "bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		execute("CREATE SCHEMA " + this.schema);
		boolean bubus = this.registry.equals("bubus");
		this.context = new SpringApplicationBuilder(bubus ? BubusApplication.class : ModulithApplication.class)
			.web(WebApplicationType.NONE)
			.properties("spring.main.banner-mode=off", "logging.level.root=WARN",
					"spring.datasource.url=" + POSTGRES + "&currentSchema=" + this.schema,
					"bubus.publications.enabled=" + bubus, "bubus.publications.check-interval=0",
					"spring.modulith.events.jdbc.schema-initialization.enabled=true")
			.run();
		this.transactions = this.context.getBean(TransactionTemplate.class);
		this.publisher = this.context;
		if (bubus) {
			this.bus = this.context.getBean(EventBus.class);
			this.bus.on(OrderPlaced.class, (event) -> HANDLED.incrementAndGet(),
					HandlerOptions.defaults().name("Billing.charge"));
		}
		HANDLED.set(0);
		this.emitted = 0;
	}

	@TearDown(Level.Trial)
	public void tearDown() throws SQLException {
		this.context.close();
		execute("DROP SCHEMA " + this.schema + " CASCADE");
	}

	@Benchmark
	@OperationsPerInvocation(BATCH)
	public long emitInTransactions() {
		for (int i = 0; i < BATCH; i++) {
			String orderId = "o-" + (this.emitted++);
			if (this.bus != null) {
				this.transactions.executeWithoutResult((status) -> this.bus.emit(new OrderPlaced(orderId)));
			}
			else {
				this.transactions
					.executeWithoutResult((status) -> this.publisher.publishEvent(new OrderPlacedEvent(orderId)));
			}
		}
		long deadline = System.nanoTime() + WAIT_NANOS;
		while (HANDLED.get() < this.emitted) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException(
						"handlers ran " + HANDLED.get() + " of " + this.emitted + " events within 60 s");
			}
			LockSupport.parkNanos(50_000);
		}
		return this.emitted;
	}

	private static void execute(String sql) throws SQLException {
		try (Connection connection = DriverManager.getConnection(POSTGRES);
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

	/** The bubus event. */
	public static class OrderPlaced extends BaseEvent<Long> {

		public String orderId;

		public OrderPlaced() {
		}

		public OrderPlaced(String orderId) {
			this.orderId = orderId;
		}

	}

	/**
	 * The Spring application event.
	 *
	 * @param orderId the order
	 */
	public record OrderPlacedEvent(String orderId) {
	}

	/** The Modulith listener. */
	public static class ModulithListener {

		@ApplicationModuleListener
		public void on(OrderPlacedEvent event) {
			HANDLED.incrementAndGet();
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class BubusApplication {

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableAsync
	@Import(ModulithListener.class)
	static class ModulithApplication {

	}

}
