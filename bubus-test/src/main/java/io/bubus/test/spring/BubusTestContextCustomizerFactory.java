package io.bubus.test.spring;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import io.bubus.test.BubusScenario;

import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.AnnotatedBeanDefinitionReader;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Adds a {@link BubusScenario} bean over the application's buses to every Spring test
 * context (unless the application defines one), and the handler classes a
 * {@link BubusHandlerTest @BubusHandlerTest} names.
 */
final class BubusTestContextCustomizerFactory implements ContextCustomizerFactory {

	@Override
	public ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		Set<Class<?>> handlers = new LinkedHashSet<>();
		MergedAnnotations.search(MergedAnnotations.SearchStrategy.TYPE_HIERARCHY)
			.withEnclosingClasses((type) -> true)
			.from(testClass)
			.stream(BubusHandlerTest.class)
			.forEach((test) -> handlers.addAll(Arrays.asList(test.getClassArray("value"))));
		return new Customizer(handlers);
	}

	/** Equal for equal handler sets, so contexts are cached as usual. */
	private static final class Customizer implements ContextCustomizer {

		static final String SCENARIO_BEAN = "bubusScenario";

		private final Set<Class<?>> handlers;

		Customizer(Set<Class<?>> handlers) {
			this.handlers = Set.copyOf(handlers);
		}

		@Override
		public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
			if (!(context instanceof BeanDefinitionRegistry registry)) {
				return;
			}
			if (!registry.containsBeanDefinition(SCENARIO_BEAN)) {
				RootBeanDefinition scenario = new RootBeanDefinition(BubusScenario.class,
						() -> BubusScenario.watching(() -> ApplicationBuses.of(context.getBeanFactory())));
				scenario.setLazyInit(true);
				registry.registerBeanDefinition(SCENARIO_BEAN, scenario);
			}
			if (!this.handlers.isEmpty()) {
				new AnnotatedBeanDefinitionReader(registry).register(this.handlers.toArray(Class<?>[]::new));
			}
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof Customizer customizer && customizer.handlers.equals(this.handlers);
		}

		@Override
		public int hashCode() {
			return Objects.hash(Customizer.class, this.handlers);
		}

	}

}
