package io.bubus;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Core scenarios 6-8: errors raised by the result accessors, default include and result
 * order, typed result coercion and schema errors.
 */
class ResultAccessorTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	public static class AnyResultEvent extends BaseEvent<Object> {

	}

	public static class IntResultEvent extends BaseEvent<Integer> {

	}

	public record Receipt(String orderId, int total) {
	}

	public static class ReceiptEvent extends BaseEvent<Receipt> {

	}

	public static class ListResultEvent extends BaseEvent<List<String>> {

	}

	@Test
	void singleFailureIsRethrownAsTheSameException() {
		try (EventBus bus = new EventBus("AccessorSingleBus")) {
			IllegalArgumentException failure = new IllegalArgumentException("single failure");
			bus.on(AnyResultEvent.class, (event) -> {
				throw failure;
			});
			bus.on(AnyResultEvent.class, (event) -> "fine");
			AnyResultEvent event = bus.emit(new AnyResultEvent());

			assertThat(event.done(WAIT).eventStatus()).isEqualTo(EventStatus.COMPLETED);
			assertThatThrownBy(event::eventResult).isSameAs(failure);
			assertThatThrownBy(event::eventResultsList).isSameAs(failure);
			assertThat(event.eventResultsList(ResultFilter.defaults().raiseIfAny(false))).containsExactly("fine");
		}
	}

	@Test
	void severalFailuresAreAggregatedInHandlerOrder() {
		try (EventBus bus = new EventBus("AccessorManyBus")) {
			IllegalArgumentException first = new IllegalArgumentException("first failure");
			IllegalStateException second = new IllegalStateException("second failure");
			bus.on(AnyResultEvent.class, (event) -> {
				throw first;
			});
			bus.on(AnyResultEvent.class, (event) -> {
				throw second;
			});
			AnyResultEvent event = bus.emit(new AnyResultEvent());

			Throwable thrown = catchThrowable(event::eventResult);
			assertThat(thrown).isInstanceOf(EventHandlerErrors.class)
				.hasMessage("Event AnyResultEvent#" + event.eventId().substring(32) + " had 2 handler error(s)");
			assertThat(((EventHandlerErrors) thrown).errors()).containsExactly(first, second);
		}
	}

	@Test
	void checkedHandlerExceptionIsWrappedInEventHandlerException() {
		try (EventBus bus = new EventBus("AccessorCheckedBus")) {
			IOException failure = new IOException("disk on fire");
			bus.on(AnyResultEvent.class, (event) -> {
				throw failure;
			});
			AnyResultEvent event = bus.emit(new AnyResultEvent());

			assertThatThrownBy(event::eventResult).isInstanceOf(EventHandlerException.class).hasCause(failure);
			assertThat(event.eventResults().values().iterator().next().error()).isSameAs(failure);
		}
	}

	@Test
	void defaultIncludeSkipsNullsAndKeepsHandlerOrder() {
		try (EventBus bus = new EventBus("AccessorIncludeBus")) {
			bus.on(AnyResultEvent.class, (event) -> Map.of("one", 1));
			bus.on(AnyResultEvent.class, (event) -> List.of("two"));
			bus.on(AnyResultEvent.class, (event) -> null);
			AnyResultEvent event = bus.emit(new AnyResultEvent());

			assertThat(event.eventResultsList()).containsExactly(Map.of("one", 1), List.of("two"));
			assertThat(event.eventResult()).isEqualTo(Map.of("one", 1));
			List<Object> all = event
				.eventResultsList(ResultFilter.defaults().include((row) -> true).raiseIfAny(false).raiseIfNone(false));
			assertThat(all).containsExactly(Map.of("one", 1), List.of("two"), null);
		}
	}

	@Test
	void handlerReturningAnEventGivesNullInTypedAccessors() {
		try (EventBus bus = new EventBus("AccessorEventValueBus")) {
			DynamicEvent other = new DynamicEvent("OtherThing");
			bus.on(AnyResultEvent.class, (event) -> other);
			AnyResultEvent event = bus.emit(new AnyResultEvent());

			assertThatThrownBy(event::eventResult).isInstanceOf(NoEventResultException.class);
			assertThat(event.eventResultsList(ResultFilter.defaults().include((row) -> true)))
				.containsExactly((Object) null);
			assertThat(event.eventResults().values().iterator().next().result()).isSameAs(other);
		}
	}

	@Test
	void valueOfTheWrongTypeBecomesAResultSchemaError() {
		try (EventBus bus = new EventBus("AccessorSchemaBus")) {
			EventHandler wrong = bus.on(IntResultEvent.class, (event) -> "not_a_number");
			EventHandler right = bus.on(IntResultEvent.class, (event) -> 7);
			EventHandler empty = bus.on(IntResultEvent.class, (event) -> null);
			IntResultEvent event = bus.emit(new IntResultEvent());
			event.done(WAIT);

			EventResult<Integer> failed = event.eventResults().get(wrong.id());
			assertThat(failed.status()).isEqualTo(ResultStatus.ERROR);
			assertThat(failed.result()).isNull();
			assertThat(failed.error()).isInstanceOf(EventHandlerResultSchemaException.class)
				.hasMessageContaining("did not match expected event_result_type");
			assertThat(((EventHandlerResultSchemaException) failed.error()).rawValue()).isEqualTo("not_a_number");
			assertThat(event.eventResults().get(right.id()).result()).isEqualTo(7);
			assertThat(event.eventResults().get(empty.id()).status()).isEqualTo(ResultStatus.COMPLETED);
			assertThat(event.eventResults().get(empty.id()).error()).isNull();
			assertThatThrownBy(event::eventResult).isInstanceOf(EventHandlerResultSchemaException.class);
			assertThat(event.eventResultsList(ResultFilter.defaults().raiseIfAny(false))).containsExactly(7);
		}
	}

	@Test
	void mapReturnedForARecordTypedEventIsCoercedIntoTheRecord() {
		try (EventBus bus = new EventBus("AccessorRecordBus")) {
			bus.on(ReceiptEvent.class, (event) -> Map.of("order_id", "o-1", "total", 42));
			ReceiptEvent event = bus.emit(new ReceiptEvent());

			Receipt receipt = event.eventResult();
			assertThat(receipt).isEqualTo(new Receipt("o-1", 42));
		}
	}

	@Test
	void mapThatDoesNotFitTheRecordIsASchemaError() {
		try (EventBus bus = new EventBus("AccessorBadRecordBus")) {
			bus.on(ReceiptEvent.class, (event) -> Map.of("order_id", "o-1", "total", "many"));
			ReceiptEvent event = bus.emit(new ReceiptEvent());

			assertThatThrownBy(event::eventResult).isInstanceOf(EventHandlerResultSchemaException.class)
				.hasMessageContaining("did not match expected event_result_type");
		}
	}

	@Test
	void genericListResultTypeAcceptsMatchingListAndRejectsOthers() {
		try (EventBus bus = new EventBus("AccessorListBus")) {
			EventHandler good = bus.on(ListResultEvent.class, (event) -> List.of("a", "b"));
			EventHandler bad = bus.on(ListResultEvent.class, (event) -> Map.of("a", 1));
			ListResultEvent event = bus.emit(new ListResultEvent());
			event.done(WAIT);

			assertThat(event.eventResults().get(good.id()).result()).containsExactly("a", "b");
			assertThat(event.eventResults().get(bad.id()).error())
				.isInstanceOf(EventHandlerResultSchemaException.class);
		}
	}

}
