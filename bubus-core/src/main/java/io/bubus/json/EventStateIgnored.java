package io.bubus.json;

import tools.jackson.databind.JacksonModule;
import tools.jackson.databind.cfg.MapperConfig;
import tools.jackson.databind.introspect.AnnotatedMember;
import tools.jackson.databind.introspect.NopAnnotationIntrospector;

/**
 * Keeps an event's own state out of its payload: members declared by
 * {@code io.bubus.BaseEvent} are ignored, also when an application's mapper sees private
 * fields or every getter ({@code spring.jackson.visibility.*}). The {@code event_*}
 * metadata is written by bubus itself.
 */
final class EventStateIgnored extends NopAnnotationIntrospector {

	private static final long serialVersionUID = 1L;

	// by name: io.bubus depends on this package, not the other way round
	private static final String BASE_EVENT = "io.bubus.BaseEvent";

	private EventStateIgnored() {
	}

	static JacksonModule module() {
		return new IntrospectorModule("bubus-event-state-ignored", new EventStateIgnored());
	}

	@Override
	public boolean hasIgnoreMarker(MapperConfig<?> config, AnnotatedMember member) {
		Class<?> declaring = member.getDeclaringClass();
		return declaring != null && BASE_EVENT.equals(declaring.getName());
	}

}
