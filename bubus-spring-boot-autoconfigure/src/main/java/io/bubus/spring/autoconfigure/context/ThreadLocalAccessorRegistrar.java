package io.bubus.spring.autoconfigure.context;

import java.util.ArrayList;
import java.util.List;

import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ThreadLocalAccessor;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;

/**
 * Registers {@link ThreadLocalAccessor} beans with the global {@link ContextRegistry}
 * when the context starts and removes them when it closes. An accessor with the same key
 * as one already registered replaces it.
 */
final class ThreadLocalAccessorRegistrar implements InitializingBean, DisposableBean {

	private final ContextRegistry registry;

	private final List<ThreadLocalAccessor<?>> accessors;

	ThreadLocalAccessorRegistrar(ContextRegistry registry, List<ThreadLocalAccessor<?>> accessors) {
		this.registry = registry;
		this.accessors = new ArrayList<>(accessors);
	}

	/** The accessors this registrar manages, in registration order. */
	List<ThreadLocalAccessor<?>> accessors() {
		return List.copyOf(this.accessors);
	}

	@Override
	public void afterPropertiesSet() {
		this.accessors.forEach(this.registry::registerThreadLocalAccessor);
	}

	@Override
	public void destroy() {
		this.accessors.forEach((accessor) -> this.registry.removeThreadLocalAccessor(accessor.key()));
	}

}
