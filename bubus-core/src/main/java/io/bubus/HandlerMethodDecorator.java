package io.bubus;

import java.lang.reflect.Method;

import org.jspecify.annotations.Nullable;

/**
 * Wraps the function of a {@link BubusHandler} method found by
 * {@link EventBus#register(Object)}, for annotations the core does not know (the retry
 * package's {@code @BubusRetry} is one). Implementations are found with
 * {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.bubus.HandlerMethodDecorator}) and applied in the order
 * found; each must be stateless and thread-safe.
 */
public interface HandlerMethodDecorator {

	/**
	 * The function to register for the method.
	 * @param method the annotated method
	 * @param target the object whose method it is
	 * @param function what calls the method, or what an earlier decorator returned
	 * @return the function wrapped, or {@code function} itself when this decorator does
	 * not apply
	 * @throws IllegalArgumentException naming the method when its annotation is invalid
	 */
	EventHandlerFunction<BaseEvent<?>> decorate(Method method, @Nullable Object target,
			EventHandlerFunction<BaseEvent<?>> function);

}
