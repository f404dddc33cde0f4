package io.bubus.internal;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

import org.jspecify.annotations.Nullable;

/** Calling handler methods reflectively, as if they were called directly. */
public final class Reflection {

	private Reflection() {
	}

	/**
	 * Invokes a one-argument method and throws what the method threw, not the
	 * {@link InvocationTargetException} around it.
	 * @param method the method (accessible)
	 * @param target the object to call it on
	 * @param argument its only argument
	 * @return what the method returned
	 * @throws Exception whatever the method threw, or the reflection failure
	 */
	public static @Nullable Object invoke(Method method, Object target, @Nullable Object argument) throws Exception {
		try {
			return method.invoke(target, argument);
		}
		catch (InvocationTargetException ex) {
			Throwable cause = ex.getCause();
			if (cause instanceof Exception exception) {
				throw exception;
			}
			if (cause instanceof Error error) {
				throw error;
			}
			throw ex;
		}
	}

}
