/**
 * The NATS bridges, artifact {@code io.bubus:bubus-bridge-nats}, client library
 * {@code io.nats:jnats}: {@link io.bubus.bridge.nats.NatsEventBridge} over core NATS (at
 * most once, every loss it can see counted and logged) and
 * {@link io.bubus.bridge.nats.NatsJetStreamEventBridge} over a JetStream stream (at least
 * once, acknowledged after handling, duplicates suppressed, work shared by a durable
 * consumer, resume). The bridge contract is {@link io.bubus.bridge.EventBridge}'s.
 */
@NullMarked
package io.bubus.bridge.nats;

import org.jspecify.annotations.NullMarked;
