package io.bubus;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.util.HashMap;
import java.util.Map;

import io.bubus.json.BubusJson;
import io.bubus.json.ResultSchemas;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An event's result type: the Java type argument {@code R} of its class, or a JSON Schema
 * received over the wire. Coerces and checks handler return values.
 */
final class ResultType {

	static final ResultType NONE = new ResultType(null, null);

	private static final ClassValue<ResultType> BY_CLASS = new ClassValue<>() {
		@Override
		protected ResultType computeValue(Class<?> type) {
			Type resolved = resolve(type);
			if (resolved == null || resolved == Void.class || resolved == Object.class
					|| resolved instanceof TypeVariable<?>) {
				return NONE;
			}
			return new ResultType(resolved, null);
		}
	};

	private final @Nullable Type javaType;

	private volatile @Nullable JsonNode schema;

	private volatile ResultSchemas.@Nullable Validator validator;

	private ResultType(@Nullable Type javaType, @Nullable JsonNode schema) {
		this.javaType = javaType;
		this.schema = schema;
	}

	static ResultType of(Class<?> eventClass) {
		return BY_CLASS.get(eventClass);
	}

	static ResultType fromSchema(JsonNode schema) {
		return new ResultType(null, schema);
	}

	@Nullable Type javaType() {
		return this.javaType;
	}

	/**
	 * The JSON Schema, generated on first use for Java types; {@code null} when untyped.
	 */
	@Nullable JsonNode schema() {
		JsonNode current = this.schema;
		if (current == null && this.javaType != null) {
			current = ResultSchemas.generate(this.javaType);
			this.schema = current;
		}
		return current;
	}

	/**
	 * The value as an {@code R}: as is when it already is one, converted by Jackson when
	 * it converts without loss, checked against the schema for wire types.
	 * @throws EventHandlerResultSchemaException when it does not match
	 */
	Object coerce(Object value) {
		Type type = this.javaType;
		if (type != null) {
			if (type instanceof Class<?> raw && raw.isInstance(value)) {
				return value;
			}
			try {
				JsonMapper strict = BubusJson.strictPayloadMapper();
				return strict.convertValue(value, strict.constructType(type));
			}
			catch (RuntimeException ex) {
				throw mismatch(value, type.getTypeName(), ex.getClass().getSimpleName(), firstLine(ex.getMessage()),
						ex);
			}
		}
		JsonNode current = this.schema;
		if (current == null) {
			return value;
		}
		ResultSchemas.Validator check = this.validator;
		if (check == null) {
			check = ResultSchemas.compile(current);
			this.validator = check;
		}
		String problems = check.problems(BubusJson.payloadMapper().valueToTree(value));
		if (problems != null) {
			throw mismatch(value, String.valueOf(current.get("type")), "ValidationError", problems, null);
		}
		return value;
	}

	private static EventHandlerResultSchemaException mismatch(Object value, String expected, String errorType,
			String detail, @Nullable Throwable cause) {
		String shown = String.valueOf(value);
		if (shown.length() > 80) {
			shown = shown.substring(0, 77) + "...";
		}
		return new EventHandlerResultSchemaException(
				"Event handler returned a value that did not match expected " + "event_result_type (" + expected + "): "
						+ shown + " (" + value.getClass().getSimpleName() + ") -> " + errorType + ": " + detail,
				value, cause);
	}

	private static String firstLine(@Nullable String message) {
		if (message == null) {
			return "";
		}
		int newline = message.indexOf('\n');
		return (newline < 0) ? message : message.substring(0, newline);
	}

	/** The type argument given to {@code BaseEvent<R>} somewhere up the hierarchy. */
	private static @Nullable Type resolve(Class<?> eventClass) {
		Map<TypeVariable<?>, Type> bindings = new HashMap<>();
		Class<?> current = eventClass;
		while (current != null && current != BaseEvent.class) {
			Type superType = current.getGenericSuperclass();
			Class<?> superClass = current.getSuperclass();
			if (superType instanceof ParameterizedType parameterized && superClass != null) {
				TypeVariable<?>[] variables = superClass.getTypeParameters();
				Type[] arguments = parameterized.getActualTypeArguments();
				for (int i = 0; i < variables.length; i++) {
					Type argument = arguments[i];
					while (argument instanceof TypeVariable<?> variable && bindings.containsKey(variable)) {
						argument = bindings.get(variable);
					}
					bindings.put(variables[i], argument);
				}
				if (superClass == BaseEvent.class) {
					return bindings.get(variables[0]);
				}
			}
			current = superClass;
		}
		return null;
	}

}
