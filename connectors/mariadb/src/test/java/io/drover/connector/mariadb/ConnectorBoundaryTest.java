package io.drover.connector.mariadb;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Connectors see only core's SPI and model: core must stay free to change everything else. */
class ConnectorBoundaryTest {
    @Test
    void connectorUsesOnlyTheSpiAndTheModel() {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.drover.connector.mariadb");
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.drover.core.app..", "io.drover.core.repository..",
                        "io.drover.core.config..", "io.drover.core.catalog..", "io.drover.core.crypto..", "io.drover.core.restore..",
                        "io.drover.core.verify..", "io.drover.core.error..", "io.drover.core.connector..")
                .check(classes);
    }
}
