package io.bubus.interop;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.bubus.json.BubusJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The payloads the cases send, and the payload part of received event JSON. */
final class Payloads {

	/** The largest integer a JavaScript number holds exactly (2^53 - 1). */
	static final long MAX_SAFE_INTEGER = 9_007_199_254_740_991L;

	private Payloads() {
	}

	/**
	 * The parent's payload: unicode (accents, CJK, emoji, a quote and a newline), a big
	 * integer (the largest long; for bubus-ts, whose numbers are doubles, 2^53 - 1),
	 * floats, a boolean, nested maps and lists with nulls, and null.
	 */
	static InteropParentEvent parent(Peer peer) {
		InteropParentEvent event = new InteropParentEvent();
		event.text = "héllo wörld ✓ 日本語 🎉 \"quoted\"\nsecond line";
		event.big = (peer == Peer.TS) ? MAX_SAFE_INTEGER : Long.MAX_VALUE;
		event.ratio = 0.1;
		event.tiny = -2.5e-8;
		event.flag = true;
		Map<String, Object> inner = new LinkedHashMap<>();
		inner.put("list", Arrays.asList(1, "two", 3.5, null, false));
		inner.put("empty", Map.of());
		inner.put("none", null);
		Map<String, Object> nested = new LinkedHashMap<>();
		nested.put("ü", "ß");
		nested.put("inner", inner);
		event.nested = nested;
		List<Object> items = new ArrayList<>(Arrays.asList(1, "zwei", 3.25, null, true));
		items.add(Map.of("k", "v"));
		items.add(List.of());
		event.items = items;
		event.nothing = null;
		return event;
	}

	/** The same payload as a JSON object, for a peer that sends it. */
	static ObjectNode parentJson(Peer peer) {
		return payload(BubusJson.MAPPER.readTree(parent(peer).toJson()));
	}

	static InteropChildEvent child() {
		InteropChildEvent event = new InteropChildEvent();
		event.step = "子 child";
		event.count = 42;
		return event;
	}

	static ObjectNode childJson() {
		return payload(BubusJson.MAPPER.readTree(child().toJson()));
	}

	/** The payload fields of event JSON: everything but {@code event_*}. */
	static ObjectNode payload(JsonNode event) {
		ObjectNode payload = BubusJson.MAPPER.createObjectNode();
		for (Map.Entry<String, JsonNode> field : event.properties()) {
			if (!field.getKey().startsWith("event_")) {
				payload.set(field.getKey(), field.getValue());
			}
		}
		return payload;
	}

}
