package io.bubus.test.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;

/**
 * Imports the bubus auto-configuration (buses, {@code @BubusHandler} registration,
 * context propagation) into a test slice, as listed in
 * {@code META-INF/spring/io.bubus.test.spring.AutoConfigureBubus.imports}.
 * {@link BubusHandlerTest @BubusHandlerTest} uses it; add it to another slice to get the
 * buses there too.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration
public @interface AutoConfigureBubus {

}
