/**
 * Bridges carry events between processes and languages over a transport. A bridge sends
 * with {@code emit(event)} and receives with {@code on(pattern, handler)}, so
 * {@code bus.on("*", bridge::emit)} and {@code bridge.on("*", bus::emit)} connect a bus
 * to it. Events keep their {@code event_path} across the wire, which is what stops loops.
 * <p>
 * Received bad input (malformed JSON, unknown {@code event_*} fields, wrong field types,
 * messages over {@link io.bubus.bridge.EventBridge#maxMessageBytes()}) is logged with the
 * bridge name and the reason, counted in
 * {@link io.bubus.bridge.EventBridge#droppedMessages()} and dropped; the bridge keeps
 * receiving.
 * <p>
 * One class per transport; each class description states its delivery guarantee and what
 * happens when the connection drops. This package holds the base classes and the bridges
 * that need only the JDK; each transport with a client library is its own artifact
 * {@code io.bubus:bubus-bridge-<name>} with its classes in
 * {@code io.bubus.bridge.<name>}:
 * <table>
 * <caption>Bridges</caption>
 * <tr>
 * <th>bridge</th>
 * <th>delivery</th>
 * <th>artifact (client library)</th>
 * </tr>
 * <tr>
 * <td>{@link io.bubus.bridge.HttpEventBridge}</td>
 * <td>fire-and-forget</td>
 * <td>JDK</td>
 * </tr>
 * <tr>
 * <td>{@link io.bubus.bridge.SocketEventBridge}</td>
 * <td>fire-and-forget</td>
 * <td>JDK</td>
 * </tr>
 * <tr>
 * <td>{@link io.bubus.bridge.JsonlEventBridge}</td>
 * <td>durable (resume from an offset)</td>
 * <td>JDK</td>
 * </tr>
 * <tr>
 * <td>{@code io.bubus.bridge.sqlite.SqliteEventBridge}</td>
 * <td>durable (resume from a cursor)</td>
 * <td>{@code bubus-bridge-sqlite} (sqlite-jdbc)</td>
 * </tr>
 * <tr>
 * <td>{@code io.bubus.bridge.postgres.PostgresEventBridge}</td>
 * <td>durable (catch-up after a reconnect)</td>
 * <td>{@code bubus-bridge-postgres} (PgJDBC)</td>
 * </tr>
 * <tr>
 * <td>{@code io.bubus.bridge.redis.RedisEventBridge}</td>
 * <td>at most once (fire-and-forget)</td>
 * <td>{@code bubus-bridge-redis} (Lettuce)</td>
 * </tr>
 * <tr>
 * <td>{@code io.bubus.bridge.nats.NatsEventBridge}</td>
 * <td>at most once (fire-and-forget)</td>
 * <td>{@code bubus-bridge-nats} (jnats)</td>
 * </tr>
 * <tr>
 * <td>{@code io.bubus.bridge.rabbitmq.RabbitMqEventBridge}</td>
 * <td>durable, at least once</td>
 * <td>{@code bubus-bridge-rabbitmq} (amqp-client)</td>
 * </tr>
 * </table>
 * <p>
 * Sends are synchronous: {@code emit} returns once the transport has the event. The
 * durable bridges can instead send in batches
 * ({@link io.bubus.bridge.EventBridge#batchSends(io.bubus.bridge.SendBatching)}), which
 * lifts their throughput several times: {@code emit} queues the event and returns, so the
 * event completes on the bus before it is durable; {@code flush()}, {@code emitAsync} and
 * {@code failedSends()} report when it is, and {@code close()} sends what is queued.
 * <p>
 * Unlike Python and TypeScript bubus, {@code emit} never starts listening: a bridge used
 * only to send opens only what sending needs.
 */
@NullMarked
package io.bubus.bridge;

import org.jspecify.annotations.NullMarked;
