/**
 * The Kafka bridge ({@link io.bubus.bridge.kafka.KafkaEventBridge}), artifact
 * {@code io.bubus:bubus-bridge-kafka}: delivery at least once, consumer groups for work
 * sharing or fan-out; client library {@code org.apache.kafka:kafka-clients}. The bridge
 * contract is {@link io.bubus.bridge.EventBridge}'s.
 */
@NullMarked
package io.bubus.bridge.kafka;

import org.jspecify.annotations.NullMarked;
