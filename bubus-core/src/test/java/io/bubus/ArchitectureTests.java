package io.bubus;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
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

	/** The root package is a slice of its own: no subpackage it uses may use it back. */
	@Test
	void packagesIncludingTheRootAreFreeOfCycles() {
		slices().assignedFrom(TOP_LEVEL_PACKAGES).should().beFreeOfCycles().check(CORE);
	}

	private static final SliceAssignment TOP_LEVEL_PACKAGES = new SliceAssignment() {

		@Override
		public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
			String name = javaClass.getPackageName();
			if (name.equals("io.bubus")) {
				return SliceIdentifier.of("io.bubus");
			}
			if (!name.startsWith("io.bubus.")) {
				return SliceIdentifier.ignore();
			}
			int end = name.indexOf('.', "io.bubus.".length());
			return SliceIdentifier.of((end < 0) ? name : name.substring(0, end));
		}

		@Override
		public String getDescription() {
			return "io.bubus and each of its top-level subpackages";
		}

	};

}
