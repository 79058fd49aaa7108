package io.drover.core.testing;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Connectors see only core's SPI and model (core must stay free to change everything else) and
 * the shared connector support ({@code io.drover.connector.support}), never another connector.
 * Every connector module has a {@code ConnectorBoundaryTest} that extends this with its package.
 */
public abstract class ConnectorBoundaryContract {
    private final String connectorPackage;
    private JavaClasses classes;

    /** @param connectorPackage the module's package, e.g. {@code io.drover.connector.s3} */
    protected ConnectorBoundaryContract(String connectorPackage) {
        this.connectorPackage = connectorPackage;
    }

    private JavaClasses classes() {
        if (classes == null) {
            classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    .importPackages(connectorPackage);
        }
        return classes;
    }

    @Test
    void connectorUsesOnlyTheSpiAndTheModelOfCore() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.drover.core.app..", "io.drover.core.repository..",
                        "io.drover.core.config..", "io.drover.core.catalog..", "io.drover.core.crypto..", "io.drover.core.restore..",
                        "io.drover.core.verify..", "io.drover.core.error..", "io.drover.core.connector..")
                .check(classes());
    }

    @Test
    void connectorUsesNoOtherConnectorButTheSupport() {
        noClasses().should().dependOnClassesThat(resideInAPackage("io.drover.connector..").and(not(resideInAnyPackage(
                        connectorPackage + "..", "io.drover.connector.support.."))))
                .check(classes());
    }
}
