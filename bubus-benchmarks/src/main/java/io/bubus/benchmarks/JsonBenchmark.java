package io.bubus.benchmarks;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.bubus.BaseEvent;
import io.bubus.EventBus;
import io.bubus.benchmarks.PerfEvents.OrderPlaced;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The bubus wire format of a typical event: an {@code OrderPlaced} with five payload
 * fields, completed on one bus with one handler result.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class JsonBenchmark {

	private OrderPlaced event;

	private String json;

	@Setup(Level.Trial)
	public void setUp() {
		BaseEvent.register(OrderPlaced.class);
		try (EventBus bus = EventBus.builder("JmhJson").build()) {
			bus.on(OrderPlaced.class, (order) -> "receipt-" + order.orderId);
			this.event = bus.emit(new OrderPlaced("o-1042", "c-77", 12_999, "EUR", List.of("sku-1", "sku-2", "sku-3")));
			this.event.done(Duration.ofSeconds(10));
		}
		this.json = this.event.toJson();
		OrderPlaced back = BaseEvent.fromJson(this.json, OrderPlaced.class);
		if (!"o-1042".equals(back.orderId)) {
			throw new IllegalStateException("round trip lost the payload: " + this.json);
		}
	}

	@Benchmark
	public String toJson() {
		return this.event.toJson();
	}

	@Benchmark
	public OrderPlaced fromJsonTyped() {
		return BaseEvent.fromJson(this.json, OrderPlaced.class);
	}

	@Benchmark
	public BaseEvent<?> fromJsonRegistry() {
		return BaseEvent.fromJson(this.json);
	}

}
