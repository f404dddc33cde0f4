package io.bubus.middleware;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.bubus.BaseEvent;
import io.bubus.EventBus;
import io.bubus.EventHandler;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * AutoErrorEventMiddleware, AutoReturnEventMiddleware and
 * AutoHandlerChangeEventMiddleware (spec §2.3).
 */
class AutoEventMiddlewareTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	public static class UserActionEvent extends BaseEvent<Object> {

		public String action = "click";

	}

	/** A user class matched by the type string the middleware derives. */
	public static class UserActionEventErrorEvent extends BaseEvent<Object> {

		public String errorType = "";

	}

	public static class UserActionEventResultEvent extends BaseEvent<Object> {

		public Object data = "";

	}

	public static class Forwarded extends BaseEvent<Object> {

	}

	record Seen(String eventType, Object value) {

	}

	@Test
	void failingHandlerEmitsTypeErrorEventThatAUserClassOfThatNameReceives() {
		List<Seen> seen = new CopyOnWriteArrayList<>();
		List<BaseEvent<?>> all = new CopyOnWriteArrayList<>();
		try (EventBus bus = EventBus.builder("AutoErrorBus").middleware(new AutoErrorEventMiddleware()).build()) {
			bus.on(UserActionEvent.class, (event) -> {
				throw new IllegalArgumentException("bad click");
			});
			bus.on(UserActionEventErrorEvent.class, (event) -> seen.add(new Seen(event.eventType(), event.errorType)));
			bus.on("UserActionEventErrorEvent", (event) -> {
				throw new IllegalStateException("the error handler fails too");
			});
			bus.on("*", all::add);

			UserActionEvent source = bus.emit(new UserActionEvent());
			source.done(WAIT);
			assertThat(bus.waitUntilIdle(WAIT)).isTrue();

			assertThat(seen).containsExactly(new Seen("UserActionEventErrorEvent", "IllegalArgumentException"));
			AutoErrorEvent error = all.stream()
				.filter(AutoErrorEvent.class::isInstance)
				.map(AutoErrorEvent.class::cast)
				.findFirst()
				.orElseThrow();
			assertThat(error.exception()).isInstanceOf(IllegalArgumentException.class).hasMessage("bad click");
			assertThat(error.error).isEqualTo(new AutoErrorEvent.ErrorInfo("IllegalArgumentException", "bad click"));
			assertThat(error.eventParentId()).isEqualTo(source.eventId());
			assertThat(error.toJson()).contains("\"error_type\":\"IllegalArgumentException\"");
			assertThat(all).extracting(BaseEvent::eventType)
				.containsExactly("UserActionEvent", "UserActionEventErrorEvent");
		}
	}

	@Test
	void successfulHandlersEmitNoErrorEvents() {
		try (EventBus bus = EventBus.builder("AutoErrorQuietBus").middleware(new AutoErrorEventMiddleware()).build()) {
			bus.on(UserActionEvent.class, (event) -> "fine");
			bus.emit(new UserActionEvent()).done(WAIT);
			assertThat(bus.waitUntilIdle(WAIT)).isTrue();

			assertThat(bus.eventHistory()).extracting(BaseEvent::eventType).containsExactly("UserActionEvent");
		}
	}

	@Test
	void returnedValueBecomesTypeResultEventButNotForResultEventsOrForwardedEvents() {
		List<Seen> seen = new CopyOnWriteArrayList<>();
		try (EventBus bus = EventBus.builder("AutoReturnBus").middleware(new AutoReturnEventMiddleware()).build()) {
			bus.on(UserActionEvent.class, (event) -> 123);
			bus.on(UserActionEventResultEvent.class, (event) -> {
				seen.add(new Seen(event.eventType(), event.data));
				return "a value of a result event";
			});
			bus.on(Forwarded.class, (event) -> new UserActionEventErrorEvent());
			bus.on(Forwarded.class, (event) -> null);

			bus.emit(new UserActionEvent()).done(WAIT);
			bus.emit(new Forwarded()).done(WAIT);
			assertThat(bus.waitUntilIdle(WAIT)).isTrue();

			assertThat(seen).containsExactly(new Seen("UserActionEventResultEvent", 123));
			assertThat(bus.eventHistory()).extracting(BaseEvent::eventType)
				.doesNotContain("UserActionEventResultEventResultEvent", "ForwardedResultEvent");
		}
	}

	@Test
	void registeringAndRemovingHandlersEmitsEventsCarryingTheRegistration() {
		try (EventBus bus = EventBus.builder("AutoHandlerBus")
			.middleware(new AutoHandlerChangeEventMiddleware())
			.build()) {
			EventHandler handler = bus.on(UserActionEvent.class, (event) -> null);
			bus.off(handler);
			assertThat(bus.waitUntilIdle(WAIT)).isTrue();

			List<BaseEvent<?>> history = bus.eventHistory();
			BusHandlerRegisteredEvent registered = (BusHandlerRegisteredEvent) history.get(0);
			BusHandlerUnregisteredEvent unregistered = (BusHandlerUnregisteredEvent) history.get(1);
			for (HandlerInfo info : List.of(registered.handler, unregistered.handler)) {
				assertThat(info.id()).isEqualTo(handler.id());
				assertThat(info.eventbusId()).isEqualTo(bus.id());
				assertThat(info.eventbusName()).isEqualTo(bus.name());
				assertThat(info.eventPattern()).isEqualTo("UserActionEvent");
			}
			assertThat(registered.toJson()).contains("\"event_pattern\":\"UserActionEvent\"")
				.contains("\"eventbus_id\":\"" + bus.id() + "\"");
		}
	}

}
