package io.bubus.spring.autoconfigure.actuate;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import io.bubus.BaseEvent;
import io.bubus.EventBus;
import io.bubus.json.BubusJson;
import io.bubus.spring.autoconfigure.BubusEndpointSection;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;
import org.springframework.util.MimeType;

/**
 * The write operations of the {@link BubusEndpoint} over HTTP. Like every write operation
 * of an endpoint they exist only with
 * {@code management.endpoint.bubus.access=unrestricted} (the endpoint's default access is
 * read-only):
 * <ul>
 * <li>{@code DELETE /actuator/bubus/{bus}/history}: removes the completed events from the
 * bus's history (queued and running ones stay);</li>
 * <li>{@code POST /actuator/bubus/{bus}/events/{eventId}}: emits a fresh copy of an event
 * from the bus's history whose handlers failed on that bus: a new id, no results, the
 * same payload and settings, as a new root event (no parent, empty path);</li>
 * <li>{@code POST /actuator/bubus/{section}/{id}}: the write operation of a
 * {@link BubusEndpointSection}; with the publication log on, {@code POST
 * /actuator/bubus/publications/{eventId}} resubmits a publication to the handlers that
 * did not complete it, keeping its id.</li>
 * </ul>
 * It also serves {@code GET /actuator/bubus/{section}}, the sections' views. An unknown
 * bus or event gives 404; re-emitting an event without a failed handler on that bus gives
 * 409.
 *
 * @author bubus-java
 * @since 0.1.0
 */
@EndpointWebExtension(endpoint = BubusEndpoint.class)
public class BubusEndpointWebExtension {

	private static final Set<String> NOT_COPIED = Set.of("event_path", "event_parent_id", "event_emitted_by_handler_id",
			"event_results");

	private static final MimeType TEXT_PLAIN = MimeType.valueOf("text/plain;charset=UTF-8");

	private final BubusEndpoint endpoint;

	/**
	 * Creates the extension.
	 * @param endpoint the endpoint whose buses it changes
	 */
	public BubusEndpointWebExtension(BubusEndpoint endpoint) {
		this.endpoint = endpoint;
	}

	/**
	 * Removes the completed events from a bus's history.
	 * @param bus bean or bus name
	 * @param part {@code history}
	 * @return how many events were removed and how many are left; 404 for an unknown bus
	 * or part
	 */
	@DeleteOperation
	public WebEndpointResponse<Map<String, Object>> clearHistory(@Selector String bus, @Selector String part) {
		EventBus target = this.endpoint.findBus(bus);
		if (target == null || !"history".equals(part)) {
			return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
		}
		int cleared = target.clearHistory();
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("bus", target.name());
		body.put("cleared", cleared);
		body.put("history_size", target.eventHistory().size());
		return new WebEndpointResponse<>(body);
	}

	/**
	 * {@code GET /actuator/bubus/{bus}/events/{eventId}} (the event as JSON, as
	 * {@link BubusEndpoint#event}) and {@code GET /actuator/bubus/{bus}/tree/{eventId}}
	 * (the tree of that event as {@code text/plain}): one operation, since both paths
	 * have three segments.
	 * @param bus bean or bus name
	 * @param part {@code events} or {@code tree}
	 * @param eventId the event id
	 * @param schemas whether the event JSON carries {@code event_result_type} schemas
	 * @param securityContext the caller, for {@code WHEN_AUTHORIZED}
	 * @return the event or its tree, 404 when unknown
	 */
	@ReadOperation
	public WebEndpointResponse<Object> eventOrTree(@Selector String bus, @Selector String part,
			@Selector String eventId, @Nullable Boolean schemas, SecurityContext securityContext) {
		if ("tree".equals(part)) {
			String tree = this.endpoint.eventTree(bus, eventId, securityContext);
			return (tree != null) ? new WebEndpointResponse<>(tree, WebEndpointResponse.STATUS_OK, TEXT_PLAIN)
					: new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
		}
		Map<String, Object> event = this.endpoint.event(bus, part, eventId, schemas, securityContext);
		return (event != null) ? new WebEndpointResponse<>(event)
				: new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
	}

	/**
	 * Emits a fresh copy of a failed event on the bus it failed on.
	 * @param bus bean or bus name
	 * @param events {@code events}
	 * @param eventId id of the failed event
	 * @return the new event's id and status; 404 for an unknown bus or event, 409 for an
	 * event without a failed handler on the bus
	 */
	@WriteOperation
	@SuppressWarnings({ "unchecked", "rawtypes" })
	public WebEndpointResponse<Map<String, Object>> reemit(@Selector String bus, @Selector String events,
			@Selector String eventId) {
		EventBus target = this.endpoint.findBus(bus);
		BaseEvent<?> event = (target != null && "events".equals(events)) ? find(target, eventId) : null;
		if (target == null || event == null) {
			return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
		}
		boolean failedHere = event.eventResults()
			.values()
			.stream()
			.anyMatch((result) -> result.error() != null && result.eventbusId().equals(target.id()));
		if (!failedHere) {
			return new WebEndpointResponse<>(Map.of("error", event.eventType() + " " + eventId
					+ " has no failed handler on " + target.name() + "; only failed events are re-emitted"), 409);
		}
		Map<String, Object> json = BubusJson.MAPPER.readValue(event.reset().toJson(), LinkedHashMap.class);
		json.keySet().removeAll(NOT_COPIED);
		BaseEvent<?> copy = BaseEvent.fromJson(BubusJson.MAPPER.writeValueAsString(json), (Class) event.getClass());
		target.emit(copy);
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("bus", target.name());
		body.put("event_id", copy.eventId());
		body.put("event_type", copy.eventType());
		body.put("reemitted_from", eventId);
		return new WebEndpointResponse<>(body);
	}

	/**
	 * {@code GET /actuator/bubus/{bus}} (the bus view, as {@link BubusEndpoint#bus}) and
	 * {@code GET /actuator/bubus/{section}}, the view of a {@link BubusEndpointSection}
	 * such as {@code publications} (which hides a bus of the same name).
	 * @param bus bean or bus name, or a section's name
	 * @param limit the most history events or section entries
	 * @param schemas whether events of the bus view carry their {@code event_result_type}
	 * schema
	 * @param status which entries of a section ({@code publications}: incomplete, failed,
	 * stale, completed)
	 * @param type the event type of a section's entries
	 * @param securityContext the caller, for {@code WHEN_AUTHORIZED}
	 * @return the view; 404 for an unknown bus
	 */
	@ReadOperation
	public WebEndpointResponse<Object> busOrSection(@Selector String bus, @Nullable Integer limit,
			@Nullable Boolean schemas, @Nullable String status, @Nullable String type,
			SecurityContext securityContext) {
		BubusEndpointSection section = this.endpoint.section(bus);
		if (section != null) {
			Map<String, String> parameters = new LinkedHashMap<>();
			if (limit != null) {
				parameters.put("limit", limit.toString());
			}
			if (status != null) {
				parameters.put("status", status);
			}
			if (type != null) {
				parameters.put("type", type);
			}
			return response(section.read(parameters, this.endpoint.masker(securityContext)));
		}
		Map<String, Object> view = this.endpoint.bus(bus, limit, schemas, securityContext);
		return (view != null) ? new WebEndpointResponse<>(view)
				: new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
	}

	/**
	 * {@code POST /actuator/bubus/{section}/{id}}: the write operation of a
	 * {@link BubusEndpointSection}; for {@code publications} it resubmits a publication
	 * to the handlers that did not complete it, with its event id.
	 * @param section the section's name
	 * @param id the entry (an event id)
	 * @return the section's response; 404 for an unknown section
	 */
	@WriteOperation
	public WebEndpointResponse<Object> sectionWrite(@Selector String section, @Selector String id) {
		BubusEndpointSection target = this.endpoint.section(section);
		if (target == null) {
			return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
		}
		return response(target.write(id));
	}

	private static WebEndpointResponse<Object> response(BubusEndpointSection.Response response) {
		return new WebEndpointResponse<>(response.body(), response.status());
	}

	private static @Nullable BaseEvent<?> find(EventBus bus, String eventId) {
		for (BaseEvent<?> event : bus.eventHistory()) {
			if (event.eventId().equals(eventId)) {
				return event;
			}
		}
		return null;
	}

}
