package io.bubus.json;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

/**
 * The Jackson mappers bubus uses on the wire. Payload and result properties are written
 * in {@code snake_case}, so a Java field {@code orderId} is {@code order_id} in JSON, as
 * in Python and TypeScript bubus; {@code @JsonProperty} overrides it. Classes with final
 * fields set by one all-fields constructor are read through that constructor, even when
 * compiled without {@code -parameters}.
 * <p>
 * The {@code event_*} metadata is written and read by bubus itself, field by field, so it
 * keeps its names and forms whatever mapper handles the payload. Payload fields and
 * handler results go through the {@linkplain #payloadMapper() payload mapper}: by default
 * {@link #MAPPER}; an application may put its own mapper in its place with
 * {@link #usePayloadMapper(JsonMapper)} (the Spring Boot starter does, with the
 * application's {@code JsonMapper}), so its modules, date formats and number handling
 * apply to payloads.
 */
public final class BubusJson {

	/** The mapper for events, payloads and results. */
	public static final JsonMapper MAPPER = JsonMapper.builder()
		.propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
		.disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.addModule(RecordLikeCreators.module())
		.build();

	/**
	 * A strict mapper for result coercion: no string-to-number or number-to-string
	 * conversion, no float-to-int truncation, unknown properties fail.
	 */
	public static final JsonMapper STRICT = strict(MAPPER.rebuild());

	private static final Mappers DEFAULT = new Mappers(MAPPER, STRICT);

	/** Installed payload mappers, the most recent last. */
	private static final List<Mappers> INSTALLED = new CopyOnWriteArrayList<>();

	private static volatile Mappers current = DEFAULT;

	private BubusJson() {
	}

	/**
	 * The mapper for payload fields and handler results: the most recently
	 * {@linkplain #usePayloadMapper(JsonMapper) installed} one still in use, else
	 * {@link #MAPPER}.
	 * @return the payload mapper
	 */
	public static JsonMapper payloadMapper() {
		return current.payload;
	}

	/**
	 * The strict form of the {@linkplain #payloadMapper() payload mapper}, for coercing
	 * handler results to an event's result type (see {@link #STRICT}).
	 * @return the strict payload mapper
	 */
	public static JsonMapper strictPayloadMapper() {
		return current.strict;
	}

	/**
	 * An application's mapper with what bubus needs for payloads: {@code snake_case}
	 * property names unless the mapper has a naming strategy of its own, properties in
	 * declaration order, unknown properties kept instead of failing, no root wrapping,
	 * all-fields constructors as creators, and never the event's own state (the
	 * {@code event_*} metadata is bubus's). Everything else (modules, date formats,
	 * inclusion, number and enum handling, visibility) is the application's.
	 * @param application the application's mapper
	 * @return the mapper bubus uses for payloads
	 */
	public static JsonMapper payloadMapperFrom(JsonMapper application) {
		JsonMapper.Builder builder = application.rebuild();
		if (application.serializationConfig().getPropertyNamingStrategy() == null) {
			builder.propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
		}
		return builder.disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
			.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
			.disable(DeserializationFeature.UNWRAP_ROOT_VALUE)
			.disable(SerializationFeature.WRAP_ROOT_VALUE)
			.disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
			.addModule(RecordLikeCreators.module())
			.addModule(EventStateIgnored.module())
			.build();
	}

	/**
	 * Makes {@link #payloadMapperFrom(JsonMapper) the payload form} of an application's
	 * mapper the payload mapper of this JVM until the returned handle is closed; then the
	 * mapper installed before it (or {@link #MAPPER}) is in use again. One mapper serves
	 * every bus and bridge of the JVM: with several applications in one JVM (test
	 * contexts), the most recently installed one that is not closed. Install it before
	 * events are created: result schemas generated earlier are kept.
	 * @param application the application's mapper
	 * @return the handle that uninstalls it
	 */
	public static Installation usePayloadMapper(JsonMapper application) {
		JsonMapper payload = payloadMapperFrom(Objects.requireNonNull(application, "application"));
		Mappers mappers = new Mappers(payload, strict(payload.rebuild()));
		synchronized (INSTALLED) {
			INSTALLED.add(mappers);
			current = mappers;
		}
		return () -> {
			synchronized (INSTALLED) {
				INSTALLED.remove(mappers);
				current = INSTALLED.isEmpty() ? DEFAULT : INSTALLED.get(INSTALLED.size() - 1);
			}
		};
	}

	private static JsonMapper strict(JsonMapper.Builder builder) {
		return builder.disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
			.disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
			.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
			.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
			.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
			.withCoercionConfig(LogicalType.Textual,
					(config) -> config.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
						.setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
						.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
			.withCoercionConfig(LogicalType.Integer,
					(config) -> config.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
						.setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
						.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
			.withCoercionConfig(LogicalType.Float,
					(config) -> config.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
						.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
			.withCoercionConfig(LogicalType.Boolean,
					(config) -> config.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
						.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail))
			.build();
	}

	/** Uninstalls a payload mapper installed with {@link #usePayloadMapper}. */
	@FunctionalInterface
	public interface Installation extends AutoCloseable {

		/** Puts the mapper installed before this one back in use. */
		@Override
		void close();

	}

	private record Mappers(JsonMapper payload, JsonMapper strict) {
	}

}
