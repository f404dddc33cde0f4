/**
 * Retry with backoff, per-attempt timeouts and concurrency limits around any
 * {@link java.util.concurrent.Callable} or event handler: see {@link Retry}.
 */
@NullMarked
package io.bubus.retry;

import org.jspecify.annotations.NullMarked;
