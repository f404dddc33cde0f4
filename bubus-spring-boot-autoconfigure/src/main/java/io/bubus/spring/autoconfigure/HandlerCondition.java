package io.bubus.spring.autoconfigure;

import java.lang.reflect.Method;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.context.expression.BeanFactoryResolver;
import org.springframework.context.expression.MethodBasedEvaluationContext;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.expression.Expression;
import org.springframework.expression.ParseException;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.util.StringUtils;

/**
 * The SpEL {@code condition} of a {@code @BubusHandler} method, evaluated as Spring's
 * {@code @EventListener} conditions are: {@code #event} (also {@code #root.event}, and
 * the parameter by name, {@code #a0} or {@code #p0}) is the event the method would get,
 * {@code @beanName} refers to a bean. Parsed once at startup (a syntax error fails it,
 * naming the method); evaluated for each event on the handler's thread.
 */
final class HandlerCondition {

	private static final HandlerCondition ALWAYS = new HandlerCondition(null, null, null);

	private static final SpelExpressionParser PARSER = new SpelExpressionParser();

	private static final ParameterNameDiscoverer PARAMETER_NAMES = new DefaultParameterNameDiscoverer();

	private final @Nullable Expression expression;

	private final @Nullable Method method;

	private final @Nullable BeanFactoryResolver beans;

	private HandlerCondition(@Nullable Expression expression, @Nullable Method method, @Nullable BeanFactory beans) {
		this.expression = expression;
		this.method = method;
		this.beans = (beans != null) ? new BeanFactoryResolver(beans) : null;
	}

	static HandlerCondition of(String condition, Method method, BeanFactory beanFactory) {
		if (!StringUtils.hasText(condition)) {
			return ALWAYS;
		}
		try {
			return new HandlerCondition(PARSER.parseExpression(condition), method, beanFactory);
		}
		catch (ParseException ex) {
			throw new BubusConfigurationException(
					"@BubusHandler method " + method.getDeclaringClass().getSimpleName() + "." + method.getName(),
					"condition is not a valid SpEL expression: " + ex.getMessage(), "correct the condition", ex);
		}
	}

	boolean matches(Object event) {
		Expression expression = this.expression;
		if (expression == null) {
			return true;
		}
		MethodBasedEvaluationContext context = new MethodBasedEvaluationContext(new Root(event), this.method,
				new Object[] { event }, PARAMETER_NAMES);
		context.setVariable("event", event);
		context.setBeanResolver(this.beans);
		return Boolean.TRUE.equals(expression.getValue(context, Boolean.class));
	}

	/**
	 * The root object of a condition.
	 *
	 * @param event the event
	 */
	record Root(Object event) {

		/**
		 * Returns the event, for {@code #root.event}.
		 * @return the event
		 */
		public Object getEvent() {
			return this.event;
		}

	}

}
