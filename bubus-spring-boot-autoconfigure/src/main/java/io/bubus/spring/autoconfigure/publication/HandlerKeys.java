package io.bubus.spring.autoconfigure.publication;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.bubus.EventHandler;

/**
 * Names the handler rows of a publication. Handler ids are derived from the registration
 * time and change with every start, so a row is keyed by the handler's name, which the
 * application gives again on the next start; a name that repeats on the bus gets
 * {@code #2}, {@code #3}... in run order.
 */
final class HandlerKeys {

	private HandlerKeys() {
	}

	/** Handler id to row key, in run order. */
	static Map<String, String> of(List<EventHandler> handlers) {
		Map<String, String> keys = new LinkedHashMap<>();
		Map<String, Integer> seen = new HashMap<>();
		for (EventHandler handler : handlers) {
			String name = handler.handlerName();
			int count = seen.merge(name, 1, Integer::sum);
			keys.put(handler.id(), (count == 1) ? name : name + "#" + count);
		}
		return keys;
	}

}
