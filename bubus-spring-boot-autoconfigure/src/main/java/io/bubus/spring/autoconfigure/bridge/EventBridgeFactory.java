package io.bubus.spring.autoconfigure.bridge;

import io.bubus.bridge.EventBridge;
import io.bubus.spring.autoconfigure.BubusProperties;

/**
 * Creates the bridge of a {@code bubus.bridges.<name>} entry whose {@code type} is
 * {@link #type()}. The auto-configuration declares one for each built-in type whose
 * client library is on the class path; declare a bean to add a type of your own, or to
 * replace a built-in one (a bean of yours wins over the built-in one of the same type).
 *
 * @author bubus-java
 * @since 0.1.0
 */
public interface EventBridgeFactory {

	/**
	 * Returns the {@code type} value this factory handles, in lower case.
	 * @return the bridge type
	 */
	String type();

	/**
	 * Creates a bridge, not yet listening: the auto-configuration connects it to its bus
	 * when the context starts.
	 * @param name the entry's name, also the bridge name
	 * @param settings the entry's settings
	 * @return the new bridge
	 * @throws IllegalArgumentException when a setting is missing or invalid; the message
	 * should name the setting
	 */
	EventBridge create(String name, BubusProperties.Bridge settings);

}
