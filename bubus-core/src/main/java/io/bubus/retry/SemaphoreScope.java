package io.bubus.retry;

/**
 * Which calls share a {@link Retry} concurrency limit. The semaphore name is the base;
 * the scope decides what is added to it.
 */
public enum SemaphoreScope {

	/** Every call with the same semaphore name shares one pool, in this JVM. */
	GLOBAL,

	/**
	 * Calls whose receiver has the same class share a pool
	 * ({@code <class name>.<semaphore name>}); without a receiver, like {@link #GLOBAL}.
	 */
	CLASS,

	/**
	 * Calls on the same receiver object share a pool; different objects do not. Without a
	 * receiver, like {@link #GLOBAL}.
	 */
	INSTANCE,

	/**
	 * Every call with the same semaphore name shares one pool across all JVMs on this
	 * machine that use the same semaphore directory: one lock file per slot, held with an
	 * OS file lock, so a slot is freed when its holder dies.
	 */
	MULTIPROCESS

}
