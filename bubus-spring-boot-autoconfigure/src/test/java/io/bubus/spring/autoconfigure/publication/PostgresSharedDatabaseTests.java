package io.bubus.spring.autoconfigure.publication;

import java.nio.file.Path;

import org.junit.jupiter.api.Tag;

/** Two instances sharing the local PostgreSQL, in a schema of their own. */
@Tag("services")
class PostgresSharedDatabaseTests extends SharedDatabaseTests {

	@Override
	PublicationDatabase openDatabase(Path dir) {
		return PublicationDatabase.postgres();
	}

}
