package io.bubus.spring.autoconfigure.publication;

import java.nio.file.Path;

import org.junit.jupiter.api.Tag;

/** The publication log contract on the local PostgreSQL, in a schema of its own. */
@Tag("services")
class PostgresPublicationLogTests extends PublicationLogContractTests {

	@Override
	PublicationDatabase openDatabase(Path dir) {
		return PublicationDatabase.postgres();
	}

}
