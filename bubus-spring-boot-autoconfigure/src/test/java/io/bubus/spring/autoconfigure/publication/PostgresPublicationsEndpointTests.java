package io.bubus.spring.autoconfigure.publication;

import java.nio.file.Path;

import org.junit.jupiter.api.Tag;

/** The publication view and meters on the local PostgreSQL, in a schema of its own. */
@Tag("services")
class PostgresPublicationsEndpointTests extends PublicationsEndpointTests {

	@Override
	PublicationDatabase openDatabase(Path dir) {
		return PublicationDatabase.postgres();
	}

}
