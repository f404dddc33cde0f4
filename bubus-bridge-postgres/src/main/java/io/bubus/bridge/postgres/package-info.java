/**
 * The PostgreSQL bridge ({@link io.bubus.bridge.postgres.PostgresEventBridge}), artifact
 * {@code io.bubus:bubus-bridge-postgres}: delivery durable (catch-up after a reconnect);
 * client library {@code org.postgresql:postgresql (PgJDBC)}. The bridge contract is
 * {@link io.bubus.bridge.EventBridge}'s.
 */
@NullMarked
package io.bubus.bridge.postgres;

import org.jspecify.annotations.NullMarked;
