/**
 * Built-in {@link io.bubus.EventBusMiddleware middlewares}, registered with
 * {@code EventBus.builder(name).middleware(m)}:
 * <ul>
 * <li>{@link AutoErrorEventMiddleware} and {@link AutoReturnEventMiddleware} turn handler
 * errors and return values into events ({@code <Type>ErrorEvent},
 * {@code <Type>ResultEvent}), so they can cross bridges;</li>
 * <li>{@link AutoHandlerChangeEventMiddleware} emits an event for every handler
 * registration and removal;</li>
 * <li>{@link WalEventBusMiddleware} keeps a JSON Lines write-ahead log and replays
 * accepted events a crashed process never completed;</li>
 * <li>{@link LoggerEventBusMiddleware} logs every completed event;</li>
 * <li>{@link SqliteHistoryMirrorMiddleware} mirrors every event and result transition
 * into append-only SQLite audit tables;</li>
 * <li>{@link ObservationEventBusMiddleware} records Micrometer observations (spans and
 * timers) of events and handler runs, with parents following the event tree.</li>
 * </ul>
 */
@NullMarked
package io.bubus.middleware;

import org.jspecify.annotations.NullMarked;
