package io.bubus.json;

import java.lang.reflect.Type;
import java.util.List;
import java.util.stream.Collectors;

import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfig;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.github.victools.jsonschema.module.jackson.JacksonModule;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.PropertyNamingStrategy;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON Schema (draft 2020-12) for {@code event_result_type}: generated from a Java type
 * with victools jsonschema-generator, and compiled into a validator with networknt
 * json-schema-validator for result types received over the wire.
 */
public final class ResultSchemas {

	/** The {@code $schema} value bubus writes. */
	public static final String DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema";

	private static final PropertyNamingStrategy SNAKE = PropertyNamingStrategies.SNAKE_CASE;

	private static final SchemaGenerator GENERATOR = new SchemaGenerator(generatorConfig());

	private static final SchemaRegistry REGISTRY = SchemaRegistry
		.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

	private ResultSchemas() {
	}

	private static SchemaGeneratorConfig generatorConfig() {
		SchemaGeneratorConfigBuilder builder = new SchemaGeneratorConfigBuilder(BubusJson.MAPPER,
				SchemaVersion.DRAFT_2020_12, OptionPreset.PLAIN_JSON)
			.with(new JacksonModule());
		// property names as the bubus mapper writes values (snake_case); the Jackson
		// module's
		// @JsonProperty and @JsonNaming names come first
		builder.forFields().withPropertyNameOverrideResolver((field) -> {
			String name = SNAKE.nameForField(null, null, field.getDeclaredName());
			return name.equals(field.getDeclaredName()) ? null : name;
		});
		return builder.build();
	}

	/** The JSON Schema of a Java type, with {@code $schema} set. */
	public static ObjectNode generate(Type type) {
		ObjectNode schema = GENERATOR.generateSchema(type);
		ObjectNode ordered = BubusJson.MAPPER.createObjectNode();
		ordered.put("$schema", DRAFT_2020_12);
		schema.properties().forEach((entry) -> {
			if (!entry.getKey().equals("$schema")) {
				ordered.set(entry.getKey(), entry.getValue());
			}
		});
		return ordered;
	}

	/** A validator for a received schema. */
	public static Validator compile(JsonNode schema) {
		Schema compiled = REGISTRY.getSchema(schema);
		return (value) -> {
			List<Error> errors = compiled.validate(value);
			return errors.isEmpty() ? null
					: errors.stream().map(Error::toString).limit(3).collect(Collectors.joining("; "));
		};
	}

	/** Checks a JSON value against a schema. */
	@FunctionalInterface
	public interface Validator {

		/** {@code null} when the value is valid, else what is wrong with it. */
		@Nullable String problems(JsonNode value);

	}

}
