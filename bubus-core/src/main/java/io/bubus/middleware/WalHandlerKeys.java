package io.bubus.middleware;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.bubus.EventBus;
import io.bubus.EventHandler;
import org.jspecify.annotations.Nullable;

/**
 * Names a handler the same way in every run of the program, so a WAL written by one run
 * can say which handlers of the next one already finished: bus name, event pattern,
 * handler name and, when several handlers share those, the position among them in
 * registration order. Handler ids cannot serve: they include the bus id and the
 * registration time. Give handlers explicit names ({@code HandlerOptions.name}) to keep
 * keys stable across code changes that rename lambdas.
 */
final class WalHandlerKeys {

	private final Map<EventHandler, String> keys = new ConcurrentHashMap<>();

	/** Keys by handler id, for the handlers that ran in this process. */
	private final Map<String, String> byId = new ConcurrentHashMap<>();

	String keyOf(EventBus bus, EventHandler handler) {
		String key = this.keys.get(handler);
		if (key == null) {
			key = derive(bus.handlers(), handler, bus.name());
			this.keys.put(handler, key);
		}
		return key;
	}

	void remember(String handlerId, String key) {
		this.byId.putIfAbsent(handlerId, key);
	}

	/** The key of a handler that ran in this process, by id, or null. */
	@Nullable String keyFor(String handlerId) {
		return this.byId.get(handlerId);
	}

	void forget(EventHandler handler) {
		this.keys.remove(handler);
	}

	/** Every handler of the bus by key. */
	Map<String, EventHandler> live(EventBus bus) {
		Map<String, EventHandler> live = new HashMap<>();
		for (EventHandler handler : bus.handlers()) {
			live.put(keyOf(bus, handler), handler);
		}
		return live;
	}

	private static String derive(List<EventHandler> handlers, EventHandler handler, String busName) {
		String base = busName + "/" + handler.eventPattern() + "/" + handler.handlerName();
		int position = 0;
		for (EventHandler other : handlers) {
			if (other == handler) {
				break;
			}
			if (other.eventPattern().equals(handler.eventPattern())
					&& other.handlerName().equals(handler.handlerName())) {
				position++;
			}
		}
		return (position == 0) ? base : base + "#" + position;
	}

}
