package io.bubus.retry;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Retry concurrency limits in one JVM: scopes, strict and lax, slots across retries,
 * nesting (spec §3.4).
 */
class RetrySemaphoreTests {

	private static final Duration WORK = Duration.ofMillis(60);

	@TempDir
	Path dir;

	/** Each test gets its own semaphore names: the registry is process-wide. */
	private String unique(TestInfo info, String suffix) {
		return info.getTestMethod().orElseThrow().getName() + "_" + suffix;
	}

	/** Runs the calls at once, each on its own virtual thread, and waits for all. */
	private static List<Object> runConcurrently(List<Callable<?>> calls) throws Exception {
		try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
			List<Future<?>> futures = new ArrayList<>();
			for (Callable<?> call : calls) {
				futures.add(executor.submit(call));
			}
			List<Object> values = new ArrayList<>();
			for (Future<?> future : futures) {
				values.add(future.get(30, TimeUnit.SECONDS));
			}
			return values;
		}
	}

	private static List<Callable<?>> times(int count, Callable<?> call) {
		return Stream.<Callable<?>>generate(() -> call).limit(count).toList();
	}

	@Test
	void limitOfTwoLetsAtMostTwoOfSixCallsRunAtOnce(TestInfo info) throws Exception {
		ActiveCount active = new ActiveCount();
		Retry retry = Retry.builder().semaphoreLimit(2).semaphoreName(unique(info, "pool")).build();

		List<Object> values = runConcurrently(times(6, () -> retry.call(() -> active.work(WORK))));

		assertThat(values).hasSize(6).containsOnly("done");
		assertThat(active.max()).isEqualTo(2);
	}

	@Test
	void callsWithTheSameNameShareAPoolAcrossDifferentPolicies(TestInfo info) throws Exception {
		ActiveCount active = new ActiveCount();
		String shared = unique(info, "shared");
		Retry first = Retry.builder().semaphoreLimit(1).semaphoreName(shared).build();
		Retry second = Retry.builder().semaphoreLimit(1).semaphoreName(shared).build();

		runConcurrently(List.of(() -> first.call(() -> active.work(WORK)), () -> second.call(() -> active.work(WORK)),
				() -> first.call(() -> active.work(WORK))));

		assertThat(active.max()).isEqualTo(1);
	}

	@Test
	void strictSemaphoreFailsWithTheScopedNameWhenNoSlotFreesUpInTime(TestInfo info) throws Exception {
		String semaphore = unique(info, "strict");
		CountDownLatch holding = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		Retry retry = Retry.builder()
			.semaphoreLimit(1)
			.semaphoreName(semaphore)
			.semaphoreLax(false)
			.semaphoreTimeout(Duration.ofMillis(50))
			.build();
		try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
			Future<Object> holder = executor.submit(() -> retry.call(() -> {
				holding.countDown();
				return release.await(10, TimeUnit.SECONDS);
			}));
			assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();

			assertThatThrownBy(() -> retry.call(() -> "never runs"))
				.isInstanceOfSatisfying(SemaphoreTimeoutException.class, (ex) -> {
					assertThat(ex.semaphoreName()).isEqualTo(semaphore);
					assertThat(ex.semaphoreLimit()).isEqualTo(1);
					assertThat(ex.timeout()).isEqualTo(Duration.ofMillis(50));
					assertThat(ex)
						.hasMessage("Failed to acquire semaphore \"" + semaphore + "\" within 0.05s (limit=1)");
				});
			release.countDown();
			assertThat(holder.get(10, TimeUnit.SECONDS)).isEqualTo(true);
		}
	}

	@Test
	void laxSemaphoreRunsTheCallWithoutASlotWhenNoneFreesUpInTime(TestInfo info) throws Exception {
		CountDownLatch holding = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		Retry retry = Retry.builder()
			.semaphoreLimit(1)
			.semaphoreName(unique(info, "lax"))
			.semaphoreTimeout(Duration.ofMillis(50))
			.build();
		try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
			Future<Object> holder = executor.submit(() -> retry.call(() -> {
				holding.countDown();
				return release.await(10, TimeUnit.SECONDS);
			}));
			assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();

			assertThat(retry.call(() -> "ran anyway")).isEqualTo("ran anyway");
			release.countDown();
			assertThat(holder.get(10, TimeUnit.SECONDS)).isEqualTo(true);
		}
	}

	@Test
	void defaultSemaphoreTimeoutIsTheAttemptTimeoutTimesLimitMinusOne() {
		Retry retry = Retry.builder().timeout(Duration.ofSeconds(2)).semaphoreLimit(3).build();
		Retry limitOne = Retry.builder().timeout(Duration.ofSeconds(2)).semaphoreLimit(1).build();
		Retry forever = Retry.builder()
			.timeout(Duration.ofSeconds(2))
			.semaphoreLimit(3)
			.semaphoreTimeout(Duration.ZERO)
			.build();

		assertThat(retry.semaphoreTimeout()).isEqualTo(Duration.ofSeconds(4));
		assertThat(limitOne.semaphoreTimeout()).isEqualTo(Duration.ofSeconds(2));
		assertThat(forever.semaphoreTimeout()).isNull();
	}

	@Test
	void aCallKeepsItsSlotThroughEveryRetry(TestInfo info) throws Exception {
		ActiveCount active = new ActiveCount();
		AtomicInteger calls = new AtomicInteger();
		Retry retry = Retry.builder()
			.maxAttempts(2)
			.retryAfter(Duration.ofMillis(10))
			.semaphoreLimit(1)
			.semaphoreName(unique(info, "held"))
			.build();
		Callable<Object> flakyOnce = () -> {
			AtomicInteger attempts = new AtomicInteger();
			return retry.call(() -> {
				calls.incrementAndGet();
				active.work(Duration.ofMillis(20));
				if (attempts.incrementAndGet() == 1) {
					throw new IllegalStateException("first attempt fails");
				}
				return "ok";
			});
		};

		List<Object> values = runConcurrently(List.of(flakyOnce, flakyOnce, flakyOnce));

		assertThat(values).containsOnly("ok");
		assertThat(calls).hasValue(6);
		assertThat(active.max()).isEqualTo(1);
	}

	@Test
	void theSlotIsReleasedWhenEveryAttemptFailed(TestInfo info) throws Exception {
		Retry retry = Retry.builder()
			.maxAttempts(2)
			.semaphoreLimit(1)
			.semaphoreName(unique(info, "released"))
			.semaphoreLax(false)
			.semaphoreTimeout(Duration.ofMillis(200))
			.build();

		assertThatThrownBy(() -> retry.call(() -> {
			throw new IllegalStateException("always");
		})).isInstanceOf(IllegalStateException.class);

		assertThat(retry.call(() -> "next call gets the slot")).isEqualTo("next call gets the slot");
	}

	@Test
	void nestedAndRecursiveCallsWithTheSameSemaphoreRunInTheOuterSlot(TestInfo info) throws Exception {
		Retry retry = Retry.builder()
			.semaphoreLimit(1)
			.semaphoreName(unique(info, "nested"))
			.semaphoreLax(false)
			.semaphoreTimeout(Duration.ofSeconds(2))
			.build();

		assertThat(recurse(retry, 5)).isEqualTo(5);
		assertThat(retry.call(() -> retry.call(() -> retry.call(() -> "three levels")))).isEqualTo("three levels");
	}

	private static int recurse(Retry retry, int depth) throws Exception {
		return retry.call(() -> (depth <= 1) ? 1 : 1 + recurse(retry, depth - 1));
	}

	@Test
	void nestedCallsWithOtherSemaphoresStillEnforceTheirOwnLimits(TestInfo info) throws Exception {
		ActiveCount inner = new ActiveCount();
		Retry outer = Retry.builder().semaphoreLimit(3).semaphoreName(unique(info, "outer")).build();
		Retry innerRetry = Retry.builder().semaphoreLimit(1).semaphoreName(unique(info, "inner")).build();

		runConcurrently(times(3, () -> outer.call(() -> innerRetry.call(() -> inner.work(WORK)))));

		assertThat(inner.max()).isEqualTo(1);
	}

	static final class Worker {

	}

	static final class OtherWorker {

	}

	@Test
	void classScopeSharesOnePoolPerReceiverClass(TestInfo info) throws Exception {
		ActiveCount sameClass = new ActiveCount();
		ActiveCount otherClasses = new ActiveCount();
		Retry retry = Retry.builder()
			.semaphoreLimit(1)
			.semaphoreName(unique(info, "work"))
			.semaphoreScope(SemaphoreScope.CLASS)
			.build();
		Worker a = new Worker();
		Worker b = new Worker();

		runConcurrently(List.of(() -> retry.call(a, () -> sameClass.work(WORK)),
				() -> retry.call(b, () -> sameClass.work(WORK))));
		runConcurrently(List.of(() -> retry.call(a, () -> otherClasses.work(WORK)),
				() -> retry.call(new OtherWorker(), () -> otherClasses.work(WORK))));

		assertThat(sameClass.max()).isEqualTo(1);
		assertThat(otherClasses.max()).isEqualTo(2);
		assertThat(retry.semaphoreKey(a, "x")).isEqualTo(Worker.class.getName() + "." + unique(info, "work"));
	}

	@Test
	void instanceScopeSharesOnePoolPerReceiverObject(TestInfo info) throws Exception {
		ActiveCount differentObjects = new ActiveCount();
		ActiveCount sameObject = new ActiveCount();
		Retry retry = Retry.builder()
			.semaphoreLimit(1)
			.semaphoreName(unique(info, "work"))
			.semaphoreScope(SemaphoreScope.INSTANCE)
			.build();
		Worker a = new Worker();
		Worker b = new Worker();

		runConcurrently(List.of(() -> retry.call(a, () -> differentObjects.work(WORK)),
				() -> retry.call(b, () -> differentObjects.work(WORK))));
		runConcurrently(List.of(() -> retry.call(a, () -> sameObject.work(WORK)),
				() -> retry.call(a, () -> sameObject.work(WORK))));

		assertThat(differentObjects.max()).isEqualTo(2);
		assertThat(sameObject.max()).isEqualTo(1);
		assertThat(retry.semaphoreKey(a, "x")).isEqualTo(retry.semaphoreKey(a, "y"))
			.isNotEqualTo(retry.semaphoreKey(b, "x"));
	}

	@Test
	void classAndInstanceScopesWithoutAReceiverBehaveLikeGlobal(TestInfo info) throws Exception {
		for (SemaphoreScope scope : List.of(SemaphoreScope.CLASS, SemaphoreScope.INSTANCE)) {
			ActiveCount active = new ActiveCount();
			Retry retry = Retry.builder()
				.semaphoreLimit(1)
				.semaphoreName(unique(info, scope.name()))
				.semaphoreScope(scope)
				.build();

			runConcurrently(times(2, () -> retry.call(() -> active.work(WORK))));

			assertThat(active.max()).as(scope.name()).isEqualTo(1);
		}
	}

	@Test
	void semaphoreNameFunctionKeysTheLimitOnTheReceiver(TestInfo info) throws Exception {
		ActiveCount sameKey = new ActiveCount();
		ActiveCount differentKeys = new ActiveCount();
		String prefix = unique(info, "user-");
		Retry retry = Retry.builder().semaphoreLimit(1).semaphoreName((receiver) -> prefix + receiver).build();

		runConcurrently(List.of(() -> retry.call("ada", () -> sameKey.work(WORK)),
				() -> retry.call("ada", () -> sameKey.work(WORK))));
		runConcurrently(List.of(() -> retry.call("ada", () -> differentKeys.work(WORK)),
				() -> retry.call("grace", () -> differentKeys.work(WORK))));

		assertThat(sameKey.max()).isEqualTo(1);
		assertThat(differentKeys.max()).isGreaterThanOrEqualTo(2);
	}

	@Test
	void withoutANameEachCallSiteHasItsOwnPool() throws Exception {
		ActiveCount active = new ActiveCount();
		Retry retry = Retry.builder().semaphoreLimit(1).build();

		runConcurrently(List.of(() -> retry.call(() -> active.work(WORK)), () -> retry.call(() -> active.work(WORK))));

		assertThat(active.max()).isEqualTo(2);
	}

	@Test
	void multiprocessScopeLimitsThreadsOfOneJvmToo(TestInfo info) throws Exception {
		ActiveCount active = new ActiveCount();
		Retry retry = Retry.builder()
			.semaphoreLimit(2)
			.semaphoreName(unique(info, "mp"))
			.semaphoreScope(SemaphoreScope.MULTIPROCESS)
			.semaphoreDirectory(this.dir)
			.semaphoreLax(false)
			.semaphoreTimeout(Duration.ofSeconds(20))
			.build();

		List<Object> values = runConcurrently(times(6, () -> retry.call(() -> active.work(WORK))));

		assertThat(values).containsOnly("done");
		assertThat(active.max()).isEqualTo(2);
		try (Stream<Path> files = Files.list(this.dir)) {
			assertThat(files.map((file) -> file.getFileName().toString()))
				.containsExactlyInAnyOrder(unique(info, "mp") + ".00.lock", unique(info, "mp") + ".01.lock");
		}
	}

	@Test
	void multiprocessSemaphoreSurvivesItsDirectoryBeingRemoved(TestInfo info) throws Exception {
		Path semaphores = this.dir.resolve("semaphores");
		CountDownLatch removed = new CountDownLatch(1);
		AtomicInteger started = new AtomicInteger();
		Retry retry = Retry.builder()
			.semaphoreLimit(2)
			.semaphoreName(unique(info, "vanishing"))
			.semaphoreScope(SemaphoreScope.MULTIPROCESS)
			.semaphoreDirectory(semaphores)
			.semaphoreTimeout(Duration.ofSeconds(5))
			.build();
		Callable<Object> call = () -> retry.call(() -> {
			if (started.incrementAndGet() == 1) {
				removeDirectory(semaphores);
				removed.countDown();
			}
			return removed.await(10, TimeUnit.SECONDS);
		});

		List<Object> values = runConcurrently(List.of(call, call, call));

		assertThat(values).containsOnly(true);
		assertThat(semaphores).isDirectory();
	}

	/** Removes the directory even while other callers are creating slot files in it. */
	private static void removeDirectory(Path directory) throws IOException {
		while (true) {
			try (Stream<Path> files = Files.list(directory)) {
				for (Path file : files.toList()) {
					Files.deleteIfExists(file);
				}
			}
			try {
				Files.delete(directory);
				return;
			}
			catch (DirectoryNotEmptyException ex) {
				// another caller took a slot meanwhile: remove its file too
			}
		}
	}

	@Test
	void multiprocessWithoutANameIsRejected() {
		assertThatThrownBy(() -> Retry.builder().semaphoreLimit(2).semaphoreScope(SemaphoreScope.MULTIPROCESS).build())
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("semaphoreName");
	}

}
