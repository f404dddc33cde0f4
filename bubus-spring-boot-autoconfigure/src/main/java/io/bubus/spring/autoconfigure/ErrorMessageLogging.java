package io.bubus.spring.autoconfigure;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * How handler error messages appear in the buses' WARN lines: by the same rule as in the
 * {@code bubus} endpoint's views, {@code management.endpoint.bubus.show-values}. Only
 * {@code always} shows them; {@code never}, the default, and {@code when-authorized} (a
 * log line has no authorized reader) log {@code ******}. This is the rule without Spring
 * Boot's actuator; with it, the actuator auto-configuration's customizer also applies the
 * {@code SanitizingFunction} beans to shown messages.
 */
final class ErrorMessageLogging {

	private static final String SHOW_VALUES = "management.endpoint.bubus.show-values";

	private static final String MASK = "******";

	private ErrorMessageLogging() {
	}

	static EventBusBuilderCustomizer customizer(Environment environment) {
		String show = Binder.get(environment).bind(SHOW_VALUES, String.class).orElse("never");
		if ("always".equalsIgnoreCase(show.trim())) {
			return (name, builder) -> {
			};
		}
		return (name, builder) -> builder.logErrorMessages((message) -> MASK);
	}

}
