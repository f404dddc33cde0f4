/**
 * Durable {@link io.bubus.EventHistoryStore event history stores}:
 * {@link JdbcEventHistoryStore} keeps completed events in a PostgreSQL or SQLite table so
 * history survives a restart and {@code find} can look past the in-memory window.
 */
@NullMarked
package io.bubus.history;

import org.jspecify.annotations.NullMarked;
