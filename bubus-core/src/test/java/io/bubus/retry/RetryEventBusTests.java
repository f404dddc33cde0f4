package io.bubus.retry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.bubus.BaseEvent;
import io.bubus.EventBus;
import io.bubus.EventResult;
import io.bubus.EventStatus;
import io.bubus.HandlerConcurrency;
import io.bubus.ResultStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Retry around event handlers and around emit (spec §3.5, the bus integration tests). */
class RetryEventBusTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	public static class Charge extends BaseEvent<String> {

		public int index;

		public Charge() {
		}

		public Charge(int index) {
			this.index = index;
		}

	}

	private static String unique(TestInfo info, String suffix) {
		return info.getTestMethod().orElseThrow().getName() + "_" + suffix;
	}

	@Test
	void handlerThatFailsTwiceSucceedsOnItsThirdAttempt(TestInfo info) {
		List<Long> starts = new ArrayList<>();
		Retry retry = Retry.builder()
			.maxAttempts(3)
			.retryAfter(Duration.ofMillis(100))
			.timeout(Duration.ofSeconds(1))
			.semaphoreLimit(1)
			.semaphoreName(unique(info, "charge"))
			.build();
		try (EventBus bus = new EventBus("RetryFlakyBus")) {
			bus.on(Charge.class, retry.handler((event) -> {
				starts.add(System.nanoTime());
				if (starts.size() < 3) {
					throw new IllegalStateException("gateway busy");
				}
				return "charged on attempt " + starts.size();
			}));

			Charge event = bus.emit(new Charge(1));

			assertThat(event.eventResult()).isEqualTo("charged on attempt 3");
			assertThat(event.eventStatus()).isEqualTo(EventStatus.COMPLETED);
			assertThat(starts).hasSize(3);
			for (int i = 1; i < starts.size(); i++) {
				assertThat(TimeUnit.NANOSECONDS.toMillis(starts.get(i) - starts.get(i - 1))).isGreaterThanOrEqualTo(80);
			}
		}
	}

	@Test
	void parallelHandlersSharingAGlobalSemaphoreRunAtMostTheLimitAtOnce(TestInfo info) {
		ActiveCount active = new ActiveCount();
		Retry retry = Retry.builder().semaphoreLimit(2).semaphoreName(unique(info, "shared")).build();
		try (EventBus bus = EventBus.builder("RetryParallelBus")
			.eventHandlerConcurrency(HandlerConcurrency.PARALLEL)
			.build()) {
			for (int i = 0; i < 4; i++) {
				bus.on(Charge.class, retry.handler((event) -> active.work(Duration.ofMillis(80))));
			}

			List<String> results = bus.emit(new Charge(1)).eventResultsList();

			assertThat(results).hasSize(4).containsOnly("done");
			assertThat(active.max()).isEqualTo(2);
		}
	}

	@Test
	void handlerThatOverrunsItsAttemptTimeoutEndsWithARetryTimeoutError() {
		Retry retry = Retry.builder().timeout(Duration.ofMillis(200)).build();
		try (EventBus bus = new EventBus("RetryTimeoutBus")) {
			bus.on(Charge.class, retry.handler((event) -> {
				Thread.sleep(5_000);
				return "too slow";
			}));

			Charge event = bus.emit(new Charge(1));
			event.done(WAIT);

			EventResult<String> row = event.eventResults().values().iterator().next();
			assertThat(row.status()).isEqualTo(ResultStatus.ERROR);
			assertThat(row.error()).isInstanceOf(RetryTimeoutException.class)
				.hasMessage("Timed out after 0.2s (attempt 1)");
		}
	}

	@Test
	void errorOutsideTheRetryRulesStopsTheRetriesAndIsTheResultError() {
		AtomicInteger attempts = new AtomicInteger();
		Retry retry = Retry.builder()
			.maxAttempts(5)
			.retryOn(IllegalArgumentException.class, IllegalStateException.class)
			.build();
		try (EventBus bus = new EventBus("RetryRulesBus")) {
			bus.on(Charge.class, retry.handler((event) -> {
				int attempt = attempts.incrementAndGet();
				if (attempt == 1) {
					throw new IllegalArgumentException("retried");
				}
				if (attempt == 2) {
					throw new IllegalStateException("retried too");
				}
				throw new UnsupportedOperationException("not retried");
			}));

			Charge event = bus.emit(new Charge(1));

			assertThatThrownBy(event::eventResult).isInstanceOf(UnsupportedOperationException.class);
			assertThat(attempts).hasValue(3);
		}
	}

	@Test
	void asynchronousHandlerFailuresAreRetriedToo() {
		AtomicInteger attempts = new AtomicInteger();
		Retry retry = Retry.builder().maxAttempts(2).build();
		try (EventBus bus = new EventBus("RetryAsyncBus")) {
			bus.on(Charge.class,
					retry.handler((event) -> (attempts.incrementAndGet() == 1)
							? CompletableFuture.failedFuture(new IllegalStateException("async failure"))
							: CompletableFuture.completedFuture("async ok")));

			assertThat(bus.emit(new Charge(1)).eventResult()).isEqualTo("async ok");
			assertThat(attempts).hasValue(2);
		}
	}

	/**
	 * A service whose handler methods limit themselves per class, per instance or
	 * globally.
	 */
	static final class ChargeService {

		private final Retry retry;

		private final ActiveCount active;

		ChargeService(Retry retry, ActiveCount active) {
			this.retry = retry;
			this.active = active;
		}

		String charge(Charge event) throws Exception {
			return this.retry.call(this, () -> this.active.work(Duration.ofMillis(80)));
		}

	}

	@Test
	void handlerMethodsOfTwoServicesSerializeWithClassScopeAndOverlapWithInstanceScope(TestInfo info) {
		assertThat(maxConcurrentCharges(info, SemaphoreScope.CLASS)).isEqualTo(1);
		assertThat(maxConcurrentCharges(info, SemaphoreScope.INSTANCE)).isEqualTo(2);
		assertThat(maxConcurrentCharges(info, SemaphoreScope.GLOBAL)).isEqualTo(1);
	}

	private static int maxConcurrentCharges(TestInfo info, SemaphoreScope scope) {
		ActiveCount active = new ActiveCount();
		Retry retry = Retry.builder()
			.semaphoreLimit(1)
			.semaphoreName(unique(info, scope.name()))
			.semaphoreScope(scope)
			.build();
		try (EventBus bus = EventBus.builder("RetryScope" + scope.name())
			.eventHandlerConcurrency(HandlerConcurrency.PARALLEL)
			.build()) {
			bus.on(Charge.class, new ChargeService(retry, active)::charge);
			bus.on(Charge.class, new ChargeService(retry, active)::charge);
			assertThat(bus.emit(new Charge(1)).eventResultsList()).containsOnly("done");
		}
		return active.max();
	}

	@Test
	void retryAroundEmitRunsOnlyTheFlakyEventAgain() throws Exception {
		AtomicInteger flakyRuns = new AtomicInteger();
		AtomicInteger siblingRuns = new AtomicInteger();
		Retry retry = Retry.builder().maxAttempts(4).build();
		try (EventBus bus = new EventBus("RetryEmitBus")) {
			bus.on(Charge.class, (event) -> {
				if (event.index == 0) {
					if (flakyRuns.incrementAndGet() < 3) {
						throw new IllegalStateException("flaky");
					}
					return "flaky ok";
				}
				siblingRuns.incrementAndGet();
				return "sibling ok";
			});

			String flaky = retry.call(() -> bus.emit(new Charge(0)).eventResult());
			String sibling1 = bus.emit(new Charge(1)).eventResult();
			String sibling2 = bus.emit(new Charge(2)).eventResult();

			assertThat(flaky).isEqualTo("flaky ok");
			assertThat(List.of(sibling1, sibling2)).containsOnly("sibling ok");
			assertThat(flakyRuns).hasValue(3);
			assertThat(siblingRuns).hasValue(2);
			assertThat(bus.waitUntilIdle(WAIT)).isTrue();
			assertThat(bus.eventHistory()).extracting(BaseEvent::eventStatus).containsOnly(EventStatus.COMPLETED);
		}
	}

}
