package io.bubus.spring.autoconfigure;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

class ArchitectureTests {

	private static final JavaClasses AUTOCONFIGURE = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("io.bubus.spring.autoconfigure");

	@Test
	void basePackageDoesNotDependOnOptionalIntegrations() {
		noClasses().that()
			.resideInAPackage("io.bubus.spring.autoconfigure")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.bubus.spring.autoconfigure.(*)..", "org.springframework.boot.actuate..",
					"org.springframework.boot.health..", "io.micrometer.observation..", "io.micrometer.core..",
					"org.springframework.web..")
			.check(AUTOCONFIGURE);
	}

	@Test
	void integrationPackagesDoNotDependOnEachOther() {
		slices().matching("io.bubus.spring.autoconfigure.(*)..").should().notDependOnEachOther().check(AUTOCONFIGURE);
	}

	@Test
	void onlyThePublicApiOfTheCoreIsUsed() {
		noClasses().should()
			.dependOnClassesThat()
			.resideInAPackage("io.bubus.internal..")
			.because("the core's internals may change")
			.check(AUTOCONFIGURE);
	}

}
