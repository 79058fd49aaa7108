package io.drover.connector.support;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Every connector may use this module, so it uses nothing of drover but core's SPI and model. */
class SupportBoundaryTest {
    @Test
    void supportUsesOnlyTheSpiAndTheModel() {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.drover.connector.support");
        noClasses().should().dependOnClassesThat(resideInAPackage("io.drover..").and(not(resideInAnyPackage(
                        "io.drover.connector.support..", "io.drover.core.spi..", "io.drover.core.model.."))))
                .check(classes);
    }
}
