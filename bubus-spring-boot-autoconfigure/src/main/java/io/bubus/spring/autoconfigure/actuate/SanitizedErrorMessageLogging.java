package io.bubus.spring.autoconfigure.actuate;

import java.util.List;
import java.util.function.UnaryOperator;

import io.bubus.spring.autoconfigure.EventBusBuilderCustomizer;

import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.Sanitizer;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * How handler error messages appear in the buses' WARN lines with Spring Boot's actuator:
 * by the rule of the endpoint's views, {@code management.endpoint.bubus.show-values}. A
 * message is shown only with {@code always}, and then through the
 * {@link SanitizingFunction} beans (key {@code error}); {@code never}, the default, and
 * {@code when-authorized} (a log line has no authorized reader) log {@code ******}.
 */
final class SanitizedErrorMessageLogging {

	private static final String SHOW_VALUES = "management.endpoint.bubus.show-values";

	private SanitizedErrorMessageLogging() {
	}

	static EventBusBuilderCustomizer customizer(Environment environment, List<SanitizingFunction> functions) {
		Show show = Binder.get(environment).bind(SHOW_VALUES, Show.class).orElse(Show.NEVER);
		if (show != Show.ALWAYS) {
			return (name, builder) -> builder.logErrorMessages((message) -> SanitizableData.SANITIZED_VALUE);
		}
		if (functions.isEmpty()) {
			return (name, builder) -> {
			};
		}
		Sanitizer sanitizer = new Sanitizer(functions);
		UnaryOperator<String> mask = (message) -> String
			.valueOf(sanitizer.sanitize(new SanitizableData(null, "error", message), true));
		return (name, builder) -> builder.logErrorMessages(mask);
	}

}
