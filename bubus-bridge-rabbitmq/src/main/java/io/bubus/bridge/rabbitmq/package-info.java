/**
 * The RabbitMQ bridge ({@link io.bubus.bridge.rabbitmq.RabbitMqEventBridge}), artifact
 * {@code io.bubus:bubus-bridge-rabbitmq}: delivery durable, at least once; client library
 * {@code com.rabbitmq:amqp-client}. The bridge contract is
 * {@link io.bubus.bridge.EventBridge}'s.
 */
@NullMarked
package io.bubus.bridge.rabbitmq;

import org.jspecify.annotations.NullMarked;
