package io.bubus.bridge.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.bubus.bridge.BridgeException;
import io.bubus.bridge.EventBridge;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin calls of a Kafka bridge, each bounded by {@link #TIMEOUT}: creating a topic,
 * and placing a consumer group that never read a partition at that partition's end, so
 * that a listener receives what is sent from the moment it started.
 */
final class KafkaTopics {

	static final Duration TIMEOUT = Duration.ofSeconds(15);

	private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

	private static final Logger log = LoggerFactory.getLogger(KafkaTopics.class);

	private KafkaTopics() {
	}

	/** Creates the topic with this many partitions unless it exists. */
	static void ensure(EventBridge bridge, String servers, Map<String, Object> settings, String topic, int partitions) {
		Admin admin = admin(servers, settings);
		try {
			try {
				admin.createTopics(List.of(new NewTopic(topic, Optional.of(partitions), Optional.empty())))
					.all()
					.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
				log.info("bridge {} created topic {} with {} partitions", bridge.name(), topic, partitions);
			}
			catch (ExecutionException ex) {
				if (!(ex.getCause() instanceof TopicExistsException)) {
					throw failure(bridge, servers, "create topic " + topic, ex.getCause());
				}
			}
		}
		catch (TimeoutException | KafkaException ex) {
			throw failure(bridge, servers, "create topic " + topic, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw failure(bridge, servers, "create topic " + topic, ex);
		}
		finally {
			admin.close(CLOSE_TIMEOUT);
		}
	}

	/**
	 * Commits the end offset of every partition of the topic for which the group has no
	 * committed offset yet. Does nothing when the topic does not exist yet (its records
	 * are then read from the beginning) or when members of the group are already reading
	 * (they placed it).
	 */
	static void startGroupAtEnd(EventBridge bridge, String servers, Map<String, Object> settings, String topic,
			String group) {
		Admin admin = admin(servers, settings);
		try {
			Map<String, TopicDescription> topics;
			try {
				topics = admin.describeTopics(Set.of(topic))
					.allTopicNames()
					.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (ExecutionException ex) {
				if (ex.getCause() instanceof UnknownTopicOrPartitionException) {
					return;
				}
				throw failure(bridge, servers, "read topic " + topic, ex.getCause());
			}
			Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
				.partitionsToOffsetAndMetadata()
				.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			Map<TopicPartition, OffsetSpec> missing = new HashMap<>();
			topics.get(topic).partitions().forEach((info) -> {
				TopicPartition partition = new TopicPartition(topic, info.partition());
				if (committed.get(partition) == null) {
					missing.put(partition, OffsetSpec.latest());
				}
			});
			if (missing.isEmpty()) {
				return;
			}
			Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(missing)
				.all()
				.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			Map<TopicPartition, OffsetAndMetadata> start = new HashMap<>();
			ends.forEach((partition, end) -> start.put(partition, new OffsetAndMetadata(end.offset())));
			try {
				admin.alterConsumerGroupOffsets(group, start).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
				log.debug("bridge {} placed group {} at the end of {} partitions of {}", bridge.name(), group,
						start.size(), topic);
			}
			catch (ExecutionException ex) {
				if (!(ex.getCause() instanceof GroupNotEmptyException)
						&& !(ex.getCause() instanceof UnknownMemberIdException)) {
					throw failure(bridge, servers, "place group " + group + " on topic " + topic, ex.getCause());
				}
			}
		}
		catch (ExecutionException ex) {
			throw failure(bridge, servers, "read the offsets of group " + group, ex.getCause());
		}
		catch (TimeoutException | KafkaException ex) {
			throw failure(bridge, servers, "read the offsets of group " + group, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw failure(bridge, servers, "read the offsets of group " + group, ex);
		}
		finally {
			admin.close(CLOSE_TIMEOUT);
		}
	}

	private static Admin admin(String servers, Map<String, Object> settings) {
		Map<String, Object> config = new HashMap<>(settings);
		config.keySet().retainAll(AdminClientConfig.configNames());
		config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
		config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
		config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
		return Admin.create(config);
	}

	private static BridgeException failure(EventBridge bridge, String servers, String what, Throwable cause) {
		return new BridgeException("bridge " + bridge.name() + " could not " + what + " on " + servers + " within "
				+ TIMEOUT + ": " + cause, cause);
	}

}
