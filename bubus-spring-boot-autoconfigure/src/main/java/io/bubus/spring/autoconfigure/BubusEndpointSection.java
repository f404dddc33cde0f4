package io.bubus.spring.autoconfigure;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A section of the {@code bubus} actuator endpoint that an integration contributes as a
 * bean, so that the endpoint needs none of the integrations: its counts in
 * {@code GET /actuator/bubus}, its view at {@code GET /actuator/bubus/{name}} and one
 * write operation at {@code POST /actuator/bubus/{name}/{id}}. The publication log is one
 * ({@code publications}).
 *
 * @author bubus-java
 * @since 0.1.0
 */
public interface BubusEndpointSection {

	/**
	 * The path segment of the section; it hides a bus of the same name in the endpoint.
	 * @return the name
	 */
	String name();

	/**
	 * What {@code GET /actuator/bubus} shows of the section.
	 * @return a JSON-ready summary
	 */
	Map<String, Object> summary();

	/**
	 * The section's view.
	 * @param parameters the query parameters the endpoint knows ({@code limit},
	 * {@code status}, {@code type}), when given
	 * @param masker masks a value the caller may not see
	 * @return the response
	 */
	Response read(Map<String, String> parameters, Masker masker);

	/**
	 * The section's write operation on one of its entries.
	 * @param id the entry
	 * @return the response
	 */
	Response write(String id);

	/**
	 * Masks values as the endpoint's {@code show-values} setting and its
	 * {@code SanitizingFunction} beans say.
	 */
	@FunctionalInterface
	interface Masker {

		/**
		 * The value as the caller may see it.
		 * @param key the value's key (a payload field's name, {@code result},
		 * {@code error})
		 * @param value the value
		 * @return the value, masked or sanitized
		 */
		@Nullable Object mask(String key, @Nullable Object value);

	}

	/**
	 * A response of a section.
	 *
	 * @param status the HTTP status
	 * @param body the JSON-ready body
	 */
	record Response(int status, Object body) {

		/**
		 * A 200 response.
		 * @param body the body
		 * @return the response
		 */
		public static Response ok(Object body) {
			return new Response(200, body);
		}

		/**
		 * An error response whose body names the problem.
		 * @param status the HTTP status
		 * @param message the problem
		 * @return the response
		 */
		public static Response error(int status, String message) {
			return new Response(status, Map.of("error", message));
		}

	}

}
