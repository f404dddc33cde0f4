package io.bubus;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Core scenario 9 and bad input: reserved and unknown payload names (in
 * {@link DynamicEvent} payloads, in event classes and in JSON), per-event overrides,
 * emitting after stop, {@code on(BaseEvent.class)}.
 */
class EventValidationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	public static class ValidEvent extends BaseEvent<String> {

		public String customer;

		public ValidEvent() {
			setEventTimeout(Duration.ofSeconds(234));
		}

	}

	public static class BusFieldEvent extends BaseEvent<Void> {

		public String bus;

	}

	public static class FirstFieldEvent extends BaseEvent<Void> {

		public String first;

	}

	public static class EventPrefixedFieldEvent extends BaseEvent<Void> {

		public String eventFoo;

	}

	public static class ModelPrefixedFieldEvent extends BaseEvent<Void> {

		public String modelX;

	}

	public static class MetadataFieldEvent extends BaseEvent<Void> {

		public Double eventTimeout = 5.0;

	}

	@ParameterizedTest
	@ValueSource(strings = { "bus", "first", "toString", "toJSON", "fromJSON" })
	void reservedPayloadNamesAreRejected(String name) {
		assertThatIllegalArgumentException().isThrownBy(() -> new DynamicEvent("X", Map.of(name, 1)))
			.withMessageContaining("\"" + name + "\" is reserved");
	}

	@Test
	void unknownEventPrefixedPayloadNameIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> new DynamicEvent("X", Map.of("event_foo", 1)))
			.withMessage(
					"BaseEvent field \"event_foo\" starts with \"event_\" but is not a recognized BaseEvent field");
	}

	@Test
	void modelPrefixedPayloadNameIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> new DynamicEvent("X", Map.of("model_x", 1)))
			.withMessageContaining("\"model_x\" starts with \"model_\" and is reserved");
	}

	@Test
	void unknownPlainPayloadFieldIsKeptAndSerialized() {
		try (EventBus bus = new EventBus("ValidationCustomBus")) {
			DynamicEvent event = new DynamicEvent("X", Map.of("custom", Map.of("a", 1)));
			assertThat(event.get("custom")).isEqualTo(Map.of("a", 1));
			bus.emit(event).done(WAIT);
			DynamicEvent back = (DynamicEvent) BaseEvent.fromJson(event.toJson());
			assertThat(back.payload()).containsEntry("custom", Map.of("a", 1));
		}
	}

	@Test
	void eventClassMayOverrideKnownEventFieldsAsDefaults() {
		ValidEvent event = new ValidEvent();
		assertThat(event.eventTimeout()).isEqualTo(Duration.ofSeconds(234));
		ValidEvent back = BaseEvent.fromJson(event.toJson(), ValidEvent.class);
		assertThat(back.eventTimeout()).isEqualTo(Duration.ofSeconds(234));
	}

	@Test
	void eventTimeoutOverrideIsAcceptedInJson() {
		String json = new DynamicEvent("X").toJson().replace("\"event_timeout\":null", "\"event_timeout\":5");
		assertThat(BaseEvent.fromJson(json).eventTimeout()).isEqualTo(Duration.ofSeconds(5));
	}

	@Test
	void eventClassWithReservedPublicFieldIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(BusFieldEvent::new)
			.withMessageContaining("\"bus\" is reserved");
		assertThatIllegalArgumentException().isThrownBy(FirstFieldEvent::new)
			.withMessageContaining("\"first\" is reserved");
	}

	@Test
	void eventClassWithUnknownEventOrModelPrefixedFieldIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(EventPrefixedFieldEvent::new)
			.withMessageContaining("\"event_foo\" starts with \"event_\"");
		assertThatIllegalArgumentException().isThrownBy(ModelPrefixedFieldEvent::new)
			.withMessageContaining("\"model_x\" starts with \"model_\"");
	}

	@Test
	void eventClassFieldShadowingEventMetadataIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(MetadataFieldEvent::new)
			.withMessageContaining("\"event_timeout\"")
			.withMessageContaining("setter");
	}

	@Test
	void registeringAHandlerForAnEventClassWithReservedFieldIsRejected() {
		try (EventBus bus = new EventBus("ValidationReservedBus")) {
			assertThatIllegalArgumentException().isThrownBy(() -> bus.on(BusFieldEvent.class, (event) -> null))
				.withMessageContaining("\"bus\" is reserved");
		}
	}

	@Test
	void reservedPayloadNameInJsonIsRejected() {
		String json = new DynamicEvent("X").toJson().replace("\"event_type\"", "\"first\":1,\"event_type\"");
		assertThatIllegalArgumentException().isThrownBy(() -> BaseEvent.fromJson(json))
			.withMessageContaining("\"first\"");
	}

	@Test
	void emitAfterStopIsRefused() {
		EventBus bus = new EventBus("ValidationStoppedBus");
		bus.stop();
		assertThatThrownBy(() -> bus.emit(new ValidEvent())).isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("stopped");
		assertThat(bus.eventHistory()).isEmpty();
	}

	@Test
	void handlerForBaseEventItselfIsRefused() {
		try (EventBus bus = new EventBus("ValidationBaseEventBus")) {
			assertThatIllegalArgumentException().isThrownBy(() -> bus.on(BaseEvent.class, (event) -> null));
			assertThat(bus.handlers()).isEmpty();
		}
	}

	@Test
	void blankEventTypeIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new DynamicEvent(" "));
		try (EventBus bus = new EventBus("ValidationBlankBus")) {
			assertThatIllegalArgumentException().isThrownBy(() -> bus.on("", (event) -> null));
		}
	}

	@Test
	void nonPositiveTimeoutsAreRefused() {
		ValidEvent event = new ValidEvent();
		assertThatIllegalArgumentException().isThrownBy(() -> event.setEventTimeout(Duration.ZERO))
			.withMessageContaining("event_timeout");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> EventBus.builder("ValidationTimeoutBus").eventTimeout(Duration.ofSeconds(-1)))
			.withMessageContaining("event_timeout");
	}

	@Test
	void busNameMustBeAnIdentifier() {
		assertThatIllegalArgumentException().isThrownBy(() -> new EventBus("bad name"))
			.withMessage("EventBus name must be a unique identifier string, got: bad name");
	}

}
