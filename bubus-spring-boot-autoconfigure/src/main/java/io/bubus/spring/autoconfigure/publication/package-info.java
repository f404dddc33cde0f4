/**
 * Transactional emit and the durable publication log: an event emitted inside a Spring
 * transaction is written with one row per handler in that transaction, dispatched after
 * commit, and its failed or never-run handlers are resubmitted later.
 */
@NullMarked
package io.bubus.spring.autoconfigure.publication;

import org.jspecify.annotations.NullMarked;
