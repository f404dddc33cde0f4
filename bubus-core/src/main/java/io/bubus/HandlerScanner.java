package io.bubus;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;

import io.bubus.internal.Durations;
import io.bubus.internal.Reflection;

/**
 * Finds {@link BubusHandler} methods on an object and registers them, wrapped by the
 * {@link HandlerMethodDecorator}s on the class path (the retry package's applies
 * {@code @BubusRetry}).
 */
final class HandlerScanner {

	private static final List<HandlerMethodDecorator> DECORATORS = ServiceLoader
		.load(HandlerMethodDecorator.class, HandlerScanner.class.getClassLoader())
		.stream()
		.map(ServiceLoader.Provider::get)
		.toList();

	private HandlerScanner() {
	}

	static List<EventHandler> register(EventBus bus, Object listener) {
		List<EventHandler> registered = new ArrayList<>();
		for (Method method : handlerMethods(listener.getClass())) {
			BubusHandler annotation = method.getAnnotation(BubusHandler.class);
			if (!annotation.bus().isEmpty() && !annotation.bus().equals(bus.name())) {
				continue;
			}
			if (!annotation.condition().isEmpty()) {
				throw new IllegalArgumentException("@BubusHandler method " + method.getDeclaringClass().getSimpleName()
						+ "." + method.getName() + " sets condition, a SpEL expression that only the Spring Boot "
						+ "starter evaluates; check the condition in the method instead");
			}
			if (annotation.eventTypes().length == 0) {
				registered.add(register(bus, listener, method, annotation, null));
			}
			for (Class<?> type : annotation.eventTypes()) {
				registered.add(register(bus, listener, method, annotation, type));
			}
		}
		return registered;
	}

	/**
	 * Every method annotated with {@link BubusHandler} in the class and its superclasses.
	 */
	static List<Method> handlerMethods(Class<?> type) {
		List<Method> methods = new ArrayList<>();
		Set<String> seen = new HashSet<>();
		for (Class<?> current = type; current != null && current != Object.class; current = current.getSuperclass()) {
			for (Method method : current.getDeclaredMethods()) {
				if (method.isAnnotationPresent(BubusHandler.class) && !method.isBridge() && !method.isSynthetic()
						&& seen.add(method.getName() + java.util.Arrays.toString(method.getParameterTypes()))) {
					methods.add(method);
				}
			}
		}
		return methods;
	}

	/**
	 * Registers one annotated method of the target object, for the event class
	 * {@code eventClass} (one of {@link BubusHandler#eventTypes()}) or, when null, for
	 * its parameter or {@link BubusHandler#eventType()}.
	 */
	@SuppressWarnings("unchecked")
	static EventHandler register(EventBus bus, Object target, Method method, BubusHandler annotation,
			@org.jspecify.annotations.Nullable Class<?> eventClass) {
		if (method.getParameterCount() != 1 || !BaseEvent.class.isAssignableFrom(method.getParameterTypes()[0])
				|| Modifier.isStatic(method.getModifiers())) {
			throw new IllegalArgumentException("@BubusHandler method " + method.getDeclaringClass().getSimpleName()
					+ "." + method.getName() + " must be an instance method with one BaseEvent parameter");
		}
		Class<?> parameter = method.getParameterTypes()[0];
		String pattern = annotation.eventType();
		if (eventClass != null) {
			if (!pattern.isEmpty() || !parameter.isAssignableFrom(eventClass)) {
				throw new IllegalArgumentException("@BubusHandler method " + method.getDeclaringClass().getSimpleName()
						+ "." + method.getName() + ": eventTypes " + eventClass.getSimpleName() + (pattern.isEmpty()
								? " is not a " + parameter.getSimpleName() : " and eventType are both set"));
			}
			pattern = EventTypes.typeOf(eventClass);
			BaseEvent.register((Class<? extends BaseEvent<?>>) eventClass);
		}
		else if (pattern.isEmpty()) {
			if (parameter == BaseEvent.class || parameter == DynamicEvent.class) {
				throw new IllegalArgumentException(
						"@BubusHandler method " + method.getDeclaringClass().getSimpleName() + "." + method.getName()
								+ " takes " + parameter.getSimpleName() + "; set eventType = \"...\" or \"*\"");
			}
			pattern = EventTypes.typeOf(parameter);
			BaseEvent.register((Class<? extends BaseEvent<?>>) parameter);
		}
		method.setAccessible(true);
		EventHandlerFunction<BaseEvent<?>> function = (event) -> {
			Object argument = parameter.isInstance(event) ? event
					: EventJson.convert(event, (Class<? extends BaseEvent<?>>) parameter);
			return Reflection.invoke(method, target, argument);
		};
		for (HandlerMethodDecorator decorator : DECORATORS) {
			function = decorator.decorate(method, target, function);
		}
		HandlerOptions options = HandlerOptions.defaults()
			.name(annotation.name().isEmpty()
					? method.getDeclaringClass().getSimpleName().replaceAll("\\$\\$.*$", "") + "." + method.getName()
					: annotation.name())
			.filePath(bus.eventHandlerDetectFilePaths()
					? method.getDeclaringClass().getSimpleName() + ".java#" + method.getName() : null);
		if (!annotation.timeout().isEmpty()) {
			options = options.timeout(Durations.parse(annotation.timeout()));
		}
		if (!annotation.slowTimeout().isEmpty()) {
			options = options.slowTimeout(Durations.parse(annotation.slowTimeout()));
		}
		return bus.add(pattern, function, function, options);
	}

}
