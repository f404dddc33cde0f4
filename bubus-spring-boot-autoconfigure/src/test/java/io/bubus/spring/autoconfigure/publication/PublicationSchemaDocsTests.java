package io.bubus.spring.autoconfigure.publication;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The DDL that docs/publications.md gives teams who manage the schema themselves is the
 * one the starter applies on PostgreSQL.
 */
class PublicationSchemaDocsTests {

	@Test
	void theDocumentedSchemaIsTheOneTheStarterApplies() throws IOException {
		String docs = Files.readString(Path.of("../docs/publications.md"));
		int start = docs.indexOf("```sql\n");
		assertThat(start).as("an sql block in publications.md").isNotNegative();
		String documented = docs.substring(start + "```sql\n".length(), docs.indexOf("```", start + 1));
		String shipped;
		try (InputStream in = PublicationSchemaDocsTests.class.getResourceAsStream("schema-postgresql.sql")) {
			assertThat(in).as("schema-postgresql.sql next to the publication classes").isNotNull();
			shipped = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		assertThat(statements(documented)).isEqualTo(statements(shipped));
	}

	/** The SQL without comments, with runs of white space as one space. */
	private static String statements(String sql) {
		return sql.replaceAll("--[^\\n]*", "").replaceAll("\\s+", " ").strip();
	}

}
