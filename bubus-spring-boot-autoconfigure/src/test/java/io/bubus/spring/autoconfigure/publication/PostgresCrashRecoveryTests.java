package io.bubus.spring.autoconfigure.publication;

import java.nio.file.Path;

import org.junit.jupiter.api.Tag;

/** Crash recovery on the local PostgreSQL, in a schema of its own. */
@Tag("services")
class PostgresCrashRecoveryTests extends CrashRecoveryTests {

	@Override
	PublicationDatabase openDatabase(Path dir) {
		return PublicationDatabase.postgres();
	}

}
