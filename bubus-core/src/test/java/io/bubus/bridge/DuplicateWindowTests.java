package io.bubus.bridge;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DuplicateWindowTests {

	private final AtomicLong now = new AtomicLong();

	@Test
	void aNewIdIsClaimedAndADuplicateOfAHandledOneIsSuppressedAtOnce() {
		DuplicateWindow window = new DuplicateWindow(10, Duration.ofMinutes(1), this.now::get);
		assertThat(window.claim("a")).isNull();
		window.settle("a", true);
		CompletableFuture<Boolean> duplicate = window.claim("a");
		assertThat(duplicate).isCompletedWithValue(true);
		assertThat(window.suppressed()).isOne();
	}

	@Test
	void aDuplicateOfAnIdInFlightGetsTheOriginalsOutcomeWhenItSettles() {
		DuplicateWindow window = new DuplicateWindow(10, Duration.ofMinutes(1), this.now::get);
		assertThat(window.claim("a")).isNull();
		CompletableFuture<Boolean> duplicate = window.claim("a");
		assertThat(duplicate).isNotDone();
		window.settle("a", true);
		assertThat(duplicate).isCompletedWithValue(true);
	}

	@Test
	void anIdWhoseWorkDidNotFinishIsForgottenSoTheNextDeliveryRuns() {
		DuplicateWindow window = new DuplicateWindow(10, Duration.ofMinutes(1), this.now::get);
		assertThat(window.claim("a")).isNull();
		CompletableFuture<Boolean> duplicate = window.claim("a");
		window.settle("a", false);
		assertThat(duplicate).isCompletedWithValue(false);
		assertThat(window.contains("a")).isFalse();
		assertThat(window.claim("a")).isNull();
	}

	@Test
	void theOldestIdIsForgottenPastTheSizeLimit() {
		DuplicateWindow window = new DuplicateWindow(3, Duration.ofMinutes(1), this.now::get);
		for (String id : List.of("a", "b", "c", "d")) {
			assertThat(window.claim(id)).isNull();
			window.settle(id, true);
		}
		assertThat(window.size()).isEqualTo(3);
		assertThat(window.contains("a")).isFalse();
		assertThat(window.claim("a")).as("forgotten, so handled again").isNull();
		assertThat(window.contains("b")).isFalse();
		assertThat(window.claim("d")).isCompletedWithValue(true);
	}

	@Test
	void anIdEvictedWhileInFlightReleasesItsWaitingDuplicates() {
		DuplicateWindow window = new DuplicateWindow(1, Duration.ofMinutes(1), this.now::get);
		assertThat(window.claim("a")).isNull();
		CompletableFuture<Boolean> duplicate = window.claim("a");
		assertThat(window.claim("b")).isNull();
		assertThat(duplicate).as("nobody will settle it: it runs again").isCompletedWithValue(false);
	}

	@Test
	void aHandledIdIsForgottenAfterTheAgeLimitButAnIdInFlightIsKept() {
		DuplicateWindow window = new DuplicateWindow(10, Duration.ofSeconds(60), this.now::get);
		window.claim("old");
		window.claim("running");
		window.settle("old", true);
		this.now.addAndGet(Duration.ofSeconds(59).toNanos());
		assertThat(window.contains("old")).isTrue();
		this.now.addAndGet(Duration.ofSeconds(2).toNanos());
		assertThat(window.contains("old")).isFalse();
		assertThat(window.contains("running")).isTrue();
		assertThat(window.claim("old")).isNull();
	}

	@Test
	void rejectsBadBounds() {
		assertThatThrownBy(() -> new DuplicateWindow(0, Duration.ofSeconds(1)))
			.hasMessage("duplicate window size must be at least 1, got 0");
		assertThatThrownBy(() -> new DuplicateWindow(1, Duration.ZERO))
			.hasMessage("duplicate window age must be positive, got PT0S");
	}

	@Test
	void concurrentDeliveriesOfTheSameIdsAreHandledOnceEach() throws Exception {
		DuplicateWindow window = new DuplicateWindow();
		int ids = 2000;
		int threads = 8;
		AtomicInteger handled = new AtomicInteger();
		AtomicInteger settledDuplicates = new AtomicInteger();
		CountDownLatch start = new CountDownLatch(1);
		try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
			List<Future<?>> runs = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				runs.add(pool.submit(() -> {
					start.await();
					for (int i = 0; i < ids; i++) {
						String id = "id" + i;
						CompletableFuture<Boolean> original = window.claim(id);
						if (original == null) {
							handled.incrementAndGet();
							window.settle(id, true);
						}
						else {
							original.thenRun(settledDuplicates::incrementAndGet);
						}
					}
					return null;
				}));
			}
			start.countDown();
			for (Future<?> run : runs) {
				run.get();
			}
		}
		assertThat(handled).hasValue(ids);
		assertThat(settledDuplicates).hasValue(ids * (threads - 1));
		assertThat(window.suppressed()).isEqualTo((long) ids * (threads - 1));
	}

}
