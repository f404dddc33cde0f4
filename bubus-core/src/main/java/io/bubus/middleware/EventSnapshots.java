package io.bubus.middleware;

import io.bubus.BaseEvent;
import io.bubus.json.BubusJson;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The bubus JSON of an event or a result row at the moment a hook runs. */
final class EventSnapshots {

	private EventSnapshots() {
	}

	/** The event's JSON, with its {@code event_results}. */
	static ObjectNode tree(BaseEvent<?> event) {
		return (ObjectNode) BubusJson.MAPPER.readTree(event.toJson());
	}

	/** The event's JSON without {@code event_results}, as one line. */
	static String withoutResults(BaseEvent<?> event) {
		ObjectNode tree = tree(event);
		tree.remove("event_results");
		return BubusJson.MAPPER.writeValueAsString(tree);
	}

	/** One row of {@code event_results} by its id, or {@code null}. */
	static @Nullable JsonNode result(ObjectNode tree, String resultId) {
		JsonNode results = tree.get("event_results");
		if (results == null || !results.isArray()) {
			return null;
		}
		for (JsonNode row : results) {
			JsonNode id = row.get("id");
			if (id != null && resultId.equals(id.asString())) {
				return row;
			}
		}
		return null;
	}

}
