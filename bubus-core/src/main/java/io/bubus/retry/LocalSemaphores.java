package io.bubus.retry;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * The in-JVM semaphores of {@link Retry}, one per scoped key. The first limit used with a
 * key wins. Waiters get slots in arrival order.
 */
final class LocalSemaphores {

	private static final Map<String, Semaphore> SEMAPHORES = new ConcurrentHashMap<>();

	private LocalSemaphores() {
	}

	/**
	 * A slot of the key's semaphore, or {@code null} when none freed up within the
	 * timeout ({@code null} timeout = wait as long as it takes).
	 */
	static @Nullable Slot acquire(String key, int limit, @Nullable Duration timeout) throws InterruptedException {
		Semaphore semaphore = SEMAPHORES.computeIfAbsent(key, (k) -> new Semaphore(limit, true));
		if (timeout == null) {
			semaphore.acquire();
		}
		else if (!semaphore.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
			return null;
		}
		return semaphore::release;
	}

}
