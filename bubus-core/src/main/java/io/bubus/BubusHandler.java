package io.bubus;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method as an event handler. The method takes one parameter, the event (a
 * {@link BaseEvent} subclass, or {@code BaseEvent} itself together with
 * {@link #eventType()}); its return value is the handler's result and may be a
 * {@link java.util.concurrent.CompletionStage}.
 * <p>
 * {@link EventBus#register(Object)} registers every such method of an object; the Spring
 * Boot starter does it for every bean. With Spring it also works as a meta-annotation (an
 * application's own composed annotation annotated with {@code @BubusHandler}), honours
 * {@code @Order} and evaluates {@link #condition()}.
 *
 * {@snippet :
 * class Billing {
 * 	&#64;BubusHandler(timeout = "5s")
 * 	String charge(OrderPlaced event) {
 * 		return "charged " + event.orderId;
 * 	}
 * }
 * }
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.METHOD, ElementType.ANNOTATION_TYPE })
public @interface BubusHandler {

	/**
	 * The bus to register on (Spring: a bean name from {@code bubus.buses}); empty = the
	 * primary bus.
	 */
	String bus() default "";

	/** An event type string or {@code "*"}; empty = the parameter's event class. */
	String eventType() default "";

	/**
	 * Handler timeout ({@code "250ms"}, {@code "5s"}); empty = the event or bus default.
	 */
	String timeout() default "";

	/** Slow-handler warning threshold; empty = the event or bus default. */
	String slowTimeout() default "";

	/** Handler name; empty = {@code SimpleClassName.method}. */
	String name() default "";

	/**
	 * Event classes to handle with this one method, which then takes a common supertype
	 * of them (one handler is registered per class); empty = the parameter's event class
	 * or {@link #eventType()}.
	 */
	@SuppressWarnings("rawtypes")
	Class<? extends BaseEvent>[] eventTypes() default {};

	/**
	 * A SpEL expression, as for Spring's {@code @EventListener(condition = ...)}: the
	 * method runs only for events it is true for ({@code #event} is the event;
	 * {@code "#event.amount > 100"}); for other events the handler returns {@code null}
	 * without calling the method. Evaluated by the Spring Boot starter;
	 * {@link EventBus#register(Object)} rejects a method that sets it.
	 */
	String condition() default "";

}
