package io.streamify.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The packages by concern form a graph without cycles: each can be read, tested and changed with
 * only what it depends on (io.streamify.events and .lake below the pipelines, the pipelines below
 * the tools that run them). Checked on the compiled classes of the pipelines module and the
 * generator it uses, tests left out.
 */
class PackageGraphTest {
  static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.streamify");

  @Test
  void packagesHaveNoCycles() {
    slices().matching("io.streamify.(*)..").should().beFreeOfCycles().check(CLASSES);
  }

  /**
   * The hourly model's layers (staging, facts, summaries, dimensions, checks, grouping) form a
   * graph without cycles, and none uses the pipeline that wires them (io.streamify.hourly itself).
   */
  @Test
  void theHourlyLayersHaveNoCyclesAndDoNotUseTheirWiring() {
    slices().matching("io.streamify.hourly.(*)..").should().beFreeOfCycles().check(CLASSES);
    noClasses()
        .that()
        .resideInAPackage("io.streamify.hourly.*..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.streamify.hourly")
        .check(CLASSES);
  }
}
