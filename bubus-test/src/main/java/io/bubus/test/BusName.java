package io.bubus.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the bus an {@link io.bubus.EventBus} parameter of a {@link BubusTest @BubusTest}
 * method gets; without it the parameter's name is used (compile with {@code -parameters},
 * as Spring Boot's build does), or {@code TestBus}.
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface BusName {

	/**
	 * The bus name.
	 * @return the name
	 */
	String value();

}
