package io.bubus.json;

import tools.jackson.core.Version;
import tools.jackson.databind.AnnotationIntrospector;
import tools.jackson.databind.JacksonModule;

/**
 * A Jackson module that installs one annotation introspector of bubus ahead of Jackson's
 * annotations, registered once per mapper under its name.
 */
final class IntrospectorModule extends JacksonModule {

	private final String name;

	private final AnnotationIntrospector introspector;

	IntrospectorModule(String name, AnnotationIntrospector introspector) {
		this.name = name;
		this.introspector = introspector;
	}

	@Override
	public String getModuleName() {
		return this.name;
	}

	@Override
	public Object getRegistrationId() {
		return this.name;
	}

	@Override
	public Version version() {
		return Version.unknownVersion();
	}

	@Override
	public void setupModule(SetupContext context) {
		context.insertAnnotationIntrospector(this.introspector);
	}

}
