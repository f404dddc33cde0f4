package io.bubus.spring.autoconfigure.actuate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.bubus.BaseEvent;
import io.bubus.EventBus;
import io.bubus.EventHandler;
import io.bubus.bridge.EventBridge;
import io.bubus.json.BubusJson;
import io.bubus.spring.autoconfigure.BubusEndpointSection;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.Sanitizer;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The {@code bubus} actuator endpoint. Over HTTP (once added to
 * {@code management.endpoints.web.exposure.include}):
 * <ul>
 * <li>{@code GET /actuator/bubus}: every bus with its queue, history and handler counts,
 * and every bridge with its received and dropped message counts (and, sending in batches,
 * its pending and failed sends);</li>
 * <li>{@code GET /actuator/bubus/{bus}}: one bus (by bean or bus name): its settings,
 * handlers, queue size and recent history as bubus JSON ({@code ?limit=} events, newest
 * last);</li>
 * <li>{@code GET /actuator/bubus/{bus}/tree}: the bus's log tree as {@code text/plain},
 * with full event ids ({@code ?limit=} the most recent root events);
 * {@code /tree/{eventId}} the tree of one event;</li>
 * <li>{@code GET /actuator/bubus/{bus}/events/{eventId}}: one event from the bus's
 * history with its results and, nested, every event its handlers emitted;</li>
 * <li>{@code GET /actuator/bubus/{section}}: a section an integration contributes as a
 * {@link BubusEndpointSection} bean ({@code publications} with the publication log on),
 * over HTTP (see {@link BubusEndpointWebExtension}); the summary shows it too.</li>
 * </ul>
 * An unknown bus or event gives 404. The endpoint is read-only unless
 * {@code management.endpoint.bubus.access=unrestricted}, which adds the write operations
 * of {@link BubusEndpointWebExtension} (clear a history, re-emit a failed event). Event
 * payload fields and handler results are masked unless
 * {@code management.endpoint.bubus.show-values} allows them ({@code never} by default, as
 * for Spring Boot's {@code env} endpoint); {@link SanitizingFunction} beans apply to
 * shown values.
 *
 * @author bubus-java
 * @since 0.1.0
 */
@Endpoint(id = "bubus", defaultAccess = Access.READ_ONLY)
public class BubusEndpoint {

	private static final String MASK = SanitizableData.SANITIZED_VALUE;

	private static final Pattern TREE_RESULT = Pattern.compile(" → (.*)$", Pattern.MULTILINE);

	// " ☠️ Type: message" at the end of a failed handler's line
	private static final Pattern TREE_ERROR = Pattern.compile(" ☠️ ([^:\\n]*): (.*)$", Pattern.MULTILINE);

	private final ListableBeanFactory beanFactory;

	private final Sanitizer sanitizer;

	private final Show showValues;

	private final Set<String> roles;

	private final int historyLimit;

	/**
	 * Creates the endpoint.
	 * @param beanFactory the factory holding the {@link EventBus} beans
	 * @param sanitizingFunctions functions applied to values that are shown
	 * @param showValues when values are shown unmasked
	 * @param roles roles that may see values when {@code showValues} is
	 * {@code WHEN_AUTHORIZED}
	 * @param historyLimit default number of history events in the bus view
	 */
	public BubusEndpoint(ListableBeanFactory beanFactory, Iterable<SanitizingFunction> sanitizingFunctions,
			Show showValues, Set<String> roles, int historyLimit) {
		this.beanFactory = beanFactory;
		this.sanitizer = new Sanitizer(sanitizingFunctions);
		this.showValues = showValues;
		this.roles = Set.copyOf(roles);
		this.historyLimit = historyLimit;
	}

	/**
	 * Summary of every bus.
	 * @return bus name to summary
	 */
	@ReadOperation
	public Map<String, Object> buses() {
		Map<String, Object> buses = new LinkedHashMap<>();
		busBeans().forEach((beanName, bus) -> {
			Map<String, Object> summary = new LinkedHashMap<>();
			summary.put("bean", beanName);
			summary.put("id", bus.id());
			summary.put("label", bus.label());
			summary.put("stopped", bus.isStopped());
			summary.put("queue_size", bus.queueSize());
			summary.put("history_size", bus.eventHistory().size());
			summary.put("handlers", bus.handlers().size());
			buses.put(bus.name(), summary);
		});
		Map<String, Object> bridges = new LinkedHashMap<>();
		this.beanFactory.getBeansOfType(EventBridge.class, false, false).forEach((beanName, bridge) -> {
			Map<String, Object> summary = new LinkedHashMap<>();
			summary.put("bean", beanName);
			summary.put("type", bridge.getClass().getSimpleName());
			summary.put("listening", bridge.isStarted());
			summary.put("received", bridge.receivedMessages());
			summary.put("dropped", bridge.droppedMessages());
			if (bridge.sendBatching() != null) {
				summary.put("pending_sends", bridge.pendingSends());
				summary.put("failed_sends", bridge.failedSends());
			}
			bridges.put(bridge.name(), summary);
		});
		Map<String, Object> summary = new LinkedHashMap<>();
		summary.put("buses", buses);
		summary.put("bridges", bridges);
		sections().forEach((section) -> summary.put(section.name(), section.summary()));
		return summary;
	}

	/**
	 * One bus: settings, handlers, queue size and recent history.
	 * @param bus bean or bus name
	 * @param limit number of most recent history events; {@code null} for the default
	 * @param securityContext the caller, for {@code WHEN_AUTHORIZED}
	 * @return the bus view, or {@code null} (404) for an unknown bus
	 */
	public @Nullable Map<String, Object> bus(String bus, @Nullable Integer limit, SecurityContext securityContext) {
		return bus(bus, limit, null, securityContext);
	}

	/**
	 * One bus: settings, handlers, queue size and recent history.
	 * @param bus bean or bus name
	 * @param limit number of most recent history events; {@code null} for the default
	 * @param schemas whether events carry their {@code event_result_type} schema
	 * ({@code ?schemas=true}; left out by default)
	 * @param securityContext the caller, for {@code WHEN_AUTHORIZED}
	 * @return the bus view, or {@code null} (404) for an unknown bus
	 */
	@ReadOperation
	public @Nullable Map<String, Object> bus(@Selector String bus, @Nullable Integer limit, @Nullable Boolean schemas,
			SecurityContext securityContext) {
		Map.Entry<String, EventBus> entry = find(bus);
		if (entry == null) {
			return null;
		}
		EventBus target = entry.getValue();
		boolean show = this.showValues.isShown(securityContext, this.roles);
		List<BaseEvent<?>> history = target.eventHistory();
		int keep = Math.max(0, Math.min(history.size(), (limit != null) ? limit : this.historyLimit));
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("id", target.id());
		view.put("name", target.name());
		view.put("label", target.label());
		view.put("bean", entry.getKey());
		view.put("stopped", target.isStopped());
		view.put("max_history_size", target.maxHistorySize());
		view.put("max_history_drop", target.maxHistoryDrop());
		view.put("event_concurrency", target.eventConcurrency().wireValue());
		view.put("event_timeout", seconds(target.eventTimeout()));
		view.put("event_slow_timeout", seconds(target.eventSlowTimeout()));
		view.put("event_handler_concurrency", target.eventHandlerConcurrency().wireValue());
		view.put("event_handler_completion", target.eventHandlerCompletion().wireValue());
		view.put("event_handler_timeout", seconds(target.eventHandlerTimeout()));
		view.put("event_handler_slow_timeout", seconds(target.eventHandlerSlowTimeout()));
		view.put("handlers", target.handlers().stream().map(BubusEndpoint::handler).toList());
		view.put("handlers_by_key", target.handlersByKey());
		view.put("queue_size", target.queueSize());
		view.put("history_size", history.size());
		view.put("event_history",
				history.subList(history.size() - keep, history.size())
					.stream()
					.map((event) -> eventJson(event, show, Boolean.TRUE.equals(schemas)))
					.toList());
		return view;
	}

	/**
	 * A part of a bus; only {@code tree} exists: the log tree as text.
	 * @param bus bean or bus name
	 * @param part {@code tree}
	 * @param securityContext the caller, for {@code WHEN_AUTHORIZED}
	 * @return the tree, or {@code null} (404) for an unknown bus or part
	 */
	@ReadOperation(produces = "text/plain;charset=UTF-8")
	public @Nullable String tree(@Selector String bus, @Selector String part, @Nullable Integer limit,
			SecurityContext securityContext) {
		Map.Entry<String, EventBus> entry = find(bus);
		if (entry == null || !"tree".equals(part)) {
			return null;
		}
		int roots = (limit != null) ? Math.max(0, limit) : Integer.MAX_VALUE;
		return maskTree(entry.getValue().logTree(roots, true), this.showValues.isShown(securityContext, this.roles));
	}

	/**
	 * The whole log tree of a bus, as {@code tree(bus, part, null, securityContext)}.
	 * @param bus bean or bus name
	 * @param part {@code tree}
	 * @param securityContext the caller, for {@code WHEN_AUTHORIZED}
	 * @return the tree, or {@code null} for an unknown bus or part
	 */
	public @Nullable String tree(String bus, String part, SecurityContext securityContext) {
		return tree(bus, part, null, securityContext);
	}

	/**
	 * The log tree of one event of the bus's history and its descendants, with full ids.
	 * @param bus bean or bus name
	 * @param eventId the event id
	 * @param securityContext the caller, for {@code WHEN_AUTHORIZED}
	 * @return the tree, or {@code null} for an unknown bus or event
	 */
	public @Nullable String eventTree(String bus, String eventId, SecurityContext securityContext) {
		Map.Entry<String, EventBus> entry = find(bus);
		if (entry == null) {
			return null;
		}
		for (BaseEvent<?> event : entry.getValue().eventHistory()) {
			if (event.eventId().equals(eventId)) {
				return maskTree(entry.getValue().logTree(event, true),
						this.showValues.isShown(securityContext, this.roles));
			}
		}
		return null;
	}

	/**
	 * The tree with handler results and error messages masked, or passed through the
	 * sanitizing functions when shown (keys {@code result} and {@code error}), as in the
	 * event JSON. A tree that is not empty ends with a line break, so that the output of
	 * {@code curl} does not run into the shell's prompt.
	 */
	private String maskTree(String tree, boolean show) {
		String results = TREE_RESULT.matcher(tree)
			.replaceAll((match) -> Matcher.quoteReplacement(" → " + text("result", match.group(1), show)));
		String masked = TREE_ERROR.matcher(results)
			.replaceAll((match) -> Matcher
				.quoteReplacement(" ☠️ " + match.group(1) + ": " + text("error", match.group(2), show)));
		return (masked.isEmpty() || masked.endsWith("\n")) ? masked : masked + "\n";
	}

	private String text(String key, String value, boolean show) {
		return String.valueOf(sanitize(key, value, show));
	}

	/**
	 * One event of a bus's history with its results and descendants.
	 * @param bus bean or bus name
	 * @param events {@code events}
	 * @param eventId the event id
	 * @param securityContext the caller, for {@code WHEN_AUTHORIZED}
	 * @return the event and, under {@code children}, the events its handlers emitted
	 * (recursively), or {@code null} (404) when unknown
	 */
	public @Nullable Map<String, Object> event(String bus, String events, String eventId,
			SecurityContext securityContext) {
		return event(bus, events, eventId, null, securityContext);
	}

	/**
	 * One event of a bus's history with its results and descendants.
	 * @param bus bean or bus name
	 * @param events {@code events}
	 * @param eventId the event id
	 * @param schemas whether events carry their {@code event_result_type} schema
	 * ({@code ?schemas=true}; left out by default)
	 * @param securityContext the caller, for {@code WHEN_AUTHORIZED}
	 * @return the event and, under {@code children}, the events its handlers emitted
	 * (recursively), or {@code null} (404) when unknown
	 */
	@ReadOperation
	public @Nullable Map<String, Object> event(@Selector String bus, @Selector String events, @Selector String eventId,
			@Nullable Boolean schemas, SecurityContext securityContext) {
		Map.Entry<String, EventBus> entry = find(bus);
		if (entry == null || !"events".equals(events)) {
			return null;
		}
		for (BaseEvent<?> event : entry.getValue().eventHistory()) {
			if (event.eventId().equals(eventId)) {
				return withDescendants(event, this.showValues.isShown(securityContext, this.roles),
						Boolean.TRUE.equals(schemas), new HashSet<>());
			}
		}
		return null;
	}

	private Map<String, Object> withDescendants(BaseEvent<?> event, boolean show, boolean schemas, Set<String> seen) {
		seen.add(event.eventId());
		Map<String, Object> node = new LinkedHashMap<>();
		node.put("event", eventJson(event, show, schemas));
		List<Map<String, Object>> children = new ArrayList<>();
		for (BaseEvent<?> child : event.eventChildren()) {
			if (!seen.contains(child.eventId())) {
				children.add(withDescendants(child, show, schemas, seen));
			}
		}
		node.put("children", children);
		return node;
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> eventJson(BaseEvent<?> event, boolean show, boolean schemas) {
		Map<String, Object> json = BubusJson.MAPPER.readValue(event.toJson(), LinkedHashMap.class);
		json.replaceAll((key, value) -> key.startsWith("event_") ? value : sanitize(key, value, show));
		if (!schemas) {
			json.remove("event_result_type");
		}
		Object results = json.get("event_results");
		if (results instanceof List<?> rows) {
			for (Object row : rows) {
				// a forwarding handler's result is the forwarded event: referenced by id
				// (it is in the history of the bus it went to), not repeated
				if (row instanceof Map<?, ?> map && map.get("result") instanceof Map<?, ?> result
						&& result.get("event_id") instanceof String id && result.get("event_type") != null) {
					Map<String, Object> reference = new LinkedHashMap<>();
					reference.put("event_type", result.get("event_type"));
					reference.put("event_id", id);
					((Map<String, Object>) map).put("result_event", reference);
					((Map<String, Object>) map).remove("result");
				}
				if (row instanceof Map<?, ?> map && map.containsKey("result")) {
					((Map<String, Object>) map).put("result", sanitize("result", map.get("result"), show));
				}
				// an error message often quotes the input (a card number, an address):
				// masked like a result; the error type stays readable
				if (row instanceof Map<?, ?> map && map.get("error") instanceof Map<?, ?> error
						&& error.containsKey("message")) {
					((Map<String, Object>) error).put("message", sanitize("error", error.get("message"), show));
				}
			}
		}
		return json;
	}

	/** Masks values for this caller as the other views do. */
	BubusEndpointSection.Masker masker(SecurityContext securityContext) {
		boolean show = this.showValues.isShown(securityContext, this.roles);
		return (key, value) -> sanitize(key, value, show);
	}

	private @Nullable Object sanitize(String key, @Nullable Object value, boolean show) {
		if (value == null) {
			return null;
		}
		return this.sanitizer.sanitize(new SanitizableData(null, key, value), show);
	}

	private static Map<String, Object> handler(EventHandler handler) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("id", handler.id());
		json.put("handler_name", handler.handlerName());
		json.put("event_pattern", handler.eventPattern());
		json.put("handler_file_path", handler.handlerFilePath());
		json.put("handler_registered_at", handler.handlerRegisteredAt().toString());
		json.put("handler_timeout", seconds(handler.handlerTimeout()));
		json.put("eventbus_name", handler.eventbusName());
		json.put("eventbus_id", handler.eventbusId());
		return json;
	}

	private static @Nullable Double seconds(@Nullable Duration duration) {
		return (duration != null) ? duration.toNanos() / 1e9 : null;
	}

	private Map<String, EventBus> busBeans() {
		return this.beanFactory.getBeansOfType(EventBus.class, false, false);
	}

	/** The section with this name, or {@code null}. */
	@Nullable BubusEndpointSection section(String name) {
		return sections().filter((section) -> section.name().equals(name)).findFirst().orElse(null);
	}

	private Stream<BubusEndpointSection> sections() {
		return this.beanFactory.getBeanProvider(BubusEndpointSection.class).orderedStream();
	}

	/** The bus with this bean or bus name, or {@code null}. */
	@Nullable EventBus findBus(String name) {
		Map.Entry<String, EventBus> entry = find(name);
		return (entry != null) ? entry.getValue() : null;
	}

	private Map.@Nullable Entry<String, EventBus> find(String name) {
		Map<String, EventBus> buses = busBeans();
		EventBus byBean = buses.get(name);
		if (byBean != null) {
			return Map.entry(name, byBean);
		}
		Collection<Map.Entry<String, EventBus>> entries = buses.entrySet();
		for (Map.Entry<String, EventBus> entry : entries) {
			if (entry.getValue().name().equals(name)) {
				return entry;
			}
		}
		return null;
	}

}
