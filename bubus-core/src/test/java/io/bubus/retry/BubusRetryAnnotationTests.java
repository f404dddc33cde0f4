package io.bubus.retry;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.bubus.BaseEvent;
import io.bubus.BubusHandler;
import io.bubus.EventBus;
import io.bubus.EventResult;
import io.bubus.HandlerConcurrency;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link BubusRetry} on {@link BubusHandler} methods registered with
 * {@link EventBus#register(Object)}: attempts, error rules, semaphore scopes keyed on the
 * listener object, and clear errors for invalid values.
 */
class BubusRetryAnnotationTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	public static class Charge extends BaseEvent<String> {

	}

	static final class Flaky {

		final List<Long> calls = new CopyOnWriteArrayList<>();

		@BubusHandler
		@BubusRetry(maxAttempts = 3, retryAfter = "50ms", retryOn = IOException.class)
		String charge(Charge event) throws IOException {
			this.calls.add(System.nanoTime());
			if (this.calls.size() < 3) {
				throw new IOException("gateway busy");
			}
			return "charged on attempt " + this.calls.size();
		}

	}

	static final class WrongError {

		final List<Long> calls = new CopyOnWriteArrayList<>();

		@BubusHandler
		@BubusRetry(maxAttempts = 5, retryOnName = "IOException", retryOnPattern = "(?i)timeout")
		String charge(Charge event) {
			this.calls.add(System.nanoTime());
			throw new IllegalArgumentException("card number invalid");
		}

	}

	static final class ClassScoped {

		private final ActiveCount active;

		ClassScoped(ActiveCount active) {
			this.active = active;
		}

		@BubusHandler
		@BubusRetry(semaphoreLimit = 1, semaphoreScope = SemaphoreScope.CLASS, semaphoreTimeout = "0")
		String charge(Charge event) throws InterruptedException {
			return this.active.work(Duration.ofMillis(150));
		}

	}

	static final class InstanceScoped {

		private final ActiveCount active;

		InstanceScoped(ActiveCount active) {
			this.active = active;
		}

		@BubusHandler
		@BubusRetry(semaphoreLimit = 1, semaphoreScope = SemaphoreScope.INSTANCE, semaphoreTimeout = "0")
		String charge(Charge event) throws InterruptedException {
			return this.active.work(Duration.ofMillis(150));
		}

	}

	static final class BadDuration {

		@BubusHandler
		@BubusRetry(maxAttempts = 2, retryAfter = "soon")
		String charge(Charge event) {
			return "never";
		}

	}

	@Test
	void annotatedHandlerIsRetriedWithItsDelayUntilItSucceeds() {
		Flaky flaky = new Flaky();
		try (EventBus bus = new EventBus("RetryAnnotated")) {
			bus.register(flaky);
			Charge charge = bus.emit(new Charge());
			assertThat(charge.eventResult()).isEqualTo("charged on attempt 3");
		}
		assertThat(flaky.calls).hasSize(3);
		for (int i = 1; i < 3; i++) {
			assertThat(flaky.calls.get(i) - flaky.calls.get(i - 1)).isGreaterThanOrEqualTo(40_000_000L);
		}
	}

	@Test
	void anErrorOutsideTheRulesIsNotRetried() {
		WrongError handler = new WrongError();
		try (EventBus bus = new EventBus("RetryAnnotatedRules")) {
			bus.register(handler);
			Charge charge = bus.emit(new Charge());
			charge.done(WAIT);
			assertThat(charge.eventResults().values()).singleElement()
				.extracting(EventResult::error)
				.isInstanceOf(IllegalArgumentException.class);
		}
		assertThat(handler.calls).hasSize(1);
	}

	@Test
	void classScopeSerializesTwoListenersOfOneClassAndInstanceScopeLetsThemOverlap() {
		ActiveCount classActive = new ActiveCount();
		ActiveCount instanceActive = new ActiveCount();
		try (EventBus bus = EventBus.builder("RetryAnnotatedScopes")
			.eventHandlerConcurrency(HandlerConcurrency.PARALLEL)
			.build()) {
			bus.register(new ClassScoped(classActive));
			bus.register(new ClassScoped(classActive));
			bus.register(new InstanceScoped(instanceActive));
			bus.register(new InstanceScoped(instanceActive));
			assertThat(bus.emit(new Charge()).eventResultsList()).hasSize(4).containsOnly("done");
		}
		assertThat(classActive.max()).isEqualTo(1);
		assertThat(instanceActive.max()).isEqualTo(2);
	}

	@Test
	void anInvalidValueFailsTheRegistrationNamingTheMethodAndAttribute() {
		try (EventBus bus = new EventBus("RetryAnnotatedInvalid")) {
			assertThatIllegalArgumentException().isThrownBy(() -> bus.register(new BadDuration()))
				.withMessageContaining(BadDuration.class.getName() + ".charge")
				.withMessageContaining("retryAfter")
				.withMessageContaining("soon");
		}
	}

	@Test
	void theAnnotationDescribesTheSamePolicyAsTheBuilder() throws NoSuchMethodException {
		Retry retry = Retry.forMethod(Flaky.class.getDeclaredMethod("charge", Charge.class)).orElseThrow();
		assertThat(retry.maxAttempts()).isEqualTo(3);
		assertThat(retry.retryAfter()).isEqualTo(Duration.ofMillis(50));
		assertThat(retry.semaphoreLimit()).isNull();
		assertThat(Retry.forMethod(Object.class.getDeclaredMethod("toString"))).isEmpty();
	}

}
