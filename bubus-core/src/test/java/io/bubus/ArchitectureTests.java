package io.bubus;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

class ArchitectureTests {

	private static final JavaClasses CORE = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("io.bubus");

	@Test
	void internalAndJsonPackagesDoNotDependOnTheApiPackage() {
		noClasses().that()
			.resideInAnyPackage("io.bubus.internal..", "io.bubus.json..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("io.bubus")
			.check(CORE);
	}

	@Test
	void subpackagesAreFreeOfCycles() {
		slices().matching("io.bubus.(*)..").should().beFreeOfCycles().check(CORE);
	}

}
