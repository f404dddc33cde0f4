package io.bubus.spring.autoconfigure;

import io.bubus.EventBus;

/**
 * Callback that adjusts the builder of every bus the auto-configuration creates, after
 * the {@code bubus.*} properties are applied. Declare it as a bean; customizers run in
 * {@link org.springframework.core.annotation.Order @Order}.
 *
 * {@snippet :
 * &#64;Bean
 * EventBusBuilderCustomizer auditHistory() {
 * 	return (name, builder) -> {
 * 		if (name.equals("audit")) {
 * 			builder.maxHistorySize(null);
 * 		}
 * 	};
 * }
 * }
 *
 * @author bubus-java
 * @since 0.1.0
 */
@FunctionalInterface
public interface EventBusBuilderCustomizer {

	/**
	 * Customizes the builder of the bus called {@code busName}.
	 * @param busName the bus (and bean) name
	 * @param builder the builder, already configured from the properties
	 */
	void customize(String busName, EventBus.Builder builder);

}
