package io.bubus.test.spring;

import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.core.type.classreading.MetadataReader;
import org.springframework.core.type.classreading.MetadataReaderFactory;

/**
 * Leaves out every class component scanning finds: a
 * {@link BubusHandlerTest @BubusHandlerTest} registers the handlers it names itself.
 */
final class BubusHandlerTypeExcludeFilter extends TypeExcludeFilter {

	@Override
	public boolean match(MetadataReader metadataReader, MetadataReaderFactory metadataReaderFactory) {
		return true;
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof BubusHandlerTypeExcludeFilter;
	}

	@Override
	public int hashCode() {
		return BubusHandlerTypeExcludeFilter.class.hashCode();
	}

}
