package io.bubus.json;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.PropertyNamingStrategies;
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
	public static final JsonMapper STRICT = JsonMapper.builder()
		.propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
		.disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
		.disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
		.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
		.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
		.addModule(RecordLikeCreators.module())
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

	private BubusJson() {
	}

}
