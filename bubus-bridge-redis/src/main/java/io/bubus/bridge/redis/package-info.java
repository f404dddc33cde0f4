/**
 * The Redis bridge ({@link io.bubus.bridge.redis.RedisEventBridge}), artifact
 * {@code io.bubus:bubus-bridge-redis}: delivery at most once (fire-and-forget); client
 * library {@code io.lettuce:lettuce-core}. The bridge contract is
 * {@link io.bubus.bridge.EventBridge}'s.
 */
@NullMarked
package io.bubus.bridge.redis;

import org.jspecify.annotations.NullMarked;
