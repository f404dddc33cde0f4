/**
 * The NATS bridge ({@link io.bubus.bridge.nats.NatsEventBridge}), artifact
 * {@code io.bubus:bubus-bridge-nats}: delivery at most once (fire-and-forget); client
 * library {@code io.nats:jnats}. The bridge contract is
 * {@link io.bubus.bridge.EventBridge}'s.
 */
@NullMarked
package io.bubus.bridge.nats;

import org.jspecify.annotations.NullMarked;
