package io.bubus.spring.autoconfigure.bridge;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

import io.bubus.bridge.EventBridge;
import io.bubus.bridge.SendBatching;
import io.bubus.spring.autoconfigure.BubusProperties;
import io.bubus.spring.autoconfigure.NamedEntriesRegistrar;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.core.env.Environment;

/**
 * Registers one {@link EventBridge} bean per {@code bubus.bridges.<name>} entry, named
 * {@code <name>EventBridge} and created by the {@link EventBridgeFactory} bean of the
 * entry's type. A bean already registered under that name (a user's own) wins.
 */
final class EventBridgeRegistrar extends NamedEntriesRegistrar<BubusProperties.Bridge> {

	EventBridgeRegistrar(Environment environment) {
		super(environment, "bubus.bridges", BubusProperties.Bridge.class, "bridge",
				"it is also the name of the bridge's bus");
	}

	/** The bean name of the bridge of entry {@code name}. */
	static String beanName(String name) {
		return name + "EventBridge";
	}

	@Override
	protected String entryBeanName(String name) {
		return beanName(name);
	}

	@Override
	protected RootBeanDefinition entryBeanDefinition(String name) {
		RootBeanDefinition definition = new RootBeanDefinition(EventBridge.class, () -> createBridge(name));
		definition.setDestroyMethodName("close");
		return definition;
	}

	private EventBridge createBridge(String name) {
		ListableBeanFactory factory = getBeanFactory();
		BubusProperties.Bridge settings = factory.getBean(BubusProperties.class).getBridges().get(name);
		if (settings == null) {
			throw new IllegalStateException("bubus.bridges." + name + " is not configured");
		}
		Map<String, EventBridgeFactory> factories = factories(factory);
		String type = (settings.getType() != null) ? settings.getType().trim().toLowerCase(Locale.ROOT) : "";
		if (type.isEmpty()) {
			throw new IllegalStateException(
					"bubus.bridges." + name + ".type is required; available types: " + factories.keySet());
		}
		EventBridgeFactory bridgeFactory = factories.get(type);
		if (bridgeFactory == null) {
			String library = BuiltInBridgeFactory.LIBRARIES.get(type);
			if (library != null) {
				throw new IllegalStateException("bubus.bridges." + name + ".type=" + type + " needs " + library
						+ " on the class path; add it as a dependency");
			}
			throw new IllegalStateException("bubus.bridges." + name + ".type '" + settings.getType()
					+ "' is not a bridge type; available types: " + factories.keySet() + " (and, with their "
					+ "client library, " + new TreeSet<>(BuiltInBridgeFactory.LIBRARIES.keySet()) + ")");
		}
		long limit = settings.getMaxMessageSize().toBytes();
		if (limit <= 0 || limit > Integer.MAX_VALUE) {
			throw new IllegalStateException("bubus.bridges." + name + ".max-message-size must be between 1B and "
					+ Integer.MAX_VALUE + "B, got " + settings.getMaxMessageSize());
		}
		try {
			EventBridge bridge = bridgeFactory.create(name, settings);
			bridge.setMaxMessageBytes((int) limit);
			batchSends(name, type, bridge, settings);
			return bridge;
		}
		catch (IllegalArgumentException ex) {
			String message = String.valueOf(ex.getMessage());
			throw new IllegalStateException(
					message.startsWith("bubus.bridges.") ? message : "bubus.bridges." + name + ": " + message, ex);
		}
	}

	/**
	 * Applies {@code batch-size} and {@code batch-linger}, when set; a value that cannot
	 * apply closes the bridge and fails naming the property.
	 */
	private static void batchSends(String name, String type, EventBridge bridge, BubusProperties.Bridge settings) {
		Integer size = settings.getBatchSize();
		if (size == null) {
			return;
		}
		String property = "bubus.bridges." + name + ".batch-";
		String problem = null;
		if (size < 1 || size > SendBatching.DEFAULT_QUEUE_CAPACITY) {
			problem = "size must be between 1 and " + SendBatching.DEFAULT_QUEUE_CAPACITY + ", got " + size;
		}
		else if (settings.getBatchLinger().isNegative()) {
			problem = "linger must be >= 0, got " + settings.getBatchLinger();
		}
		else if (!bridge.canBatchSends()) {
			problem = "size is set, but a " + type
					+ " bridge cannot send in batches; jsonl, sqlite, postgres, rabbitmq and kafka bridges can";
		}
		if (problem != null) {
			bridge.close();
			throw new IllegalStateException(property + problem);
		}
		bridge.batchSends(SendBatching.defaults().maxBatchSize(size).linger(settings.getBatchLinger()));
	}

	/** Factories by type; a user's factory wins over the built-in one of its type. */
	private static Map<String, EventBridgeFactory> factories(ListableBeanFactory beanFactory) {
		Map<String, EventBridgeFactory> byType = new LinkedHashMap<>();
		for (EventBridgeFactory factory : beanFactory.getBeansOfType(EventBridgeFactory.class).values()) {
			String type = factory.type().toLowerCase(Locale.ROOT);
			if (!(factory instanceof BuiltInBridgeFactory) || !byType.containsKey(type)) {
				byType.put(type, factory);
			}
		}
		return byType;
	}

}
