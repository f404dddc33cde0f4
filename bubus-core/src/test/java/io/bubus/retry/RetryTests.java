package io.bubus.retry;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Retry attempts, backoff, error matching and per-attempt timeouts (spec §3.1-3.3, §3.5).
 */
class RetryTests {

	static class NetworkError extends RuntimeException {

		NetworkError(String message) {
			super(message);
		}

	}

	static class ValidationError extends RuntimeException {

		ValidationError(String message) {
			super(message);
		}

	}

	@Test
	void defaultsAreOneAttemptNoTimeoutNoLimitLaxGlobal() {
		Retry retry = Retry.builder().build();

		assertThat(retry.maxAttempts()).isEqualTo(1);
		assertThat(retry.timeout()).isNull();
		assertThat(retry.retryAfter()).isZero();
		assertThat(retry.backoffFactor()).isEqualTo(1.0);
		assertThat(retry.semaphoreLimit()).isNull();
		assertThat(retry.semaphoreLax()).isTrue();
		assertThat(retry.semaphoreScope()).isEqualTo(SemaphoreScope.GLOBAL);
		assertThat(retry.semaphoreTimeout()).isNull();
	}

	@Test
	void maxAttemptsCountsEveryAttemptAndTheLastErrorIsThrownAsIs() {
		AtomicInteger calls = new AtomicInteger();
		Retry retry = Retry.builder().maxAttempts(3).build();

		assertThatThrownBy(() -> retry.call(() -> {
			throw new IllegalArgumentException("attempt " + calls.incrementAndGet());
		})).isInstanceOf(IllegalArgumentException.class).hasMessage("attempt 3");
		assertThat(calls).hasValue(3);
	}

	@Test
	void maxAttemptsBelowOneMeansOneAttempt() {
		AtomicInteger calls = new AtomicInteger();
		Retry retry = Retry.builder().maxAttempts(0).build();

		assertThatThrownBy(() -> retry.call(() -> {
			calls.incrementAndGet();
			throw new IOException("down");
		})).isInstanceOf(IOException.class);
		assertThat(calls).hasValue(1);
		assertThat(retry.maxAttempts()).isEqualTo(1);
	}

	@Test
	void succeedsOnALaterAttemptAndReturnsItsValue() throws Exception {
		AtomicInteger calls = new AtomicInteger();
		Retry retry = Retry.builder().maxAttempts(5).build();

		String value = retry.call(() -> {
			if (calls.incrementAndGet() < 3) {
				throw new IOException("flaky");
			}
			return "ok";
		});

		assertThat(value).isEqualTo("ok");
		assertThat(calls).hasValue(3);
	}

	@Test
	void retryAfterWaitsBetweenAttempts() throws Exception {
		List<Long> starts = new ArrayList<>();
		Retry retry = Retry.builder().maxAttempts(3).retryAfter(Duration.ofMillis(40)).build();

		retry.call(() -> {
			starts.add(System.nanoTime());
			if (starts.size() < 3) {
				throw new IOException("again");
			}
			return null;
		});

		assertThat(gapsMillis(starts)).allSatisfy((gap) -> assertThat(gap).isGreaterThanOrEqualTo(40));
	}

	@Test
	void backoffFactorGrowsEachDelay() throws Exception {
		List<Long> starts = new ArrayList<>();
		Retry retry = Retry.builder().maxAttempts(4).retryAfter(Duration.ofMillis(30)).backoffFactor(2.0).build();

		retry.call(() -> {
			starts.add(System.nanoTime());
			if (starts.size() < 4) {
				throw new IOException("again");
			}
			return null;
		});

		List<Long> gaps = gapsMillis(starts);
		assertThat(gaps.get(0)).isGreaterThanOrEqualTo(30);
		assertThat(gaps.get(1)).isGreaterThanOrEqualTo(60);
		assertThat(gaps.get(2)).isGreaterThanOrEqualTo(120);
		assertThat(retry.delayBefore(2)).isEqualTo(Duration.ofMillis(30));
		assertThat(retry.delayBefore(3)).isEqualTo(Duration.ofMillis(60));
		assertThat(retry.delayBefore(4)).isEqualTo(Duration.ofMillis(120));
	}

	private static List<Long> gapsMillis(List<Long> starts) {
		List<Long> gaps = new ArrayList<>();
		for (int i = 1; i < starts.size(); i++) {
			gaps.add(TimeUnit.NANOSECONDS.toMillis(starts.get(i) - starts.get(i - 1)));
		}
		return gaps;
	}

	@Test
	void negativeRetryAfterMeansNoDelay() {
		Retry retry = Retry.builder().maxAttempts(2).retryAfter(Duration.ofMillis(-5)).build();

		assertThat(retry.retryAfter()).isZero();
	}

	@Test
	void errorThatMatchesNoRuleIsThrownWithoutRetrying() {
		AtomicInteger calls = new AtomicInteger();
		Retry retry = Retry.builder().maxAttempts(5).retryOn(IOException.class).build();

		assertThatThrownBy(() -> retry.call(() -> {
			calls.incrementAndGet();
			throw new ValidationError("bad input");
		})).isInstanceOf(ValidationError.class);
		assertThat(calls).hasValue(1);
	}

	@Test
	void classRuleMatchesSubclasses() throws Exception {
		AtomicInteger calls = new AtomicInteger();
		Retry retry = Retry.builder().maxAttempts(3).retryOn(RuntimeException.class).build();

		String value = retry.call(() -> {
			if (calls.incrementAndGet() < 3) {
				throw new NetworkError("Network timeout occurred");
			}
			return "ok";
		});

		assertThat(value).isEqualTo("ok");
		assertThat(calls).hasValue(3);
	}

	@Test
	void patternIsFoundInSimpleClassNameColonMessage() throws Exception {
		AtomicInteger calls = new AtomicInteger();
		Retry retry = Retry.builder()
			.maxAttempts(4)
			.retryOn(Pattern.compile("^IllegalArgumentException: temporary failure$"))
			.retryOn(IllegalStateException.class)
			.build();

		String value = retry.call(() -> {
			int call = calls.incrementAndGet();
			if (call == 1) {
				throw new IllegalArgumentException("temporary failure");
			}
			if (call == 2) {
				throw new IllegalStateException("also temporary");
			}
			return "ok";
		});

		assertThat(value).isEqualTo("ok");
		assertThat(calls).hasValue(3);
	}

	@Test
	void caseInsensitivePatternMatchesOneErrorAndNotAnother() {
		Retry retry = Retry.builder()
			.maxAttempts(3)
			.retryOn(Pattern.compile("network", Pattern.CASE_INSENSITIVE))
			.build();
		AtomicInteger networkCalls = new AtomicInteger();
		AtomicInteger validationCalls = new AtomicInteger();

		assertThatThrownBy(() -> retry.call(() -> {
			networkCalls.incrementAndGet();
			throw new NetworkError("Network timeout occurred");
		})).isInstanceOf(NetworkError.class);
		assertThatThrownBy(() -> retry.call(() -> {
			validationCalls.incrementAndGet();
			throw new ValidationError("bad input");
		})).isInstanceOf(ValidationError.class);

		assertThat(networkCalls).hasValue(3);
		assertThat(validationCalls).hasValue(1);
	}

	@Test
	void mixedClassNameAndPatternRulesEachLetTheirErrorRetry() throws Exception {
		AtomicInteger calls = new AtomicInteger();
		Retry retry = Retry.builder()
			.maxAttempts(4)
			.retryOn(UnsupportedOperationException.class)
			.retryOn("NetworkError")
			.retryOn(Pattern.compile("timeout", Pattern.CASE_INSENSITIVE))
			.build();

		String value = retry.call(() -> switch (calls.incrementAndGet()) {
			case 1 -> throw new UnsupportedOperationException("not yet");
			case 2 -> throw new NetworkError("connection reset");
			case 3 -> throw new IllegalStateException("Timeout talking to the API");
			default -> "ok";
		});

		assertThat(value).isEqualTo("ok");
		assertThat(calls).hasValue(4);
	}

	@Test
	void attemptThatOverrunsIsInterruptedAndFailsWithRetryTimeout() {
		AtomicInteger interrupted = new AtomicInteger();
		Retry retry = Retry.builder().timeout(Duration.ofMillis(50)).build();
		long start = System.nanoTime();

		assertThatThrownBy(() -> retry.call(() -> {
			try {
				Thread.sleep(5_000);
			}
			catch (InterruptedException ex) {
				interrupted.incrementAndGet();
				throw ex;
			}
			return "late";
		})).isInstanceOfSatisfying(RetryTimeoutException.class, (ex) -> {
			assertThat(ex.attempt()).isEqualTo(1);
			assertThat(ex.timeout()).isEqualTo(Duration.ofMillis(50));
			assertThat(ex).hasMessage("Timed out after 0.05s (attempt 1)").isInstanceOf(TimeoutException.class);
		});
		assertThat(interrupted).hasValue(1);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
		assertThat(Thread.currentThread().isInterrupted()).isFalse();
	}

	@Test
	void timedOutAttemptIsRetriedLikeAnyOtherError() throws Exception {
		AtomicInteger calls = new AtomicInteger();
		Retry retry = Retry.builder().maxAttempts(2).timeout(Duration.ofMillis(50)).build();

		String value = retry.call(() -> {
			if (calls.incrementAndGet() == 1) {
				new CountDownLatch(1).await(5, TimeUnit.SECONDS);
				return "too late";
			}
			return "second attempt";
		});

		assertThat(value).isEqualTo("second attempt");
		assertThat(calls).hasValue(2);
	}

	@Test
	void anInterruptFromOutsideStopsRetrying() throws Exception {
		AtomicInteger calls = new AtomicInteger();
		CountDownLatch started = new CountDownLatch(1);
		Retry retry = Retry.builder().maxAttempts(5).build();
		List<Throwable> thrown = new ArrayList<>();
		Thread caller = Thread.ofVirtual().start(() -> {
			try {
				retry.call(() -> {
					calls.incrementAndGet();
					started.countDown();
					new CountDownLatch(1).await();
					return null;
				});
			}
			catch (Exception ex) {
				thrown.add(ex);
			}
		});
		assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

		caller.interrupt();
		caller.join(5_000);

		assertThat(thrown).singleElement().isInstanceOf(InterruptedException.class);
		assertThat(calls).hasValue(1);
	}

	@Test
	void wrappedCallableAppliesThePolicy() throws Exception {
		AtomicInteger calls = new AtomicInteger();
		Retry retry = Retry.builder().maxAttempts(2).build();

		String value = retry.wrap(() -> {
			if (calls.incrementAndGet() == 1) {
				throw new IOException("once");
			}
			return "wrapped";
		}).call();

		assertThat(value).isEqualTo("wrapped");
	}

}
