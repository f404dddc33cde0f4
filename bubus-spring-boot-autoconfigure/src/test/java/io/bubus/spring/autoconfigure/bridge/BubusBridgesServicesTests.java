package io.bubus.spring.autoconfigure.bridge;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Locale;
import java.util.UUID;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import io.bubus.bridge.kafka.KafkaTestBroker;
import io.nats.client.Nats;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two applications configured only with {@code bubus.bridges.*} properties, talking over
 * the real servers of SERVICES.md on loopback. Each test uses its own table, channel,
 * subject or queues.
 */
@Tag("services")
class BubusBridgesServicesTests {

	private static final String RABBITMQ = "amqp://guest:guest@127.0.0.1:5672";

	private final String id = "spring_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

	@Test
	void postgresBridge() throws Exception {
		String[] link = { "bubus.bridges.link.type=postgres",
				"bubus.bridges.link.url=postgresql://postgres@127.0.0.1:5432/test/" + this.id,
				"bubus.bridges.link.channel=" + this.id };
		try {
			TwoApplications.pingPong(link, link);
		}
		finally {
			try (Connection connection = DriverManager
				.getConnection("jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
					Statement statement = connection.createStatement()) {
				statement.execute("DROP TABLE IF EXISTS " + this.id);
			}
		}
	}

	@Test
	void redisBridge() {
		String[] link = { "bubus.bridges.link.type=redis", "bubus.bridges.link.url=redis://127.0.0.1:6379/0",
				"bubus.bridges.link.channel=" + this.id };
		TwoApplications.pingPong(link, link);
	}

	@Test
	void natsBridge() {
		String[] link = { "bubus.bridges.link.type=nats", "bubus.bridges.link.url=nats://127.0.0.1:4222",
				"bubus.bridges.link.subject=" + this.id.toLowerCase(Locale.ROOT) };
		TwoApplications.pingPong(link, link);
	}

	@Test
	void postgresBridgesInTwoGroups() throws Exception {
		String url = "bubus.bridges.link.url=postgresql://postgres@127.0.0.1:5432/test/" + this.id;
		try {
			TwoApplications.pingPong(
					new String[] { "bubus.bridges.link.type=postgres", url, "bubus.bridges.link.group=shop" },
					new String[] { "bubus.bridges.link.type=postgres", url, "bubus.bridges.link.group=warehouse" });
		}
		finally {
			try (Connection connection = DriverManager
				.getConnection("jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
					Statement statement = connection.createStatement()) {
				statement.execute("DROP TABLE IF EXISTS " + this.id + ", " + this.id + "_bubus_groups, " + this.id
						+ "_bubus_claims");
			}
		}
	}

	@Test
	void natsJetStreamBridgesWithTwoDurables() throws Exception {
		String subject = "bubus.bridges.link.subject=" + this.id.toLowerCase(Locale.ROOT);
		String stream = this.id.toUpperCase(Locale.ROOT);
		String[] common = { "bubus.bridges.link.type=nats-jetstream", "bubus.bridges.link.url=nats://127.0.0.1:4222",
				subject, "bubus.bridges.link.stream=" + stream };
		try {
			TwoApplications.pingPong(with(common, "bubus.bridges.link.group=shop"),
					with(common, "bubus.bridges.link.group=warehouse"));
		}
		finally {
			try (io.nats.client.Connection nats = Nats.connect("nats://127.0.0.1:4222")) {
				nats.jetStreamManagement().deleteStream(stream);
			}
		}
	}

	private static String[] with(String[] properties, String more) {
		String[] all = Arrays.copyOf(properties, properties.length + 1);
		all[properties.length] = more;
		return all;
	}

	@Test
	void rabbitMqBridge() throws Exception {
		String toWarehouse = this.id + "_to_warehouse";
		String toShop = this.id + "_to_shop";
		String url = "bubus.bridges.link.url=" + RABBITMQ;
		try {
			TwoApplications.pingPong(new String[] { "bubus.bridges.link.type=rabbitmq", url,
					"bubus.bridges.link.send-queue=" + toWarehouse, "bubus.bridges.link.receive-queue=" + toShop },
					new String[] { "bubus.bridges.link.type=rabbitmq", url, "bubus.bridges.link.send-queue=" + toShop,
							"bubus.bridges.link.receive-queue=" + toWarehouse });
		}
		finally {
			ConnectionFactory factory = new ConnectionFactory();
			factory.setUri(RABBITMQ);
			try (com.rabbitmq.client.Connection connection = factory.newConnection();
					Channel channel = connection.createChannel()) {
				channel.queueDelete(toWarehouse);
				channel.queueDelete(toShop);
			}
		}
	}

	@Test
	void kafkaBridge() {
		// the broker of the kafka bridge's tests, in this JVM; each application its own
		// group, so both receive what the other sends
		String servers = "bubus.bridges.link.url=" + KafkaTestBroker.shared().bootstrapServers();
		String topic = "bubus.bridges.link.topic=" + this.id;
		TwoApplications.pingPong(
				new String[] { "bubus.bridges.link.type=kafka", servers, topic, "bubus.bridges.link.group=shop",
						"bubus.bridges.link.partitions=2" },
				new String[] { "bubus.bridges.link.type=kafka", servers, topic, "bubus.bridges.link.group=warehouse",
						"bubus.bridges.link.partitions=2", "bubus.bridges.link.batch-size=16" });
	}

}
