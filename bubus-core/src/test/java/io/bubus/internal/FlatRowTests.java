package io.bubus.internal;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FlatRowTests {

	@Test
	void aBatchIsOneStatementUnlessColumnsChangeAnIdRepeatsOrItHasTooManyValues() {
		Map<String, @Nullable String> a = row("\"a\"", "event_type");
		Map<String, @Nullable String> b = row("\"b\"", "event_type");
		Map<String, @Nullable String> c = row("\"c\"", "event_parent_id");
		Map<String, @Nullable String> d = row("\"d\"", "event_parent_id");
		assertThat(FlatRow.statements(List.of(a, b), 100)).containsExactly(List.of(a, b));
		assertThat(FlatRow.statements(List.of(a, b, c, d), 100)).containsExactly(List.of(a, b), List.of(c, d));
		assertThat(FlatRow.statements(List.of(a, b, a), 100)).containsExactly(List.of(a, b), List.of(a));
		// three values per row
		assertThat(FlatRow.statements(List.of(a, b, a), 5)).containsExactly(List.of(a), List.of(b), List.of(a));
	}

	@Test
	void aMultiRowUpsertHasOneTuplePerRow() {
		assertThat(FlatRow.upsertSql("t", List.of("event_id", "event_payload"), "json(?)", 2))
			.isEqualTo("INSERT INTO \"t\" (\"event_id\", \"event_payload\") VALUES (?, json(?)), (?, json(?)) "
					+ "ON CONFLICT (\"event_id\") DO UPDATE SET \"event_payload\" = EXCLUDED.\"event_payload\"");
	}

	private static Map<String, @Nullable String> row(String id, String column) {
		Map<String, @Nullable String> row = new TreeMap<>();
		row.put(FlatRow.ID, id);
		row.put(column, "\"x\"");
		row.put(FlatRow.PAYLOAD, "{}");
		return row;
	}

}
