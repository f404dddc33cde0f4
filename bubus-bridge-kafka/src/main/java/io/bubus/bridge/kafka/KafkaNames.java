package io.bubus.bridge.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads the bootstrap servers and checks the topic and group names a Kafka bridge is
 * given, so that a bad setting fails when the bridge is created, naming the setting.
 */
final class KafkaNames {

	/** Kafka's own rule for topic names. */
	private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");

	private static final Pattern GROUP = Pattern.compile("[A-Za-z0-9._:-]{1,249}");

	private static final Pattern SERVER = Pattern.compile("(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9.-]+):([0-9]{1,5})");

	private KafkaNames() {
	}

	/**
	 * The servers of {@code host:port[,host:port…]}, optionally prefixed by
	 * {@code kafka://}, as the client's {@code bootstrap.servers} value.
	 */
	static String bootstrapServers(String servers) {
		String list = servers.strip();
		if (list.startsWith("kafka://")) {
			list = list.substring("kafka://".length());
		}
		if (list.endsWith("/")) {
			list = list.substring(0, list.length() - 1);
		}
		List<String> checked = new ArrayList<>();
		for (String server : list.split(",")) {
			String trimmed = server.strip();
			var matcher = SERVER.matcher(trimmed);
			if (!matcher.matches() || Integer.parseInt(matcher.group(2)) > 65535) {
				throw new IllegalArgumentException(
						"KafkaEventBridge bootstrap servers must be host:port[,host:port...] (optionally kafka://...), got "
								+ servers);
			}
			checked.add(trimmed);
		}
		return String.join(",", checked);
	}

	/** The topic name, if Kafka accepts it. */
	static String topic(String topic) {
		if (!TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
			throw new IllegalArgumentException(
					"Invalid Kafka topic name: '" + topic + "'. Use 1 to 249 of [A-Za-z0-9._-] (and not '.' or '..')");
		}
		return topic;
	}

	/** The consumer group name, if it is 1 to 249 of {@code [A-Za-z0-9._:-]}. */
	static String group(String group) {
		if (!GROUP.matcher(group).matches()) {
			throw new IllegalArgumentException(
					"Invalid Kafka consumer group name: '" + group + "'. Use 1 to 249 of [A-Za-z0-9._:-]");
		}
		return group;
	}

}
