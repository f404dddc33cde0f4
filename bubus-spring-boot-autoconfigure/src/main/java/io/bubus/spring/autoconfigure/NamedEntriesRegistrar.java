package io.bubus.spring.autoconfigure;

import java.util.Map;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Registers one bean per entry of a named map of the configuration, such as
 * {@code bubus.buses.<name>}, before the beans are created. An entry's name must be a
 * Java identifier; a bean already registered under the entry's bean name (a user's own)
 * wins. Part of the auto-configuration, not meant for application code.
 *
 * @param <T> the type an entry binds to
 */
public abstract class NamedEntriesRegistrar<T> implements BeanDefinitionRegistryPostProcessor, BeanFactoryAware {

	private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

	private final Environment environment;

	private final String prefix;

	private final Class<T> entryType;

	private final String namingRule;

	private @Nullable ListableBeanFactory beanFactory;

	/**
	 * Creates a registrar.
	 * @param environment the environment holding the entries
	 * @param prefix the map's property name, such as {@code bubus.buses}
	 * @param entryType the type an entry binds to
	 * @param noun what an entry configures, such as {@code bus}
	 * @param whyAnIdentifier why its name must be a Java identifier
	 */
	protected NamedEntriesRegistrar(Environment environment, String prefix, Class<T> entryType, String noun,
			String whyAnIdentifier) {
		this.environment = environment;
		this.prefix = prefix;
		this.entryType = entryType;
		this.namingRule = "a " + noun + " name must be a Java identifier (letters, digits and _), because "
				+ whyAnIdentifier;
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = (ListableBeanFactory) beanFactory;
	}

	@Override
	public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
		Map<String, T> entries = Binder.get(this.environment)
			.bind(this.prefix, Bindable.mapOf(String.class, this.entryType))
			.orElse(Map.of());
		for (String name : entries.keySet()) {
			if (isProvidedElsewhere(name)) {
				continue;
			}
			if (!IDENTIFIER.matcher(name).matches()) {
				throw new BubusConfigurationException(this.prefix + "." + name, this.namingRule, "rename the key");
			}
			String beanName = entryBeanName(name);
			if (!registry.containsBeanDefinition(beanName)) {
				registry.registerBeanDefinition(beanName, entryBeanDefinition(name));
			}
		}
	}

	/**
	 * The environment holding the entries.
	 * @return the environment
	 */
	protected Environment getEnvironment() {
		return this.environment;
	}

	/**
	 * The bean factory, for creating an entry's bean.
	 * @return the bean factory
	 */
	protected ListableBeanFactory getBeanFactory() {
		ListableBeanFactory factory = this.beanFactory;
		if (factory == null) {
			throw new IllegalStateException("BeanFactory not set");
		}
		return factory;
	}

	/**
	 * Whether the entry's bean comes from elsewhere, so none is registered for it.
	 * @param name the entry's name
	 * @return {@code false} unless overridden
	 */
	protected boolean isProvidedElsewhere(String name) {
		return false;
	}

	/**
	 * The bean name of an entry's bean.
	 * @param name the entry's name
	 * @return the bean name
	 */
	protected abstract String entryBeanName(String name);

	/**
	 * The definition of an entry's bean.
	 * @param name the entry's name
	 * @return the bean definition
	 */
	protected abstract RootBeanDefinition entryBeanDefinition(String name);

}
