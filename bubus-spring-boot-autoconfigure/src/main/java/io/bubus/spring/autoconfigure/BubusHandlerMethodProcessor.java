package io.bubus.spring.autoconfigure;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import io.bubus.BaseEvent;
import io.bubus.BubusHandler;
import io.bubus.DynamicEvent;
import io.bubus.EventBus;
import io.bubus.EventHandler;
import io.bubus.EventHandlerFunction;
import io.bubus.HandlerOptions;
import io.bubus.retry.BubusRetry;
import io.bubus.retry.Retry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.framework.autoproxy.AutoProxyUtils;
import org.springframework.aop.scope.ScopedProxyUtils;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.core.annotation.Order;
import org.springframework.core.annotation.OrderUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;
import org.springframework.util.StringUtils;

/**
 * Registers the {@link BubusHandler} methods of every bean once all singletons exist, the
 * way Spring's {@code EventListenerMethodProcessor} handles {@code @EventListener}: the
 * annotation is read from the user class, the call goes through the bean as the context
 * hands it out (so {@code @Transactional}, {@code @Async} and other proxies apply), and
 * the bean is looked up on every call (so lazy and scoped beans work).
 */
final class BubusHandlerMethodProcessor implements SmartInitializingSingleton, BeanFactoryAware {

	private static final Log logger = LogFactory.getLog(BubusHandlerMethodProcessor.class);

	private @Nullable ConfigurableListableBeanFactory beanFactory;

	private final List<EventHandler> registered = new ArrayList<>();

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = (ConfigurableListableBeanFactory) beanFactory;
	}

	/** The handlers this processor registered, in registration order. */
	List<EventHandler> registeredHandlers() {
		return List.copyOf(this.registered);
	}

	@Override
	public void afterSingletonsInstantiated() {
		ConfigurableListableBeanFactory factory = beanFactory();
		List<Candidate> candidates = new ArrayList<>();
		for (String beanName : factory.getBeanNamesForType(Object.class, false, false)) {
			if (ScopedProxyUtils.isScopedTarget(beanName)) {
				continue;
			}
			Class<?> type = AutoProxyUtils.determineTargetClass(factory, beanName);
			if (type == null || EventBus.class.isAssignableFrom(type)
					|| !AnnotationUtils.isCandidateClass(type, BubusHandler.class)) {
				continue;
			}
			collect(beanName, ClassUtils.getUserClass(type), candidates);
		}
		// @Order / Ordered between the methods, stable: equal orders keep bean and
		// declaration order. Handlers of one event type run in registration order.
		candidates.sort(Comparator.comparingInt(Candidate::order));
		for (Candidate candidate : candidates) {
			EventBus bus = resolveBus(candidate.annotation().bus(), candidate.beanName(), candidate.method());
			this.registered.addAll(register(bus, candidate));
		}
	}

	private void collect(String beanName, Class<?> targetType, List<Candidate> candidates) {
		Map<Method, BubusHandler> methods = MethodIntrospector.selectMethods(targetType,
				(MethodIntrospector.MetadataLookup<BubusHandler>) (method) -> AnnotatedElementUtils
					.findMergedAnnotation(method, BubusHandler.class));
		if (methods.isEmpty()) {
			return;
		}
		Class<?> beanType = beanFactory().getType(beanName);
		methods.forEach((method, annotation) -> {
			Method invocable = AopUtils.selectInvocableMethod(method, (beanType != null) ? beanType : targetType);
			candidates.add(new Candidate(beanName, targetType, method, invocable, annotation,
					order(beanName, targetType, method)));
		});
		if (logger.isDebugEnabled()) {
			logger.debug(methods.size() + " @BubusHandler methods found on bean '" + beanName + "'");
		}
	}

	/**
	 * The method's {@code @Order}, else the bean's ({@link Ordered}, {@code @Order} or
	 * {@code @Priority} on its class), else the lowest precedence.
	 */
	private int order(String beanName, Class<?> targetType, Method method) {
		Order methodOrder = AnnotatedElementUtils.findMergedAnnotation(method, Order.class);
		if (methodOrder != null) {
			return methodOrder.value();
		}
		if (Ordered.class.isAssignableFrom(targetType) && beanFactory().getBean(beanName) instanceof Ordered ordered) {
			return ordered.getOrder();
		}
		Integer classOrder = OrderUtils.getOrder(targetType);
		return (classOrder != null) ? classOrder : Ordered.LOWEST_PRECEDENCE;
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private List<EventHandler> register(EventBus bus, Candidate candidate) {
		Method method = candidate.method();
		BubusHandler annotation = candidate.annotation();
		String beanName = candidate.beanName();
		Method invocable = candidate.invocable();
		Class<?> parameter = checkSignature(method);
		ReflectionUtils.makeAccessible(invocable);
		HandlerOptions options = options(bus, candidate.targetType(), method, annotation);
		HandlerCondition condition = HandlerCondition.of(annotation.condition(), method, beanFactory());
		String eventType = resolve(annotation.eventType());
		Class<?>[] eventTypes = annotation.eventTypes();
		if (eventTypes.length > 0) {
			if (!eventType.isEmpty()) {
				throw new BubusConfigurationException(describe(method), "sets both eventType and eventTypes",
						"keep one of them");
			}
			List<EventHandler> handlers = new ArrayList<>();
			for (Class<?> type : eventTypes) {
				if (!parameter.isAssignableFrom(type)) {
					throw new BubusConfigurationException(describe(method),
							"eventTypes lists " + type.getSimpleName() + ", which is not a "
									+ parameter.getSimpleName(),
							"make the parameter a common supertype of every class in eventTypes");
				}
				EventHandlerFunction<BaseEvent<?>> typed = withRetry(method, beanName,
						(event) -> invoke(beanName, invocable, event, condition));
				handlers.add(bus.on((Class) type, typed, options));
			}
			return handlers;
		}
		if (eventType.isEmpty()) {
			if (parameter == BaseEvent.class || parameter == DynamicEvent.class) {
				throw new BubusConfigurationException(describe(method), "takes " + parameter.getSimpleName(),
						"set @BubusHandler(eventType = \"...\") or eventType = \"*\"");
			}
			EventHandlerFunction<BaseEvent<?>> typed = withRetry(method, beanName,
					(event) -> invoke(beanName, invocable, event, condition));
			return List.of(bus.on((Class) parameter, typed, options));
		}
		EventHandlerFunction<BaseEvent<?>> function = withRetry(method, beanName,
				(event) -> invoke(beanName, invocable, convert(event, parameter), condition));
		return List.of(bus.on(eventType, function, options));
	}

	/**
	 * The handler wrapped in the policy of the method's {@link BubusRetry}, keyed on the
	 * bean (looked up per call) for the class and instance scopes. Spring's own
	 * {@code @Retryable} needs nothing here: it applies through the bean's proxy, which
	 * {@link #invoke} calls.
	 */
	private EventHandlerFunction<BaseEvent<?>> withRetry(Method method, String beanName,
			EventHandlerFunction<BaseEvent<?>> handler) {
		Retry retry = Retry.forMethod(method).orElse(null);
		if (retry == null) {
			return handler;
		}
		return (event) -> retry.handler(beanFactory().getBean(beanName), handler).handle(event);
	}

	private HandlerOptions options(EventBus bus, Class<?> targetType, Method method, BubusHandler annotation) {
		String name = resolve(annotation.name());
		HandlerOptions options = HandlerOptions.defaults()
			.name(name.isEmpty() ? targetType.getSimpleName() + "." + method.getName() : name)
			.filePath(bus.eventHandlerDetectFilePaths() ? targetType.getSimpleName() + ".java#" + method.getName()
					: null);
		Duration timeout = duration(annotation.timeout(), method, "timeout");
		if (timeout != null) {
			options = options.timeout(timeout);
		}
		Duration slowTimeout = duration(annotation.slowTimeout(), method, "slowTimeout");
		if (slowTimeout != null) {
			options = options.slowTimeout(slowTimeout);
		}
		return options;
	}

	private @Nullable Object invoke(String beanName, Method method, Object argument, HandlerCondition condition)
			throws Exception {
		if (!condition.matches(argument)) {
			return null;
		}
		try {
			return method.invoke(beanFactory().getBean(beanName), argument);
		}
		catch (InvocationTargetException ex) {
			// what the method threw, as if it had been called directly
			if (ex.getCause() instanceof Exception exception) {
				throw exception;
			}
			if (ex.getCause() instanceof Error error) {
				throw error;
			}
			throw ex;
		}
	}

	@SuppressWarnings("unchecked")
	private static Object convert(BaseEvent<?> event, Class<?> parameter) {
		// An event of another class (a DynamicEvent from a bridge, a sibling type under a
		// shared event type): the handler gets a copy of the declared class.
		return event.as((Class<? extends BaseEvent<?>>) parameter);
	}

	private static Class<?> checkSignature(Method method) {
		if (method.getParameterCount() != 1 || !BaseEvent.class.isAssignableFrom(method.getParameterTypes()[0])
				|| Modifier.isStatic(method.getModifiers())) {
			throw new BubusConfigurationException(describe(method),
					"must be an instance method with exactly one BaseEvent parameter", "change its signature");
		}
		return method.getParameterTypes()[0];
	}

	private EventBus resolveBus(String requested, String beanName, Method method) {
		String name = resolve(requested);
		Map<String, EventBus> buses = beanFactory().getBeansOfType(EventBus.class, false, true);
		if (name.isEmpty()) {
			return primaryBus(buses, method);
		}
		EventBus bus = buses.get(name);
		if (bus != null) {
			return bus;
		}
		for (EventBus candidate : buses.values()) {
			if (candidate.name().equals(name)) {
				return candidate;
			}
		}
		throw new BubusConfigurationException(
				describe(method) + " (bean '" + beanName + "')", "names bus '" + name
						+ "', but there is no EventBus bean or bus with that name; known buses: " + buses.keySet(),
				"add it under bubus.buses." + name + " or declare the bean");
	}

	private EventBus primaryBus(Map<String, EventBus> buses, Method method) {
		ConfigurableListableBeanFactory factory = beanFactory();
		List<String> candidates = new ArrayList<>();
		for (String name : buses.keySet()) {
			if (!factory.containsBeanDefinition(name)
					|| !(factory.getMergedBeanDefinition(name) instanceof AbstractBeanDefinition definition)
					|| definition.isDefaultCandidate()) {
				candidates.add(name);
			}
		}
		if (candidates.size() == 1) {
			return buses.get(candidates.get(0));
		}
		for (String name : candidates) {
			if (factory.containsBeanDefinition(name) && factory.getMergedBeanDefinition(name).isPrimary()) {
				return buses.get(name);
			}
		}
		throw new BubusConfigurationException(describe(method),
				"has no bus set and there is no single primary EventBus among " + candidates,
				"set @BubusHandler(bus = \"...\") or mark one bus @Primary");
	}

	private @Nullable Duration duration(String text, Method method, String attribute) {
		String value = resolve(text);
		if (value.isEmpty()) {
			return null;
		}
		try {
			return HandlerOptions.parseDuration(value);
		}
		catch (IllegalArgumentException ex) {
			throw new BubusConfigurationException(describe(method), attribute + " " + ex.getMessage(),
					"give " + attribute + " a duration such as \"250ms\" or \"5s\"", ex);
		}
	}

	private String resolve(String value) {
		if (!StringUtils.hasText(value)) {
			return "";
		}
		String resolved = beanFactory().resolveEmbeddedValue(value);
		return (resolved != null) ? resolved.trim() : "";
	}

	private static String describe(Method method) {
		return "@BubusHandler method " + ClassUtils.getUserClass(method.getDeclaringClass()).getSimpleName() + "."
				+ method.getName();
	}

	/** A {@code @BubusHandler} method found on a bean, before registration. */
	private record Candidate(String beanName, Class<?> targetType, Method method, Method invocable,
			BubusHandler annotation, int order) {
	}

	private ConfigurableListableBeanFactory beanFactory() {
		if (this.beanFactory == null) {
			throw new IllegalStateException("BeanFactory not set");
		}
		return this.beanFactory;
	}

}
