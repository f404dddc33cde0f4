package io.bubus.sample;

import java.time.Duration;
import java.util.List;

import io.bubus.EventBus;
import io.bubus.EventResult;
import io.bubus.ResultFilter;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /orders/{id}/checkout}: emits a {@link CheckoutEvent} and waits for it. The
 * order id goes into the MDC, which bubus carries into every handler, on every thread and
 * bus.
 */
@RestController
public class CheckoutController {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final EventBus bus;

	CheckoutController(EventBus bus) {
		this.bus = bus;
	}

	/**
	 * Checks out an order.
	 * @param id the order id
	 * @return the checkout result and what every handler did
	 */
	@PostMapping("/orders/{id}/checkout")
	public CheckoutResponse checkout(@PathVariable String id) {
		CheckoutEvent event;
		try (MDC.MDCCloseable orderId = MDC.putCloseable("orderId", id)) {
			event = this.bus.emit(new CheckoutEvent(id));
		}
		event.done(WAIT);
		// A failing audit handler must not fail the checkout: read results without
		// raising.
		List<String> results = event.eventResultsList(ResultFilter.defaults().raiseIfAny(false));
		List<HandlerOutcome> handlers = event.eventResults().values().stream().map(HandlerOutcome::of).toList();
		return new CheckoutResponse(id, event.eventId(), results.isEmpty() ? null : results.get(0), handlers);
	}

	/**
	 * The response of a checkout.
	 *
	 * @param orderId the order
	 * @param eventId the checkout event, see
	 * {@code /actuator/bubus/ApplicationBus/events/{eventId}}
	 * @param result the checkout result
	 * @param handlers every handler that saw the event, on every bus
	 */
	public record CheckoutResponse(String orderId, String eventId, @Nullable String result,
			List<HandlerOutcome> handlers) {
	}

	/**
	 * What one handler did.
	 *
	 * @param bus the bus
	 * @param handler the handler name
	 * @param status its final status
	 * @param error the error message, if it failed
	 */
	public record HandlerOutcome(String bus, String handler, String status, @Nullable String error) {

		static HandlerOutcome of(EventResult<?> result) {
			Throwable error = result.error();
			return new HandlerOutcome(result.eventbusName(), result.handlerName(), result.status().name(),
					(error != null) ? error.getMessage() : null);
		}

	}

}
