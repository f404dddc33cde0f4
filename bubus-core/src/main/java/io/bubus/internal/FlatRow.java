package io.bubus.internal;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.bubus.json.BubusJson;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The flat table row shared by the SQLite and Postgres bridges (the same in Python and
 * TypeScript bubus): one column per {@code event_*} field holding that field's JSON
 * encoding (so an id is stored as {@code "0190…"} with its quotes, and JSON null as SQL
 * NULL), plus {@code event_payload} with the whole event JSON. Payload fields never
 * become columns.
 */
public final class FlatRow {

	/** The column holding the whole event JSON. */
	public static final String PAYLOAD = "event_payload";

	/** The primary key column. */
	public static final String ID = "event_id";

	private FlatRow() {
	}

	/** Column name to JSON-encoded value (null for JSON null), sorted by name. */
	public static Map<String, @Nullable String> columns(String eventJson) {
		JsonNode event = BubusJson.MAPPER.readTree(eventJson);
		Map<String, @Nullable String> row = new TreeMap<>();
		for (Map.Entry<String, JsonNode> field : event.properties()) {
			String key = field.getKey();
			if (!key.startsWith("event_") || key.equals(PAYLOAD)) {
				continue;
			}
			BridgeNames.identifier("event field name for bridge column", key);
			JsonNode value = field.getValue();
			row.put(key, value.isNull() ? null : BubusJson.MAPPER.writeValueAsString(value));
		}
		row.put(PAYLOAD, eventJson);
		return row;
	}

	/** The {@code event_*} columns of the current result set row, as stored. */
	public static Map<String, @Nullable String> read(ResultSet rows) throws SQLException {
		ResultSetMetaData meta = rows.getMetaData();
		Map<String, @Nullable String> row = new TreeMap<>();
		for (int i = 1; i <= meta.getColumnCount(); i++) {
			String column = meta.getColumnLabel(i);
			if (column.startsWith("event_")) {
				row.put(column, rows.getString(i));
			}
		}
		return row;
	}

	/**
	 * The event JSON of a stored row: {@code event_payload} with every non-NULL
	 * {@code event_*} column laid over it, JSON-decoded (or kept as text when it is not
	 * JSON).
	 * @throws IllegalArgumentException when {@code event_payload} is set but is not a
	 * JSON object
	 */
	public static String eventJson(Map<String, @Nullable String> row) {
		ObjectNode event = BubusJson.MAPPER.createObjectNode();
		String payload = row.get(PAYLOAD);
		if (payload != null) {
			JsonNode parsed = parseOrNull(payload);
			if (!(parsed instanceof ObjectNode object)) {
				throw new IllegalArgumentException(
						"column event_payload is not a JSON object (" + payload.length() + " chars)");
			}
			event.setAll(object);
		}
		for (Map.Entry<String, @Nullable String> column : row.entrySet()) {
			String value = column.getValue();
			if (column.getKey().equals(PAYLOAD) || value == null) {
				continue;
			}
			JsonNode parsed = parseOrNull(value);
			if (parsed != null) {
				event.set(column.getKey(), parsed);
			}
			else {
				event.put(column.getKey(), value);
			}
		}
		return BubusJson.MAPPER.writeValueAsString(event);
	}

	/**
	 * {@code INSERT … ON CONFLICT ("event_id") DO UPDATE SET} every other column, with
	 * one placeholder per column ({@code payloadPlaceholder} for {@code event_payload}),
	 * for {@code rows} rows.
	 */
	public static String upsertSql(String table, List<String> names, String payloadPlaceholder, int rows) {
		StringBuilder insert = new StringBuilder();
		StringBuilder values = new StringBuilder();
		StringBuilder updates = new StringBuilder();
		for (String name : names) {
			String separator = insert.isEmpty() ? "" : ", ";
			insert.append(separator).append('"').append(name).append('"');
			values.append(separator).append(name.equals(PAYLOAD) ? payloadPlaceholder : "?");
			if (!name.equals(ID)) {
				updates.append(updates.isEmpty() ? "" : ", ")
					.append('"')
					.append(name)
					.append("\" = EXCLUDED.\"")
					.append(name)
					.append('"');
			}
		}
		String tuple = "(" + values + ")";
		return "INSERT INTO \"" + table + "\" (" + insert + ") VALUES "
				+ String.join(", ", Collections.nCopies(rows, tuple)) + " ON CONFLICT (\"event_id\") DO UPDATE SET "
				+ updates;
	}

	/**
	 * The rows, in order, cut into runs that one multi-row upsert can write: the same
	 * columns, no event id twice (an upsert cannot update a row it inserted), at most
	 * {@code maxParameters} values.
	 */
	public static List<List<Map<String, @Nullable String>>> statements(List<Map<String, @Nullable String>> rows,
			int maxParameters) {
		List<List<Map<String, @Nullable String>>> statements = new ArrayList<>();
		List<Map<String, @Nullable String>> current = new ArrayList<>();
		Set<@Nullable String> ids = new HashSet<>();
		for (Map<String, @Nullable String> row : rows) {
			boolean fits = current.isEmpty() || (current.get(0).keySet().equals(row.keySet())
					&& !ids.contains(row.get(ID)) && (current.size() + 1) * row.size() <= maxParameters);
			if (!fits) {
				statements.add(current);
				current = new ArrayList<>();
				ids.clear();
			}
			current.add(row);
			ids.add(row.get(ID));
		}
		if (!current.isEmpty()) {
			statements.add(current);
		}
		return statements;
	}

	private static @Nullable JsonNode parseOrNull(String text) {
		try {
			return BubusJson.MAPPER.readTree(text);
		}
		catch (JacksonException ex) {
			return null;
		}
	}

}
