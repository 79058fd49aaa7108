package io.drover.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.core.config.CatalogConfig;
import io.drover.core.error.DroverErrors;
import io.drover.core.error.DroverException;
import io.drover.core.model.Secret;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings, URL redaction and connection failures; needs no database server. */
class CatalogSettingsTest {
    @TempDir
    Path stateDir;

    @Test
    void defaultsToEmbeddedH2InPostgresMode() {
        CatalogSettings settings = CatalogSettings.of(Optional.empty(), stateDir);
        assertThat(settings.isEmbedded()).isTrue();
        assertThat(settings.url()).isEqualTo("jdbc:h2:file:" + stateDir.toAbsolutePath().resolve("catalog/drover")
                + ";AUTO_SERVER=TRUE;AUTO_RECONNECT=TRUE;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE"
                + ";DEFAULT_NULL_ORDERING=HIGH");
    }

    @Test
    void refusesStateDirectoriesThatWouldBreakTheH2Url() {
        assertThatThrownBy(() -> CatalogSettings.embedded(stateDir.resolve("a;b")).url())
                .isInstanceOfSatisfying(DroverException.class,
                        e -> assertThat(e.code()).isEqualTo(DroverErrors.CONFIG_INVALID));
    }

    @Test
    void takesUrlAndCredentialsFromConfig() {
        Secret password = Secret.of("s3cret", "${env:PGPASSWORD}");
        CatalogSettings settings = CatalogSettings.of(Optional.of(new CatalogConfig(
                Optional.of("jdbc:postgresql://db/drover"), Optional.of("drover"), Optional.of(password), false)),
                stateDir);
        assertThat(settings.url()).isEqualTo("jdbc:postgresql://db/drover");
        assertThat(settings.user()).contains("drover");
        assertThat(settings.toString()).doesNotContain("s3cret");
    }

    @Test
    void redactsPasswordsInUrls() {
        assertThat(Redaction.url("jdbc:postgresql://h/db?user=a&password=hunter2&ssl=true"))
                .isEqualTo("jdbc:postgresql://h/db?user=a&password=***&ssl=true");
        assertThat(Redaction.url("jdbc:h2:file:/x;USER=a;PASSWORD=hunter2;MODE=PostgreSQL"))
                .isEqualTo("jdbc:h2:file:/x;USER=a;PASSWORD=***;MODE=PostgreSQL");
        assertThat(Redaction.url("jdbc:postgresql://a:hunter2@h/db")).isEqualTo("jdbc:postgresql://a:***@h/db");
        assertThat(Redaction.url("jdbc:postgresql://h:5432/db")).isEqualTo("jdbc:postgresql://h:5432/db");
    }

    @Test
    void unreachablePostgresFailsWithCatalogFailedAndNoPassword() {
        CatalogSettings settings = new CatalogSettings(
                Optional.of("jdbc:postgresql://127.0.0.1:1/drover?user=drover&password=hunter2&connectTimeout=2"),
                Optional.of("drover"), Optional.of(Secret.of("s3cret", "${env:PGPASSWORD}")), stateDir);
        assertThatThrownBy(() -> Catalog.open(settings)).isInstanceOfSatisfying(DroverException.class, e -> {
            assertThat(e.code()).isEqualTo(DroverErrors.CATALOG_FAILED);
            assertThat(e.getMessage()).contains("jdbc:postgresql://127.0.0.1:1/drover?user=drover&password=***");
            assertThat(e.hint()).contains("running and reachable");
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            assertThat(trace.toString()).doesNotContain("hunter2").doesNotContain("s3cret");
        });
    }

    @Test
    void unknownDriverFailsWithCatalogFailedAndNoPassword() {
        CatalogSettings settings = new CatalogSettings(Optional.of("jdbc:nosuchdb://h/db;password=hunter2"),
                Optional.empty(), Optional.empty(), stateDir);
        assertThatThrownBy(() -> Catalog.open(settings)).isInstanceOfSatisfying(DroverException.class, e -> {
            assertThat(e.code()).isEqualTo(DroverErrors.CATALOG_FAILED);
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            assertThat(trace.toString()).doesNotContain("hunter2");
        });
    }
}
