package io.bubus.retry;

import java.lang.reflect.Method;

import org.jspecify.annotations.Nullable;

import io.bubus.BaseEvent;
import io.bubus.EventHandlerFunction;
import io.bubus.HandlerMethodDecorator;

/**
 * Applies a method's {@link BubusRetry} policy to the {@code @BubusHandler} methods a bus
 * registers (a {@link java.util.ServiceLoader} provider, so the bus's package does not
 * depend on this one).
 */
public final class RetryHandlerDecorator implements HandlerMethodDecorator {

	@Override
	public EventHandlerFunction<BaseEvent<?>> decorate(Method method, @Nullable Object target,
			EventHandlerFunction<BaseEvent<?>> function) {
		Retry retry = Retry.forMethod(method).orElse(null);
		return (retry != null) ? retry.handler(target, function) : function;
	}

}
