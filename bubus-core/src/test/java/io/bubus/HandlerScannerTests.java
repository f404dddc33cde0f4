package io.bubus;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** {@link EventBus#register(Object)} and the newer {@link BubusHandler} attributes. */
class HandlerScannerTests {

	@Test
	void eventTypesRegistersTheMethodOncePerClass() {
		try (EventBus bus = new EventBus("ScannerTypes")) {
			assertThat(bus.register(new Refunds())).hasSize(2);
			assertThat(bus.emit(new CardRefund()).eventResult()).isEqualTo("refund CardRefund");
			assertThat(bus.emit(new BankRefund()).eventResult()).isEqualTo("refund BankRefund");
		}
	}

	@Test
	void eventTypesOutsideTheParameterTypeIsRejected() {
		try (EventBus bus = new EventBus("ScannerWrongTypes")) {
			assertThatIllegalArgumentException().isThrownBy(() -> bus.register(new WrongRefunds()))
				.withMessageContaining("WrongRefunds.handle")
				.withMessageContaining("eventTypes Other is not a Refund");
			assertThat(bus.handlers()).isEmpty();
		}
	}

	@Test
	void aConditionIsRejectedOutsideSpring() {
		try (EventBus bus = new EventBus("ScannerCondition")) {
			assertThatIllegalArgumentException().isThrownBy(() -> bus.register(new Conditional()))
				.withMessageContaining("Conditional.handle")
				.withMessageContaining("only the Spring Boot starter evaluates");
		}
	}

	public abstract static class Refund extends BaseEvent<String> {

	}

	public static class CardRefund extends Refund {

	}

	public static class BankRefund extends Refund {

	}

	public static class Other extends BaseEvent<String> {

	}

	static class Refunds {

		@BubusHandler(eventTypes = { CardRefund.class, BankRefund.class })
		String handle(Refund event) {
			return "refund " + event.getClass().getSimpleName();
		}

	}

	static class WrongRefunds {

		@BubusHandler(eventTypes = Other.class)
		String handle(Refund event) {
			return "never";
		}

	}

	static class Conditional {

		@BubusHandler(condition = "#event != null")
		String handle(CardRefund event) {
			return "never";
		}

	}

}
