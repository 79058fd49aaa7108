package io.drover.core.catalog;

import io.drover.core.testing.TestingPostgres;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catalog contract on PostgreSQL, in a fresh database per class. Skipped without a server,
 * unless {@code -Ddrover.test.disallowSkip=true}.
 */
class CatalogPostgresTest extends CatalogContract {
    private static TestingPostgres postgres;

    @TempDir
    static Path stateDir;

    @BeforeAll
    static void createDatabase() throws Exception {
        postgres = TestingPostgres.create();
    }

    @AfterAll
    static void dropDatabase() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Override
    protected CatalogSettings settings() {
        return new CatalogSettings(java.util.Optional.of(postgres.url()), java.util.Optional.empty(), java.util.Optional.empty(), stateDir);
    }

    @Override
    protected void reset() throws Exception {
        postgres.execute("truncate recovery_point_copy, recovery_point, verification_run, backup_run, audit_event,"
                + " service_rpo_state, service_rpo_history, alert_delivery"
                + " restart identity");
    }
}
