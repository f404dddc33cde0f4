/**
 * The SQLite bridge ({@link io.bubus.bridge.sqlite.SqliteEventBridge}), artifact
 * {@code io.bubus:bubus-bridge-sqlite}: delivery durable (resume from a cursor); client
 * library {@code org.xerial:sqlite-jdbc}. The bridge contract is
 * {@link io.bubus.bridge.EventBridge}'s.
 */
@NullMarked
package io.bubus.bridge.sqlite;

import org.jspecify.annotations.NullMarked;
