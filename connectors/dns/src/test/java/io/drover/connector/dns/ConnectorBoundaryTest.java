package io.drover.connector.dns;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Connectors see only core's SPI and model (core must stay free to change everything else) and
 * the shared connector support ({@code io.drover.connector.support}), never another connector.
 */
class ConnectorBoundaryTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importConnector() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.drover.connector.dns");
    }

    @Test
    void connectorUsesOnlyTheSpiAndTheModelOfCore() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.drover.core.app..", "io.drover.core.repository..",
                        "io.drover.core.config..", "io.drover.core.catalog..", "io.drover.core.crypto..", "io.drover.core.restore..",
                        "io.drover.core.verify..", "io.drover.core.error..", "io.drover.core.connector..")
                .check(classes);
    }

    @Test
    void connectorUsesNoOtherConnectorButTheSupport() {
        noClasses().should().dependOnClassesThat(resideInAPackage("io.drover.connector..").and(not(resideInAnyPackage(
                        "io.drover.connector.dns..", "io.drover.connector.support.."))))
                .check(classes);
    }
}
