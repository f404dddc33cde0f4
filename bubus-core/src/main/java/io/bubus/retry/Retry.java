package io.bubus.retry;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import io.bubus.BaseEvent;
import io.bubus.EventHandlerFunction;
import io.bubus.internal.Durations;
import io.bubus.internal.Timer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a task again when it fails, with a delay that grows, a timeout per attempt, and an
 * optional limit on how many such tasks run at once. Built once, used for any number of
 * calls; thread-safe.
 *
 * {@snippet :
 * Retry retry = Retry.builder()
 * 	.maxAttempts(3)                                  // 3 attempts in all
 * 	.retryAfter(Duration.ofMillis(100))              // wait 100 ms, then 200 ms
 * 	.backoffFactor(2.0)
 * 	.retryOn(IOException.class)                      // other errors are thrown at once
 * 	.timeout(Duration.ofSeconds(5))                  // per attempt
 * 	.semaphoreLimit(4)
 * 	.semaphoreName("payments-api")  // at most 4 calls at once
 * 	.build();
 * Receipt receipt = retry.call(() -> payments.charge(order));
 * bus.on(OrderPlaced.class, retry.handler((event) -> payments.charge(event)));
 * }
 *
 * <h2>Attempts</h2> A call runs the task up to {@code maxAttempts} times (default 1). An
 * exception that does not match the {@code retryOn} rules, or the one of the last
 * attempt, is thrown as is. Before attempt <i>k</i>+1 the call sleeps
 * {@code retryAfter × backoffFactor^(k-1)}. With a {@code timeout} each attempt runs on
 * the calling thread, which is interrupted when the attempt overruns; the attempt then
 * fails with {@link RetryTimeoutException} (retried like any other error). An attempt
 * that ignores interrupts is timed out when it returns. A call whose thread is
 * interrupted from outside stops retrying.
 *
 * <h2>Matching errors</h2> With no {@code retryOn} rule every {@link Exception} is
 * retried. Otherwise an exception is retried when it is an instance of a given class,
 * when a given {@link Pattern} is found in {@code "SimpleClassName: message"}, or when
 * its simple class name equals a given string.
 *
 * <h2>Concurrency limit</h2> With {@code semaphoreLimit(n)} at most {@code n} calls that
 * share a semaphore run at once. A call takes one slot before its first attempt and keeps
 * it through every retry and backoff, releasing it when it returns or throws. Which calls
 * share a slot pool is decided by the semaphore name (default: the class of the task or
 * handler, so each call site has its own) and the {@link SemaphoreScope}: {@code GLOBAL}
 * (the name), {@code CLASS} and {@code INSTANCE} (per receiver class or object, see
 * {@link #call(Object, Callable)}; a wrapped handler's receiver is its event), and
 * {@code MULTIPROCESS} (the name, across JVMs, through lock files in
 * {@code semaphoreDirectory}). A nested call on the same thread with a semaphore it
 * already holds runs in that slot instead of waiting for a second one. If no slot frees
 * up within {@code semaphoreTimeout} (default: {@code timeout × max(1, limit - 1)} when a
 * timeout is set, otherwise no limit), the call runs anyway with a warning
 * ({@code semaphoreLax}, the default) or fails with {@link SemaphoreTimeoutException}.
 */
public final class Retry {

	private static final Logger log = LoggerFactory.getLogger(Retry.class);

	/** Semaphore keys this thread holds a slot of, with a nesting count. */
	private static final ThreadLocal<Map<String, Integer>> HELD = ThreadLocal.withInitial(HashMap::new);

	private final int maxAttempts;

	private final Duration retryAfter;

	private final double backoffFactor;

	private final List<Class<? extends Throwable>> retryOnTypes;

	private final List<Pattern> retryOnPatterns;

	private final List<String> retryOnNames;

	private final @Nullable Duration timeout;

	private final @Nullable Integer semaphoreLimit;

	private final @Nullable Function<@Nullable Object, String> semaphoreName;

	private final boolean semaphoreLax;

	private final SemaphoreScope semaphoreScope;

	private final @Nullable Duration semaphoreTimeout;

	private final Path semaphoreDirectory;

	private Retry(Builder builder) {
		this.maxAttempts = builder.maxAttempts;
		this.retryAfter = builder.retryAfter;
		this.backoffFactor = builder.backoffFactor;
		this.retryOnTypes = List.copyOf(builder.retryOnTypes);
		this.retryOnPatterns = List.copyOf(builder.retryOnPatterns);
		this.retryOnNames = List.copyOf(builder.retryOnNames);
		this.timeout = builder.timeout;
		this.semaphoreLimit = builder.semaphoreLimit;
		this.semaphoreName = builder.semaphoreName;
		this.semaphoreLax = builder.semaphoreLax;
		this.semaphoreScope = builder.semaphoreScope;
		this.semaphoreTimeout = resolveSemaphoreTimeout(builder);
		this.semaphoreDirectory = builder.semaphoreDirectory;
	}

	private static @Nullable Duration resolveSemaphoreTimeout(Builder builder) {
		if (builder.semaphoreTimeoutSet) {
			Duration given = builder.semaphoreTimeout;
			return (given == null || given.isZero() || given.isNegative()) ? null : given;
		}
		if (builder.timeout == null || builder.semaphoreLimit == null) {
			return null;
		}
		return builder.timeout.multipliedBy(Math.max(1, builder.semaphoreLimit - 1));
	}

	/** A builder with every default: one attempt, no timeout, no concurrency limit. */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * The policy a {@link BubusRetry} annotation describes.
	 * @param annotation the annotation
	 * @param defaultSemaphoreName the semaphore name when the annotation sets none
	 * ({@code DeclaringClass.method} for a handler method)
	 * @throws IllegalArgumentException naming the attribute when a value is invalid
	 */
	public static Retry of(BubusRetry annotation, String defaultSemaphoreName) {
		Builder builder = builder().maxAttempts(annotation.maxAttempts())
			.backoffFactor(annotation.backoffFactor())
			.retryOn(annotation.retryOn())
			.retryOn(annotation.retryOnName())
			.semaphoreLimit(annotation.semaphoreLimit())
			.semaphoreName(annotation.semaphoreName().isEmpty() ? defaultSemaphoreName : annotation.semaphoreName())
			.semaphoreScope(annotation.semaphoreScope())
			.semaphoreLax(annotation.semaphoreLax());
		for (String pattern : annotation.retryOnPattern()) {
			try {
				builder.retryOn(Pattern.compile(pattern));
			}
			catch (PatternSyntaxException ex) {
				throw new IllegalArgumentException("@BubusRetry retryOnPattern is not a regular expression: " + pattern
						+ " (" + ex.getDescription() + ")", ex);
			}
		}
		Duration retryAfter = annotationDuration("retryAfter", annotation.retryAfter());
		if (retryAfter != null) {
			builder.retryAfter(retryAfter);
		}
		builder.timeout(annotationDuration("timeout", annotation.timeout()));
		if (!annotation.semaphoreTimeout().isEmpty()) {
			builder.semaphoreTimeout(annotationDuration("semaphoreTimeout", annotation.semaphoreTimeout()));
		}
		if (!annotation.semaphoreDirectory().isEmpty()) {
			builder.semaphoreDirectory(Path.of(annotation.semaphoreDirectory()));
		}
		return builder.build();
	}

	/**
	 * The policy of a method's {@link BubusRetry} annotation, with the semaphore name
	 * defaulting to {@code DeclaringClass.method}; empty without the annotation.
	 * @throws IllegalArgumentException naming the method and attribute when a value is
	 * invalid
	 */
	public static Optional<Retry> forMethod(Method method) {
		BubusRetry annotation = method.getAnnotation(BubusRetry.class);
		if (annotation == null) {
			return Optional.empty();
		}
		String name = method.getDeclaringClass().getName() + "." + method.getName();
		try {
			return Optional.of(of(annotation, name));
		}
		catch (IllegalArgumentException | IllegalStateException ex) {
			throw new IllegalArgumentException("Invalid @BubusRetry on " + name + ": " + ex.getMessage(), ex);
		}
	}

	private static @Nullable Duration annotationDuration(String attribute, String text) {
		try {
			return Durations.parse(text);
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException("@BubusRetry " + attribute + ": " + ex.getMessage(), ex);
		}
	}

	// ---- running ----

	/**
	 * Runs the task with this policy and returns its value.
	 * @throws Exception the task's exception once retries are exhausted or it does not
	 * match, {@link RetryTimeoutException}, {@link SemaphoreTimeoutException} (strict
	 * semaphores only), or {@link InterruptedException}
	 */
	public <T> T call(Callable<T> task) throws Exception {
		return call(null, task);
	}

	/**
	 * Runs the task for a receiver: the object whose class ({@link SemaphoreScope#CLASS})
	 * or identity ({@link SemaphoreScope#INSTANCE}) selects the semaphore, and which a
	 * semaphore-name function gets. {@code null} behaves like {@link #call(Callable)}.
	 */
	public <T> T call(@Nullable Object receiver, Callable<T> task) throws Exception {
		Objects.requireNonNull(task, "task");
		return execute(receiver, task.getClass().getName(), task);
	}

	/** The task wrapped in this policy, for code that takes a {@link Callable}. */
	public <T> Callable<T> wrap(Callable<T> task) {
		Objects.requireNonNull(task, "task");
		String name = task.getClass().getName();
		return () -> execute(null, name, task);
	}

	/**
	 * An event handler wrapped in this policy: each attempt runs the handler (and waits
	 * for the {@link CompletionStage} it returns, so asynchronous failures are retried
	 * too); its receiver is the event.
	 */
	public <E extends BaseEvent<?>> EventHandlerFunction<E> handler(EventHandlerFunction<E> handler) {
		Objects.requireNonNull(handler, "handler");
		String name = handler.getClass().getName();
		return (event) -> execute(event, name, () -> awaitStage(handler.handle(event)));
	}

	/**
	 * Like {@link #handler(EventHandlerFunction)}, with a fixed receiver for the
	 * {@link SemaphoreScope#CLASS} and {@link SemaphoreScope#INSTANCE} scopes and the
	 * semaphore-name function: the object whose method handles the event, say.
	 * {@code null} behaves like {@link SemaphoreScope#GLOBAL}.
	 */
	public <E extends BaseEvent<?>> EventHandlerFunction<E> handler(@Nullable Object receiver,
			EventHandlerFunction<E> handler) {
		Objects.requireNonNull(handler, "handler");
		String name = handler.getClass().getName();
		return (event) -> execute(receiver, name, () -> awaitStage(handler.handle(event)));
	}

	private static @Nullable Object awaitStage(@Nullable Object value) throws Exception {
		if (!(value instanceof CompletionStage<?> stage)) {
			return value;
		}
		try {
			return stage.toCompletableFuture().get();
		}
		catch (ExecutionException | CompletionException ex) {
			Throwable cause = ex.getCause();
			if (cause instanceof Exception exception) {
				throw exception;
			}
			throw ex;
		}
	}

	private <T> T execute(@Nullable Object receiver, String defaultName, Callable<T> task) throws Exception {
		Integer limit = this.semaphoreLimit;
		if (limit == null) {
			return attempts(task, defaultName, 0);
		}
		String key = semaphoreKey(receiver, defaultName);
		Map<String, Integer> held = HELD.get();
		if (held.containsKey(key)) {
			// a nested call with a semaphore this thread holds runs in that slot
			return attempts(task, defaultName, 0);
		}
		long waitStart = System.nanoTime();
		Slot slot = acquire(key, limit);
		long waited = System.nanoTime() - waitStart;
		held.merge(key, 1, Integer::sum);
		try {
			return attempts(task, defaultName, waited);
		}
		finally {
			held.computeIfPresent(key, (k, count) -> (count > 1) ? count - 1 : null);
			if (slot != null) {
				slot.release();
			}
		}
	}

	/** The scoped key: the semaphore name, prefixed per receiver class or object. */
	String semaphoreKey(@Nullable Object receiver, String defaultName) {
		String base = (this.semaphoreName != null) ? String.valueOf(this.semaphoreName.apply(receiver)) : defaultName;
		if (receiver == null) {
			return base;
		}
		return switch (this.semaphoreScope) {
			case GLOBAL, MULTIPROCESS -> base;
			case CLASS -> receiver.getClass().getName() + "." + base;
			case INSTANCE -> InstanceIds.of(receiver) + "." + base;
		};
	}

	private @Nullable Slot acquire(String key, int limit) throws Exception {
		boolean multiprocess = this.semaphoreScope == SemaphoreScope.MULTIPROCESS;
		Slot slot = multiprocess ? FileSemaphore.of(this.semaphoreDirectory, key, limit).acquire(this.semaphoreTimeout)
				: LocalSemaphores.acquire(key, limit, this.semaphoreTimeout);
		if (slot != null) {
			return slot;
		}
		// only reachable with a semaphore timeout
		Duration waited = Objects.requireNonNull(this.semaphoreTimeout);
		SemaphoreTimeoutException timedOut = new SemaphoreTimeoutException(multiprocess ? "multiprocess " : "", key,
				limit, waited,
				(this.timeout != null) ? ", timeout=" + Durations.describe(this.timeout) + " per operation" : "");
		if (!this.semaphoreLax) {
			throw timedOut;
		}
		log.warn("{}; running without a slot (semaphoreLax)", timedOut.getMessage());
		return null;
	}

	private <T> T attempts(Callable<T> task, String name, long semaphoreWaitNanos) throws Exception {
		long start = System.nanoTime();
		for (int attempt = 1;; attempt++) {
			try {
				return attempt(task, attempt);
			}
			catch (Exception ex) {
				boolean last = attempt >= this.maxAttempts;
				if (last || !shouldRetry(ex)) {
					if (last && this.maxAttempts > 1) {
						log.error("{} failed after {} attempts in {} (waited {} for a semaphore slot): {}", name,
								attempt, millis(System.nanoTime() - start), millis(semaphoreWaitNanos), describe(ex));
					}
					throw ex;
				}
				Duration delay = delayBefore(attempt + 1);
				if (attempt + 1 == this.maxAttempts) {
					log.warn("{} failed (attempt {}/{}): {}. Waiting {} before retry...", name, attempt,
							this.maxAttempts, describe(ex), Durations.describe(delay));
				}
				if (!delay.isZero()) {
					Thread.sleep(delay);
				}
			}
		}
	}

	private <T> T attempt(Callable<T> task, int attempt) throws Exception {
		Duration limit = this.timeout;
		if (limit == null) {
			return task.call();
		}
		AttemptDeadline deadline = new AttemptDeadline(Thread.currentThread(), limit);
		T value;
		try {
			value = task.call();
		}
		catch (Exception ex) {
			if (deadline.finish()) {
				throw ex;
			}
			RetryTimeoutException timedOut = new RetryTimeoutException(limit, attempt);
			timedOut.initCause(ex);
			throw timedOut;
		}
		// a value that arrived just after the deadline still counts
		deadline.finish();
		return value;
	}

	private boolean shouldRetry(Exception error) {
		if (error instanceof InterruptedException || Thread.currentThread().isInterrupted()) {
			// interrupted from outside (a bus timeout, shutdown): stop, do not retry
			return false;
		}
		if (this.retryOnTypes.isEmpty() && this.retryOnPatterns.isEmpty() && this.retryOnNames.isEmpty()) {
			return true;
		}
		for (Class<? extends Throwable> type : this.retryOnTypes) {
			if (type.isInstance(error)) {
				return true;
			}
		}
		String simpleName = error.getClass().getSimpleName();
		if (this.retryOnNames.contains(simpleName)) {
			return true;
		}
		String text = describe(error);
		for (Pattern pattern : this.retryOnPatterns) {
			if (pattern.matcher(text).find()) {
				return true;
			}
		}
		return false;
	}

	private static String millis(long nanos) {
		return Durations.describe(Duration.ofMillis(nanos / 1_000_000));
	}

	/** {@code SimpleName: message}, the text patterns are matched against. */
	static String describe(Throwable error) {
		String message = error.getMessage();
		return error.getClass().getSimpleName() + ": " + ((message != null) ? message : "");
	}

	/** The sleep before attempt {@code next} (from 2): retryAfter × factor^(next-2). */
	Duration delayBefore(int next) {
		double nanos = this.retryAfter.toNanos() * Math.pow(this.backoffFactor, next - 2);
		return Duration.ofNanos((long) Math.min(nanos, Long.MAX_VALUE));
	}

	// ---- configuration ----

	/** Total attempts, at least 1. */
	public int maxAttempts() {
		return this.maxAttempts;
	}

	/** Delay before the second attempt. */
	public Duration retryAfter() {
		return this.retryAfter;
	}

	/** Factor applied to the delay after each retry. */
	public double backoffFactor() {
		return this.backoffFactor;
	}

	/** Per-attempt timeout, or {@code null} for none. */
	public @Nullable Duration timeout() {
		return this.timeout;
	}

	/** Concurrency limit, or {@code null} for none. */
	public @Nullable Integer semaphoreLimit() {
		return this.semaphoreLimit;
	}

	/** Whether a call that gets no slot in time runs anyway. */
	public boolean semaphoreLax() {
		return this.semaphoreLax;
	}

	/** Which calls share a slot pool. */
	public SemaphoreScope semaphoreScope() {
		return this.semaphoreScope;
	}

	/** How long a call waits for a slot, or {@code null} for as long as it takes. */
	public @Nullable Duration semaphoreTimeout() {
		return this.semaphoreTimeout;
	}

	@Override
	public String toString() {
		return "Retry[maxAttempts=" + this.maxAttempts + ", retryAfter=" + this.retryAfter + ", backoffFactor="
				+ this.backoffFactor + ", timeout=" + this.timeout + ", semaphoreLimit=" + this.semaphoreLimit
				+ ", scope=" + this.semaphoreScope + "]";
	}

	/**
	 * Interrupts the attempt's thread when the attempt overruns. The timer and the
	 * attempt settle under one lock, so an interrupt meant for an attempt never leaks
	 * into the code that runs after it.
	 */
	private static final class AttemptDeadline {

		private final Thread thread;

		private final Timer.Task task;

		private boolean settled;

		private boolean expired;

		AttemptDeadline(Thread thread, Duration timeout) {
			this.thread = thread;
			this.task = Timer.schedule(timeout.toNanos(), this::expire);
		}

		private synchronized void expire() {
			if (!this.settled) {
				this.settled = true;
				this.expired = true;
				this.thread.interrupt();
			}
		}

		/** Settles the attempt; false when it had expired (its interrupt is cleared). */
		synchronized boolean finish() {
			this.task.cancel();
			if (this.expired) {
				Thread.interrupted();
				return false;
			}
			this.settled = true;
			return true;
		}

	}

	/** Configures a {@link Retry}. */
	public static final class Builder {

		private int maxAttempts = 1;

		private Duration retryAfter = Duration.ZERO;

		private double backoffFactor = 1.0;

		private final List<Class<? extends Throwable>> retryOnTypes = new ArrayList<>();

		private final List<Pattern> retryOnPatterns = new ArrayList<>();

		private final List<String> retryOnNames = new ArrayList<>();

		private @Nullable Duration timeout;

		private @Nullable Integer semaphoreLimit;

		private @Nullable Function<@Nullable Object, String> semaphoreName;

		private boolean semaphoreLax = true;

		private SemaphoreScope semaphoreScope = SemaphoreScope.GLOBAL;

		private @Nullable Duration semaphoreTimeout;

		private boolean semaphoreTimeoutSet;

		private Path semaphoreDirectory = Path.of(System.getProperty("java.io.tmpdir"), "bubus_semaphores");

		private Builder() {
		}

		/** Total attempts including the first (default 1); values below 1 mean 1. */
		public Builder maxAttempts(int maxAttempts) {
			this.maxAttempts = Math.max(1, maxAttempts);
			return this;
		}

		/** Delay before the second attempt (default 0); negative means 0. */
		public Builder retryAfter(Duration retryAfter) {
			this.retryAfter = retryAfter.isNegative() ? Duration.ZERO : retryAfter;
			return this;
		}

		/**
		 * Factor for each further delay (default 1.0): with 30 ms and 2.0 the delays are
		 * 30, 60, 120 ms.
		 */
		public Builder backoffFactor(double backoffFactor) {
			if (!(backoffFactor >= 0) || Double.isInfinite(backoffFactor)) {
				throw new IllegalArgumentException("backoffFactor must be a finite number >= 0, got " + backoffFactor);
			}
			this.backoffFactor = backoffFactor;
			return this;
		}

		/** Retries exceptions that are instances of these classes (repeatable). */
		@SafeVarargs
		public final Builder retryOn(Class<? extends Throwable>... types) {
			this.retryOnTypes.addAll(List.of(types));
			return this;
		}

		/**
		 * Retries exceptions where a pattern is found in
		 * {@code "SimpleClassName: message"} (repeatable).
		 */
		public Builder retryOn(Pattern... patterns) {
			this.retryOnPatterns.addAll(List.of(patterns));
			return this;
		}

		/** Retries exceptions whose simple class name is one of these (repeatable). */
		public Builder retryOn(String... simpleClassNames) {
			this.retryOnNames.addAll(List.of(simpleClassNames));
			return this;
		}

		/** Per-attempt timeout; {@code null}, zero or negative means none (default). */
		public Builder timeout(@Nullable Duration timeout) {
			this.timeout = (timeout == null || timeout.isZero() || timeout.isNegative()) ? null : timeout;
			return this;
		}

		/**
		 * At most this many calls at once; {@code null} or below 1 means no limit
		 * (default).
		 */
		public Builder semaphoreLimit(@Nullable Integer semaphoreLimit) {
			this.semaphoreLimit = (semaphoreLimit == null || semaphoreLimit < 1) ? null : semaphoreLimit;
			return this;
		}

		/** The semaphore name (default: the class of the task or handler). */
		public Builder semaphoreName(String semaphoreName) {
			Objects.requireNonNull(semaphoreName, "semaphoreName");
			this.semaphoreName = (receiver) -> semaphoreName;
			return this;
		}

		/**
		 * The semaphore name computed per call from the receiver ({@code null} without
		 * one; the event for a wrapped handler), so calls about the same thing share a
		 * limit.
		 */
		public Builder semaphoreName(Function<@Nullable Object, String> semaphoreName) {
			this.semaphoreName = Objects.requireNonNull(semaphoreName, "semaphoreName");
			return this;
		}

		/**
		 * Whether a call that gets no slot within the semaphore timeout runs anyway, with
		 * a warning (default true), or fails with {@link SemaphoreTimeoutException}.
		 */
		public Builder semaphoreLax(boolean semaphoreLax) {
			this.semaphoreLax = semaphoreLax;
			return this;
		}

		/** Which calls share a slot pool (default {@link SemaphoreScope#GLOBAL}). */
		public Builder semaphoreScope(SemaphoreScope semaphoreScope) {
			this.semaphoreScope = Objects.requireNonNull(semaphoreScope, "semaphoreScope");
			return this;
		}

		/**
		 * The longest wait for a slot; zero or negative waits as long as it takes.
		 * Default: {@code timeout × max(1, limit - 1)} with a timeout, else as long as it
		 * takes.
		 */
		public Builder semaphoreTimeout(@Nullable Duration semaphoreTimeout) {
			this.semaphoreTimeout = semaphoreTimeout;
			this.semaphoreTimeoutSet = true;
			return this;
		}

		/**
		 * Where {@link SemaphoreScope#MULTIPROCESS} keeps its lock files (default
		 * {@code <java.io.tmpdir>/bubus_semaphores}); every JVM sharing a limit must use
		 * the same directory.
		 */
		public Builder semaphoreDirectory(Path semaphoreDirectory) {
			this.semaphoreDirectory = Objects.requireNonNull(semaphoreDirectory, "semaphoreDirectory");
			return this;
		}

		/**
		 * Builds the policy.
		 * @throws IllegalStateException for a {@link SemaphoreScope#MULTIPROCESS} limit
		 * without a semaphore name (task class names differ between JVMs)
		 */
		public Retry build() {
			if (this.semaphoreScope == SemaphoreScope.MULTIPROCESS && this.semaphoreLimit != null
					&& this.semaphoreName == null) {
				throw new IllegalStateException("A MULTIPROCESS semaphore needs semaphoreName(...): every JVM must "
						+ "use the same name, and the default (the task's class) differs between JVMs");
			}
			return new Retry(this);
		}

	}

}
