package io.bubus.spring.autoconfigure.bridge;

import java.net.URI;

import io.bubus.bridge.HttpEventBridge;
import io.bubus.bridge.JsonlEventBridge;
import io.bubus.bridge.kafka.KafkaEventBridge;
import io.bubus.bridge.SocketEventBridge;
import io.bubus.bridge.nats.NatsEventBridge;
import io.bubus.bridge.nats.NatsJetStreamEventBridge;
import io.bubus.bridge.postgres.PostgresEventBridge;
import io.bubus.bridge.rabbitmq.RabbitMqEventBridge;
import io.bubus.bridge.redis.RedisEventBridge;
import io.bubus.bridge.sqlite.SqliteEventBridge;
import io.bubus.spring.autoconfigure.BubusAutoConfiguration;
import io.bubus.spring.autoconfigure.BubusProperties;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import static io.bubus.spring.autoconfigure.bridge.BuiltInBridgeFactory.required;
import static io.bubus.spring.autoconfigure.bridge.BuiltInBridgeFactory.sends;

/**
 * Auto-configuration for bridges: one {@link io.bubus.bridge.EventBridge} bean, named
 * {@code <name>EventBridge}, per {@code bubus.bridges.<name>} entry. When the context
 * starts, the bus of each entry sends the events matching {@code send} over its bridge
 * and, with {@code receive}, emits what the bridge receives. Bridges close after the
 * buses have stopped.
 * <p>
 * The types {@code jsonl}, {@code http} and {@code socket} need only the JDK;
 * {@code sqlite}, {@code postgres}, {@code redis}, {@code nats}, {@code nats-jetstream},
 * {@code rabbitmq} and {@code kafka} are available when their bridge artifact
 * ({@code io.bubus:bubus-bridge-sqlite}, {@code -postgres}, {@code -redis}, {@code -nats}
 * (both nats types), {@code -rabbitmq}, {@code -kafka}, each bringing its client library)
 * is on the class path. An entry with an unknown type, a type whose artifact is missing,
 * a missing setting or an unknown bus fails the startup with a message naming the
 * property.
 *
 * {@snippet lang = yaml :
 * bubus:
 *   bridges:
 *     warehouse:
 *       type: redis
 *       url: redis://127.0.0.1:6379/0/warehouse
 *       send: OrderPlaced
 * }
 *
 * @author bubus-java
 * @since 0.1.0
 */
@AutoConfiguration(after = BubusAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "bubus.enabled", matchIfMissing = true)
@EnableConfigurationProperties(BubusProperties.class)
public final class BubusBridgesAutoConfiguration {

	@Bean
	static EventBridgeRegistrar bubusEventBridgeRegistrar(Environment environment) {
		return new EventBridgeRegistrar(environment);
	}

	@Bean
	EventBridgeBindings bubusEventBridgeBindings(ListableBeanFactory beanFactory, BubusProperties properties) {
		return new EventBridgeBindings(beanFactory, properties);
	}

	@Bean
	EventBridgeFactory bubusJsonlBridgeFactory() {
		return new BuiltInBridgeFactory("jsonl",
				(name, settings) -> new JsonlEventBridge(required(name, "path", "jsonl", settings.getPath()),
						settings.getPollInterval(), name, settings.isFsync()));
	}

	@Bean
	EventBridgeFactory bubusHttpBridgeFactory() {
		return new BuiltInBridgeFactory("http", (name, settings) -> {
			URI sendTo = sends(settings)
					? URI.create(required(name, "url", "http", settings.getUrl(), "that sends (or set send to empty)"))
					: null;
			URI listenOn = settings.isReceive()
					? required(name, "listen", "http", settings.getListen(), "that receives (or set receive=false)")
					: null;
			return new HttpEventBridge(sendTo, listenOn, name, settings.getSecret());
		});
	}

	@Bean
	EventBridgeFactory bubusSocketBridgeFactory() {
		return new BuiltInBridgeFactory("socket",
				(name, settings) -> new SocketEventBridge(required(name, "path", "socket", settings.getPath()), name));
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "io.bubus.bridge.sqlite.SqliteEventBridge")
	static class SqliteConfiguration {

		@Bean
		EventBridgeFactory bubusSqliteBridgeFactory() {
			return new BuiltInBridgeFactory("sqlite",
					(name, settings) -> new SqliteEventBridge(required(name, "path", "sqlite", settings.getPath()),
							settings.getTable(), settings.getPollInterval(), name));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "io.bubus.bridge.postgres.PostgresEventBridge")
	static class PostgresConfiguration {

		@Bean
		EventBridgeFactory bubusPostgresBridgeFactory() {
			return new BuiltInBridgeFactory("postgres", (name, settings) -> {
				PostgresEventBridge bridge = new PostgresEventBridge(
						required(name, "url", "postgres", settings.getUrl()), settings.getChannel(), name);
				String group = settings.getGroup();
				if (group != null && !group.isBlank()) {
					if (settings.getPositionFile() != null) {
						bridge.close();
						throw new IllegalArgumentException("bubus.bridges." + name + ".position-file is set, but a "
								+ "postgres bridge with a group keeps its position in the database; remove one of them");
					}
					bridge.group(group.trim()).claimTimeout(settings.getClaimTimeout());
				}
				return bridge;
			});
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "io.bubus.bridge.redis.RedisEventBridge")
	static class RedisConfiguration {

		@Bean
		EventBridgeFactory bubusRedisBridgeFactory() {
			return new BuiltInBridgeFactory("redis",
					(name, settings) -> new RedisEventBridge(required(name, "url", "redis", settings.getUrl()),
							settings.getChannel(), name));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "io.bubus.bridge.nats.NatsEventBridge")
	static class NatsConfiguration {

		@Bean
		EventBridgeFactory bubusNatsBridgeFactory() {
			return new BuiltInBridgeFactory("nats",
					(name, settings) -> new NatsEventBridge(required(name, "url", "nats", settings.getUrl()),
							required(name, "subject", "nats", settings.getSubject()), name));
		}

		@Bean
		EventBridgeFactory bubusNatsJetStreamBridgeFactory() {
			return new BuiltInBridgeFactory("nats-jetstream", (name, settings) -> {
				NatsJetStreamEventBridge bridge = new NatsJetStreamEventBridge(
						required(name, "url", "nats-jetstream", settings.getUrl()),
						required(name, "subject", "nats-jetstream", settings.getSubject()), name);
				String group = settings.getGroup();
				if (group != null && !group.isBlank()) {
					bridge.durable(group.trim());
				}
				String stream = settings.getStream();
				if (stream != null && !stream.isBlank()) {
					bridge.stream(stream.trim());
				}
				return bridge.ackWait(settings.getClaimTimeout());
			});
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "io.bubus.bridge.rabbitmq.RabbitMqEventBridge")
	static class RabbitMqConfiguration {

		@Bean
		EventBridgeFactory bubusRabbitMqBridgeFactory() {
			return new BuiltInBridgeFactory("rabbitmq", (name, settings) -> {
				URI uri = URI.create(required(name, "url", "rabbitmq", settings.getUrl()));
				String sendQueue = sends(settings) ? required(name, "send-queue", "rabbitmq", settings.getSendQueue(),
						"that sends (or set send to empty)") : null;
				String receiveQueue = settings.isReceive() ? required(name, "receive-queue", "rabbitmq",
						settings.getReceiveQueue(), "that receives (or set receive=false)") : null;
				return new RabbitMqEventBridge(uri, sendQueue, receiveQueue, name);
			});
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(
			name = { "io.bubus.bridge.kafka.KafkaEventBridge", "org.apache.kafka.clients.producer.KafkaProducer" })
	static class KafkaConfiguration {

		@Bean
		EventBridgeFactory bubusKafkaBridgeFactory() {
			return new BuiltInBridgeFactory("kafka", (name, settings) -> {
				String servers = required(name, "url", "kafka", settings.getUrl());
				String topic = required(name, "topic", "kafka", settings.getTopic());
				KafkaEventBridge bridge = new KafkaEventBridge(servers, sends(settings) ? topic : null,
						settings.isReceive() ? topic : null, name);
				if (settings.getGroup() != null) {
					bridge.group(settings.getGroup());
				}
				if (settings.isFanOut()) {
					bridge.fanOut();
				}
				if (settings.getPartitions() != null) {
					bridge.partitions(settings.getPartitions());
				}
				return bridge;
			});
		}

	}

}
