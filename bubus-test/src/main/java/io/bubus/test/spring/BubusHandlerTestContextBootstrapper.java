package io.bubus.test.spring;

import org.springframework.boot.test.context.SpringBootTestContextBootstrapper;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.test.context.TestContextBootstrapper;

/** The {@link TestContextBootstrapper} of {@link BubusHandlerTest @BubusHandlerTest}. */
final class BubusHandlerTestContextBootstrapper extends SpringBootTestContextBootstrapper {

	@Override
	protected String[] getProperties(Class<?> testClass) {
		return MergedAnnotations.from(testClass, MergedAnnotations.SearchStrategy.INHERITED_ANNOTATIONS)
			.get(BubusHandlerTest.class)
			.getValue("properties", String[].class)
			.orElse(null);
	}

}
