package io.bubus;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Uses every core signature of the public API contract with the exact types it names, so
 * that a change to one of them breaks this test's compilation.
 */
class ApiContractTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	public static class OrderPlaced extends BaseEvent<String> {

		public String orderId;

		public OrderPlaced() {
		}

		public OrderPlaced(String orderId) {
			this.orderId = orderId;
		}

	}

	@EventType("order.shipped")
	public static class OrderShipped extends BaseEvent<Void> {

	}

	public static class Renamed extends BaseEvent<Void> {

		@Override
		public String eventType() {
			return "RenamedByOverride";
		}

	}

	@Test
	void eventMetadataAndOverrides() {
		OrderPlaced event = new OrderPlaced("o-1");
		String id = event.eventId();
		String type = event.eventType();
		String version = event.eventVersion();
		EventStatus status = event.eventStatus();
		List<String> path = event.eventPath();
		String parent = event.eventParentId();
		String emittedBy = event.eventEmittedByHandlerId();
		Instant created = event.eventCreatedAt();
		Instant started = event.eventStartedAt();
		Instant completed = event.eventCompletedAt();
		int pendingBuses = event.eventPendingBusCount();
		event.setEventTimeout(Duration.ofSeconds(1));
		event.setEventSlowTimeout(Duration.ofSeconds(2));
		event.setEventHandlerTimeout(Duration.ofSeconds(3));
		event.setEventHandlerSlowTimeout(Duration.ofSeconds(4));
		event.setEventConcurrency(EventConcurrency.GLOBAL_SERIAL);
		event.setEventHandlerConcurrency(HandlerConcurrency.PARALLEL);
		event.setEventHandlerCompletion(HandlerCompletion.ALL);
		event.setEventParentId("01a20736-4907-7670-aaec-583f2937e5d0");

		assertThat(id).hasSize(36);
		assertThat(type).isEqualTo("OrderPlaced");
		assertThat(version).isEqualTo("0.0.1");
		assertThat(status).isEqualTo(EventStatus.PENDING);
		assertThat(path).isEmpty();
		assertThat(parent).isNull();
		assertThat(emittedBy).isNull();
		assertThat(created).isNotNull();
		assertThat(started).isNull();
		assertThat(completed).isNull();
		assertThat(pendingBuses).isZero();
		assertThat(event.eventTimeout()).isEqualTo(Duration.ofSeconds(1));
		assertThat(event.eventSlowTimeout()).isEqualTo(Duration.ofSeconds(2));
		assertThat(event.eventHandlerTimeout()).isEqualTo(Duration.ofSeconds(3));
		assertThat(event.eventHandlerSlowTimeout()).isEqualTo(Duration.ofSeconds(4));
		assertThat(event.eventConcurrency()).isEqualTo(EventConcurrency.GLOBAL_SERIAL);
		assertThat(event.eventHandlerConcurrency()).isEqualTo(HandlerConcurrency.PARALLEL);
		assertThat(event.eventHandlerCompletion()).isEqualTo(HandlerCompletion.ALL);
		assertThat(event.eventParentId()).isEqualTo("01a20736-4907-7670-aaec-583f2937e5d0");
		assertThat(new OrderShipped().eventType()).isEqualTo("order.shipped");
		assertThat(new Renamed().eventType()).isEqualTo("RenamedByOverride");
		assertThat(EnumSet.values()).isNotEmpty();
	}

	/** Every enum constant the contract names. */
	private static final class EnumSet {

		static List<Enum<?>> values() {
			return List.of(EventStatus.PENDING, EventStatus.STARTED, EventStatus.COMPLETED, ResultStatus.PENDING,
					ResultStatus.STARTED, ResultStatus.COMPLETED, ResultStatus.ERROR, EventConcurrency.GLOBAL_SERIAL,
					EventConcurrency.BUS_SERIAL, EventConcurrency.PARALLEL, HandlerConcurrency.SERIAL,
					HandlerConcurrency.PARALLEL, HandlerCompletion.ALL, HandlerCompletion.FIRST);
		}

	}

	@Test
	void dynamicEvents() {
		DynamicEvent empty = new DynamicEvent("UserSignedUp");
		DynamicEvent event = new DynamicEvent("UserSignedUp", Map.of("user", "ada"));
		Object user = event.get("user");
		Map<String, Object> payload = event.payload();

		assertThat(empty.payload()).isEmpty();
		assertThat(user).isEqualTo("ada");
		assertThat(payload).containsEntry("user", "ada");
	}

	@Test
	void busBuilderHandlersEmitResultsAndFind() throws Exception {
		EventBusMiddleware middleware = new EventBusMiddleware() {
		};
		try (EventBus bus = EventBus.builder("ContractOrders")
			.eventConcurrency(EventConcurrency.BUS_SERIAL)
			.eventHandlerConcurrency(HandlerConcurrency.SERIAL)
			.eventHandlerCompletion(HandlerCompletion.ALL)
			.eventTimeout(Duration.ofSeconds(60))
			.eventHandlerTimeout(null)
			.eventSlowTimeout(Duration.ofSeconds(300))
			.eventHandlerSlowTimeout(Duration.ofSeconds(30))
			.maxHistorySize(100)
			.maxHistoryDrop(false)
			.middleware(middleware)
			.build(); EventBus other = new EventBus("ContractOther")) {
			assertThat(bus.name()).isEqualTo("ContractOrders");
			assertThat(bus.id()).hasSize(36);
			assertThat(bus.label()).isEqualTo("ContractOrders#" + bus.id().substring(32));

			EventHandlerFunction<OrderPlaced> receipt = (event) -> "receipt " + event.orderId;
			EventHandler typed = bus.on(OrderPlaced.class, receipt);
			EventHandler named = bus.on(OrderPlaced.class, (event) -> null,
					HandlerOptions.defaults()
						.name("named")
						.timeout(Duration.ofSeconds(5))
						.slowTimeout(Duration.ofSeconds(1)));
			EventHandler byString = bus.on("OrderPlaced", (BaseEvent<?> event) -> null);
			EventHandler star = bus.on("*", (event) -> null, HandlerOptions.defaults());
			EventHandler forward = bus.on("*", other::emit);
			List<EventHandler> registered = bus.register(new Object());
			assertThat(registered).isEmpty();
			assertThat(named.handlerName()).isEqualTo("named");

			OrderPlaced event = bus.emit(new OrderPlaced("o-1"));
			BaseEvent<String> done = event.done();
			BaseEvent<String> doneInTime = event.done(WAIT);
			CompletableFuture<BaseEvent<String>> completion = event.completion();
			String result = event.eventResult();
			List<String> results = event.eventResultsList();
			List<String> filtered = event.eventResultsList(ResultFilter.defaults()
				.raiseIfAny(false)
				.raiseIfNone(false)
				.include((EventResult<?> row) -> row.status() == ResultStatus.COMPLETED));
			Map<String, EventResult<String>> rows = event.eventResults();
			List<BaseEvent<?>> children = event.eventChildren();
			BaseEvent<String> copy = event.reset();
			String json = event.toJson();
			BaseEvent<?> back = BaseEvent.fromJson(json);
			OrderPlaced typedBack = BaseEvent.fromJson(json, OrderPlaced.class);
			BaseEvent.register(OrderPlaced.class);

			assertThat(done).isSameAs(event);
			assertThat(doneInTime).isSameAs(event);
			assertThat(completion.get()).isSameAs(event);
			assertThat(result).isEqualTo("receipt o-1");
			assertThat(results).containsExactly("receipt o-1");
			assertThat(filtered).contains("receipt o-1");
			assertThat(children).isEmpty();
			assertThat(copy.eventId()).isNotEqualTo(event.eventId());
			assertThat(back.eventId()).isEqualTo(event.eventId());
			assertThat(typedBack.orderId).isEqualTo("o-1");

			EventResult<String> row = rows.get(typed.id());
			String rowId = row.id();
			ResultStatus rowStatus = row.status();
			String value = row.result();
			Throwable error = row.error();
			String handlerId = row.handlerId();
			String handlerName = row.handlerName();
			String busName = row.eventbusName();
			Instant rowStarted = row.startedAt();
			Instant rowCompleted = row.completedAt();
			List<BaseEvent<?>> rowChildren = row.eventChildren();
			assertThat(rowId).hasSize(36);
			assertThat(rowStatus).isEqualTo(ResultStatus.COMPLETED);
			assertThat(value).isEqualTo("receipt o-1");
			assertThat(error).isNull();
			assertThat(handlerId).isEqualTo(typed.id());
			assertThat(handlerName).isNotBlank();
			assertThat(busName).isEqualTo("ContractOrders");
			assertThat(rowStarted).isBeforeOrEqualTo(rowCompleted);
			assertThat(rowChildren).isEmpty();
			assertThat(rows).containsKeys(byString.id(), star.id(), forward.id());

			OrderPlaced second = bus.emit(new OrderPlaced("o-2"));
			assertThat(second.first()).isEqualTo("receipt o-2");

			Predicate<OrderPlaced> isFirst = (candidate) -> "o-1".equals(candidate.orderId);
			Find<OrderPlaced> find = bus.find(OrderPlaced.class)
				.where(isFirst)
				.past(true)
				.past(Duration.ofMinutes(5))
				.future(false)
				.future(Duration.ofMillis(10));
			Optional<OrderPlaced> found = find.get();
			CompletableFuture<Optional<BaseEvent<?>>> any = bus.find("*").childOf(event).future(false).async();
			assertThat(found).containsSame(event);
			assertThat(any.get()).isEmpty();
			assertThat(bus.eventIsChildOf(second, event)).isFalse();
			assertThat(bus.eventIsParentOf(event, second)).isFalse();

			boolean idle = bus.waitUntilIdle(WAIT);
			bus.waitUntilIdle();
			assertThat(idle).isTrue();
			assertThat(bus.eventHistory()).contains(event, second);
			assertThat(bus.queueSize()).isZero();
			assertThat(bus.logTree()).contains("OrderPlaced#");

			bus.off(named);
			bus.off(OrderPlaced.class);
			bus.off("*");
			assertThat(bus.handlers()).isEmpty();
			bus.stop(Duration.ofSeconds(1), false);
			bus.stop();
		}
	}

	@Test
	void errorsAreUncheckedAndCancellationKindsAreCancellations() {
		List<Class<? extends RuntimeException>> unchecked = List.of(EventHandlerTimeoutException.class,
				EventHandlerAbortedException.class, EventHandlerCancelledException.class,
				EventHandlerResultSchemaException.class, EventHandlerException.class, EventHandlerErrors.class,
				NoEventResultException.class, HistoryFullException.class, EventTimeoutException.class);
		assertThat(unchecked).hasSize(9);
		assertThat(CancellationException.class).isAssignableFrom(EventHandlerAbortedException.class)
			.isAssignableFrom(EventHandlerCancelledException.class);
		assertThat(CancellationException.class.isAssignableFrom(EventHandlerTimeoutException.class)).isFalse();
	}

}
