package io.bubus.json;

import java.lang.reflect.Type;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.PropertyNamingStrategy;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON Schema (draft 2020-12) for {@code event_result_type}: generated from a Java type
 * with victools jsonschema-generator, and compiled into a validator with networknt
 * json-schema-validator for result types received over the wire.
 * <p>
 * Both libraries are optional at run time (the Spring Boot starter leaves them out):
 * without victools ({@code jsonschema-generator} and {@code jsonschema-module-jackson})
 * events are written with {@code "event_result_type": null}, so peers do not check their
 * results' types; without networknt ({@code json-schema-validator}) results of events
 * received with a schema are accepted unchecked. Each case is logged once, naming the
 * artifacts to add.
 */
public final class ResultSchemas {

	/** The {@code $schema} value bubus writes. */
	public static final String DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema";

	private static final Logger log = LoggerFactory.getLogger(ResultSchemas.class);

	private static final boolean GENERATION = present("com.github.victools.jsonschema.generator.SchemaGenerator")
			&& present("com.github.victools.jsonschema.module.jackson.JacksonModule");

	private static final boolean VALIDATION = present("com.networknt.schema.SchemaRegistry");

	private static final AtomicBoolean GENERATION_REPORTED = new AtomicBoolean();

	private static final AtomicBoolean VALIDATION_REPORTED = new AtomicBoolean();

	private static final Validator UNCHECKED = (value) -> null;

	private ResultSchemas() {
	}

	/**
	 * Whether result schemas are generated (victools jsonschema-generator and
	 * jsonschema-module-jackson are on the class path).
	 * @return true when {@link #generate} gives schemas
	 */
	public static boolean generationAvailable() {
		return GENERATION;
	}

	/**
	 * Whether received result schemas are checked (networknt json-schema-validator is on
	 * the class path).
	 * @return true when {@link #compile} gives checking validators
	 */
	public static boolean validationAvailable() {
		return VALIDATION;
	}

	/**
	 * The JSON Schema of a Java type, with {@code $schema} set; its property names are
	 * those the {@linkplain BubusJson#payloadMapper() payload mapper} writes.
	 * @param type the result type
	 * @return the schema, or {@code null} when schema generation is not on the class path
	 */
	public static @Nullable ObjectNode generate(Type type) {
		if (!GENERATION) {
			if (GENERATION_REPORTED.compareAndSet(false, true)) {
				log.info("Events are written with \"event_result_type\": null: JSON Schema generation needs "
						+ "com.github.victools:jsonschema-generator and com.github.victools:jsonschema-module-jackson "
						+ "on the class path (without them, Python and TypeScript peers do not check the types of "
						+ "results of events sent to them)");
			}
			return null;
		}
		return Generation.generate(type);
	}

	/**
	 * A validator for a received schema.
	 * @param schema the schema
	 * @return the validator; one that accepts every value when validation is not on the
	 * class path
	 */
	public static Validator compile(JsonNode schema) {
		if (!VALIDATION) {
			if (VALIDATION_REPORTED.compareAndSet(false, true)) {
				log.warn("Results of events received with an \"event_result_type\" schema are not checked "
						+ "against it: com.networknt:json-schema-validator is not on the class path (add it to "
						+ "reject handler results that do not match)");
			}
			return UNCHECKED;
		}
		return Validation.compile(schema);
	}

	private static boolean present(String className) {
		try {
			Class.forName(className, false, ResultSchemas.class.getClassLoader());
			return true;
		}
		catch (ClassNotFoundException | LinkageError ex) {
			return false;
		}
	}

	/** Checks a JSON value against a schema. */
	@FunctionalInterface
	public interface Validator {

		/**
		 * What is wrong with a value.
		 * @param value the value as JSON
		 * @return {@code null} when the value is valid, else what is wrong with it
		 */
		@Nullable String problems(JsonNode value);

	}

	/** The victools generator; loaded only when it is on the class path. */
	private static final class Generation {

		private static volatile @Nullable Generator current;

		static ObjectNode generate(Type type) {
			JsonMapper mapper = BubusJson.payloadMapper();
			Generator generator = current;
			if (generator == null || generator.mapper() != mapper) {
				generator = new Generator(mapper, new SchemaGenerator(config(mapper)));
				current = generator;
			}
			ObjectNode schema = generator.generator().generateSchema(type);
			ObjectNode ordered = BubusJson.MAPPER.createObjectNode();
			ordered.put("$schema", DRAFT_2020_12);
			schema.properties().forEach((entry) -> {
				if (!entry.getKey().equals("$schema")) {
					ordered.set(entry.getKey(), entry.getValue());
				}
			});
			return ordered;
		}

		private static SchemaGeneratorConfig config(JsonMapper mapper) {
			SchemaGeneratorConfigBuilder builder = new SchemaGeneratorConfigBuilder(mapper, SchemaVersion.DRAFT_2020_12,
					OptionPreset.PLAIN_JSON)
				.with(new JacksonModule());
			// property names as the payload mapper writes values (snake_case unless the
			// application's mapper names them otherwise); @JsonProperty and @JsonNaming
			// names of the Jackson module come first
			PropertyNamingStrategy configured = mapper.serializationConfig().getPropertyNamingStrategy();
			PropertyNamingStrategy naming = (configured != null) ? configured : PropertyNamingStrategies.SNAKE_CASE;
			builder.forFields().withPropertyNameOverrideResolver((field) -> {
				String name = naming.nameForField(null, null, field.getDeclaredName());
				return name.equals(field.getDeclaredName()) ? null : name;
			});
			return builder.build();
		}

		private record Generator(JsonMapper mapper, SchemaGenerator generator) {
		}

	}

	/** The networknt validator; loaded only when it is on the class path. */
	private static final class Validation {

		private static final SchemaRegistry REGISTRY = SchemaRegistry
			.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

		static Validator compile(JsonNode schema) {
			Schema compiled = REGISTRY.getSchema(schema);
			return (value) -> {
				List<Error> errors = compiled.validate(value);
				return errors.isEmpty() ? null
						: errors.stream().map(Error::toString).limit(3).collect(Collectors.joining("; "));
			};
		}

	}

}
