package io.bubus.spring.autoconfigure.publication;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import io.bubus.json.BubusJson;
import io.bubus.spring.autoconfigure.BubusEndpointSection;
import io.bubus.spring.autoconfigure.publication.EventPublications.Counts;
import io.bubus.spring.autoconfigure.publication.EventPublications.Selection;
import org.jspecify.annotations.Nullable;

/**
 * The publication log in the {@code bubus} actuator endpoint:
 * {@code GET /actuator/bubus/publications} lists publications of one status
 * ({@code ?status=incomplete} by default, {@code failed}, {@code stale},
 * {@code completed}), of one event type ({@code ?type=}), at most {@code ?limit=} (100 by
 * default, 1000 at most), with their handler rows; payload fields, results and error
 * messages go through the endpoint's masking (the error type stays readable). {@code POST
 * /actuator/bubus/publications/{eventId}} resubmits one.
 */
final class PublicationsEndpointSection implements BubusEndpointSection {

	private static final int DEFAULT_LIMIT = 100;

	private static final int MAX_LIMIT = 1000;

	private final EventPublications publications;

	PublicationsEndpointSection(EventPublications publications) {
		this.publications = publications;
	}

	@Override
	public String name() {
		return "publications";
	}

	@Override
	public Map<String, Object> summary() {
		return counts(this.publications.counts());
	}

	@Override
	public Response read(Map<String, String> parameters, Masker masker) {
		String status = parameters.get("status");
		Selection selection = selection(status);
		if (selection == null) {
			return Response.error(400,
					"Unknown publication status '" + status + "'; use one of "
							+ Arrays.stream(Selection.values())
								.map((value) -> value.name().toLowerCase(Locale.ROOT))
								.collect(Collectors.joining(", ")));
		}
		int limit;
		try {
			limit = parameters.containsKey("limit") ? Integer.parseInt(parameters.get("limit").strip()) : DEFAULT_LIMIT;
		}
		catch (NumberFormatException ex) {
			return Response.error(400, "limit must be a whole number");
		}
		limit = Math.clamp(limit, 0, MAX_LIMIT);
		String type = parameters.get("type");
		String eventType = (type != null && !type.isBlank()) ? type.strip() : null;
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("counts", summary());
		view.put("status", selection.name().toLowerCase(Locale.ROOT));
		view.put("event_type", eventType);
		view.put("limit", limit);
		view.put("publications",
				this.publications.find(selection, eventType, limit)
					.stream()
					.map((publication) -> publication(publication, masker))
					.toList());
		return Response.ok(view);
	}

	@Override
	public Response write(String eventId) {
		EventPublication publication = this.publications.find(eventId).orElse(null);
		if (publication == null) {
			return Response.error(404, "No publication " + eventId + " in the log");
		}
		if (publication.isCompleted()) {
			return Response.error(409, publication.eventType() + " " + eventId
					+ " has completed; only incomplete publications are resubmitted");
		}
		if (!this.publications.resubmit(eventId)) {
			return Response.error(409, publication.eventType() + " " + eventId + " is being dispatched (claimed by "
					+ publication.claimedBy() + ") or completed meanwhile");
		}
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("event_id", eventId);
		body.put("event_type", publication.eventType());
		body.put("bus", publication.busName());
		body.put("resubmitted_to",
				publication.incompleteHandlers().stream().map(HandlerPublication::handlerKey).toList());
		return Response.ok(body);
	}

	private static @Nullable Selection selection(@Nullable String status) {
		if (status == null || status.isBlank()) {
			return Selection.INCOMPLETE;
		}
		for (Selection selection : Selection.values()) {
			if (selection.name().equalsIgnoreCase(status.strip())) {
				return selection;
			}
		}
		return null;
	}

	private static Map<String, Object> counts(Counts counts) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("incomplete", counts.incomplete());
		json.put("failed", counts.failed());
		json.put("stale", counts.stale());
		json.put("completed", counts.completed());
		json.put("oldest_incomplete_published_at", text(counts.oldestIncomplete()));
		return json;
	}

	private static Map<String, Object> publication(EventPublication publication, Masker masker) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("event_id", publication.eventId());
		json.put("event_type", publication.eventType());
		json.put("bus", publication.busName());
		json.put("completed", publication.isCompleted());
		json.put("published_at", text(publication.publishedAt()));
		json.put("completed_at", text(publication.completedAt()));
		json.put("next_attempt_at", text(publication.nextAttemptAt()));
		json.put("claimed_by", publication.claimedBy());
		json.put("claimed_until", text(publication.claimedUntil()));
		json.put("resubmissions", publication.resubmissions());
		json.put("payload", payload(publication.eventJson(), masker));
		json.put("handlers", publication.handlers().stream().map((handler) -> handler(handler, masker)).toList());
		return json;
	}

	private static Map<String, Object> handler(HandlerPublication handler, Masker masker) {
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("handler", handler.handlerKey());
		json.put("status", handler.status().name().toLowerCase(Locale.ROOT));
		json.put("attempts", handler.attempts());
		json.put("last_attempt_at", text(handler.lastAttemptAt()));
		json.put("completed_at", text(handler.completedAt()));
		if (handler.isCompleted()) {
			json.put("result", masker.mask("result", value(handler.resultJson())));
		}
		if (handler.errorType() != null) {
			json.put("error_type", handler.errorType());
			json.put("error_message", masker.mask("error", handler.errorMessage()));
		}
		return json;
	}

	/** The event's own fields (not its {@code event_*} metadata), masked. */
	private static Map<String, Object> payload(String eventJson, Masker masker) {
		Map<String, Object> payload = new LinkedHashMap<>();
		if (value(eventJson) instanceof Map<?, ?> fields) {
			fields.forEach((key, value) -> {
				if (key instanceof String name && !name.startsWith("event_")) {
					payload.put(name, masker.mask(name, value));
				}
			});
		}
		return payload;
	}

	/** A JSON text as the value it holds; the text itself when it does not parse. */
	private static @Nullable Object value(@Nullable String json) {
		if (json == null) {
			return null;
		}
		try {
			return BubusJson.MAPPER.readValue(json, Object.class);
		}
		catch (RuntimeException ex) {
			return json;
		}
	}

	private static @Nullable String text(@Nullable Instant instant) {
		return (instant != null) ? instant.toString() : null;
	}

}
