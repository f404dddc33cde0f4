package io.bubus.json;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonCreator;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JacksonModule;
import tools.jackson.databind.cfg.MapperConfig;
import tools.jackson.databind.introspect.AnnotatedClass;
import tools.jackson.databind.introspect.AnnotatedConstructor;
import tools.jackson.databind.introspect.AnnotatedMember;
import tools.jackson.databind.introspect.AnnotatedParameter;
import tools.jackson.databind.introspect.NopAnnotationIntrospector;
import tools.jackson.databind.introspect.PotentialCreator;

/**
 * Reads classes shaped like records: final fields set by one constructor that takes every
 * declared instance field, in declaration order and with the same types. Such a
 * constructor is the creator when the class has no no-arguments constructor and no
 * {@code @JsonCreator}, and its parameters take the field names when the class was
 * compiled without {@code -parameters} (Jackson would otherwise see {@code arg0} and fail
 * with "Cannot construct instance"). Everything else is left to Jackson's own rules; an
 * explicit {@code @JsonCreator} or {@code @JsonProperty} always wins.
 */
final class RecordLikeCreators extends NopAnnotationIntrospector {

	private static final long serialVersionUID = 1L;

	private RecordLikeCreators() {
	}

	/** The module that installs this introspector ahead of Jackson's annotations. */
	static JacksonModule module() {
		return new IntrospectorModule("bubus-record-like-creators", new RecordLikeCreators());
	}

	@Override
	public @Nullable PotentialCreator findPreferredCreator(MapperConfig<?> config, AnnotatedClass valueClass,
			List<PotentialCreator> declaredConstructors, List<PotentialCreator> declaredFactories,
			Optional<PotentialCreator> zeroParamsConstructor) {
		if (zeroParamsConstructor.isPresent() || valueClass.getRawType().isRecord()) {
			return null;
		}
		for (PotentialCreator candidate : declaredConstructors) {
			if (candidate.creator() instanceof AnnotatedConstructor constructor
					&& fieldsSetBy(constructor.getAnnotated()) != null) {
				return candidate.overrideMode(JsonCreator.Mode.PROPERTIES);
			}
		}
		return null;
	}

	@Override
	public @Nullable String findImplicitPropertyName(MapperConfig<?> config, AnnotatedMember member) {
		if (!(member instanceof AnnotatedParameter parameter)
				|| !(parameter.getOwner() instanceof AnnotatedConstructor owner)) {
			return null;
		}
		Constructor<?> constructor = owner.getAnnotated();
		int index = parameter.getIndex();
		if (constructor.getParameters()[index].isNamePresent()) {
			return null;
		}
		List<Field> fields = fieldsSetBy(constructor);
		return (fields != null) ? fields.get(index).getName() : null;
	}

	/**
	 * The declared instance fields when the constructor takes exactly them, in order,
	 * else {@code null}.
	 */
	private static @Nullable List<Field> fieldsSetBy(Constructor<?> constructor) {
		List<Field> fields = new ArrayList<>();
		for (Field field : constructor.getDeclaringClass().getDeclaredFields()) {
			int modifiers = field.getModifiers();
			if (!Modifier.isStatic(modifiers) && !Modifier.isTransient(modifiers) && !field.isSynthetic()) {
				fields.add(field);
			}
		}
		Class<?>[] types = constructor.getParameterTypes();
		if (fields.isEmpty() || types.length != fields.size()) {
			return null;
		}
		for (int i = 0; i < types.length; i++) {
			if (types[i] != fields.get(i).getType()) {
				return null;
			}
		}
		return fields;
	}

}
