package io.bubus.retry;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a {@link io.bubus.BubusHandler @BubusHandler} method with a {@link Retry} policy:
 * retries, backoff, a timeout per attempt and a concurrency limit, as
 * {@link Retry#handler(Object, io.bubus.EventHandlerFunction)} does. Durations use the
 * format of {@code @BubusHandler} ({@code "250ms"}, {@code "5s"}, {@code "PT5S"}; a bare
 * number is milliseconds). The receiver of {@link SemaphoreScope#CLASS} and
 * {@link SemaphoreScope#INSTANCE} is the object whose method it is, and the default
 * semaphore name is {@code DeclaringClass.method}, so each method has its own pool.
 * Applied by {@link io.bubus.EventBus#register(Object)} and by the Spring Boot starter.
 * Invalid values fail the registration with a message naming the method.
 *
 * {@snippet :
 * class Payments {
 * 	&#64;BubusHandler
 * 	&#64;BubusRetry(maxAttempts = 3, retryAfter = "100ms", backoffFactor = 2, retryOn = IOException.class,
 * 			timeout = "5s", semaphoreLimit = 4, semaphoreName = "payments-api")
 * 	Receipt charge(ChargeCard event) throws IOException {
 * 		return this.api.charge(event.orderId);
 * 	}
 * }
 * }
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface BubusRetry {

	/** Total attempts including the first; values below 1 mean 1. */
	int maxAttempts() default 1;

	/** Delay before the second attempt; empty = none. */
	String retryAfter() default "";

	/** Factor applied to the delay after each retry. */
	double backoffFactor() default 1.0;

	/**
	 * Retry exceptions of these classes (with {@link #retryOnPattern()} and
	 * {@link #retryOnName()}: any of them); all empty = retry every exception.
	 */
	Class<? extends Throwable>[] retryOn() default {};

	/**
	 * Retry exceptions where one of these regular expressions is found in
	 * {@code "SimpleClassName: message"}.
	 */
	String[] retryOnPattern() default {};

	/** Retry exceptions whose simple class name is one of these. */
	String[] retryOnName() default {};

	/** Timeout per attempt; empty = none. */
	String timeout() default "";

	/** At most this many runs at once; 0 = no limit. */
	int semaphoreLimit() default 0;

	/** The semaphore name; empty = {@code DeclaringClass.method}. */
	String semaphoreName() default "";

	/** Which runs share a slot pool. */
	SemaphoreScope semaphoreScope() default SemaphoreScope.GLOBAL;

	/** Whether a run that gets no slot in time runs anyway (with a warning). */
	boolean semaphoreLax() default true;

	/**
	 * The longest wait for a slot; {@code "0"} = as long as it takes; empty = the default
	 * of {@link Retry.Builder#semaphoreTimeout}.
	 */
	String semaphoreTimeout() default "";

	/**
	 * Lock file directory of {@link SemaphoreScope#MULTIPROCESS}; empty = the default.
	 */
	String semaphoreDirectory() default "";

}
