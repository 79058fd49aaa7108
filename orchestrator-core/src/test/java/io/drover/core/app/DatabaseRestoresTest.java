package io.drover.core.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.core.catalog.VerificationRecord;
import io.drover.core.config.ConfigLoader;
import io.drover.core.config.DroverConfig;
import io.drover.core.connector.ConnectorRegistry;
import io.drover.core.model.BackupId;
import io.drover.core.model.VerificationLevel;
import io.drover.core.repository.BackupProgress;
import io.drover.core.spi.Default;
import io.drover.core.spi.FakeDatabaseSource;
import io.drover.core.spi.LoadableSource;
import io.drover.core.spi.SourceSnapshot;
import io.drover.core.testing.InMemoryStorageTarget;
import io.drover.core.testing.TestConnectors;
import io.drover.core.verify.VerificationReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restore tests and loads of database backups through core, with the in-memory fake database:
 * checks and canary recorded per recovery point, failures named, work directories removed.
 */
class DatabaseRestoresTest {
    static final FakeDatabaseSource.Server SERVER = new FakeDatabaseSource.Server();

    /** Config of the fake {@code fakedb} source. */
    record FakeDbConfig(String database, @Default("false") boolean canary, @Default("true") boolean loadable) {
    }

    /** A source whose backups cannot be loaded into a named database but can be restore-tested (like a physical one). */
    record RestoreTestOnly(FakeDatabaseSource fake) implements LoadableSource {
        @Override
        public java.util.Set<io.drover.core.spi.SourceCapability> capabilities() {
            return fake.capabilities();
        }

        @Override
        public String describe() {
            return fake.describe();
        }

        @Override
        public SourceSnapshot read(io.drover.core.spi.SourceReadContext context, io.drover.core.spi.EntrySink sink)
                throws java.io.IOException {
            return fake.read(context, sink);
        }

        @Override
        public String loadInto(Path files, String database, boolean replace) throws java.io.IOException {
            return fake.loadInto(files, database, replace);
        }

        @Override
        public boolean canLoad(Map<String, String> position) {
            return false;
        }

        @Override
        public boolean canRestoreTest(Map<String, String> position) {
            return true;
        }

        @Override
        public io.drover.core.spi.ScratchDatabase openScratch(io.drover.core.spi.ScratchContext context)
                throws java.io.IOException {
            return fake.openScratch(context);
        }
    }

    private static final ConnectorRegistry REGISTRY = new ConnectorRegistry(
            List.of(TestConnectors.target("mem", TestConnectors.Named.class, c -> new InMemoryStorageTarget())),
            List.of(TestConnectors.source("fakedb", FakeDbConfig.class,
                    c -> c.loadable() ? new FakeDatabaseSource(SERVER, c.database(), c.canary())
                            : new RestoreTestOnly(new FakeDatabaseSource(SERVER, c.database(), c.canary())))));

    @TempDir
    Path dir;

    private DroverRuntime runtime(String checks) throws Exception {
        SERVER.drop("shop");
        FakeDatabaseSource.FakeDatabase shop = SERVER.create("shop");
        shop.tables.put("accounts", 100L);
        Path file = dir.resolve("drover.yaml");
        Files.writeString(file, """
                state-dir: %1$s/state
                encryption: { insecure-no-encryption: true }
                targets:
                  mem: { type: mem, name: one }
                sources:
                  shop: { type: fakedb, database: shop, canary: true }
                  scratch-server: { type: fakedb, database: postgres }
                  files: { type: fakedb, database: shop }
                  shop-files: { type: fakedb, database: shop, canary: true, loadable: false }
                jobs:
                  shop-db: { source: shop, targets: [mem], verify: { restore: { checks: %2$s, verify-server: scratch-server } } }
                  shop-physical: { source: shop-files, targets: [mem], verify: { restore: { checks: %2$s } } }
                """.formatted(dir, checks));
        Map<String, String> env = Map.of();
        DroverConfig config = new ConfigLoader(REGISTRY,
                env::get).load(file);
        DroverRuntime runtime = new DroverRuntime(config, REGISTRY, Clock.systemUTC(), env::get);
        new InitService(runtime).initialize(List.of("mem"), "test");
        return runtime;
    }

    @Test
    void aRestoreTestLoadsTheBackupRunsTheChecksAndTheCanaryAndRecordsThem() throws Exception {
        try (DroverRuntime runtime = runtime("[ { table: accounts, min-rows: 100 }, { sql: \"select count(*) from accounts\", expect: \"100\" } ]")) {
            BackupId id = new BackupService(runtime).run("shop-db", BackupProgress.NONE, "test").manifest().id();
            Instant canary = Instant.parse(runtime.repository("mem").manifest(id).position().get(SourceSnapshot.CANARY_AT));

            VerificationReport report = new VerifyService(runtime).verify("mem", id, VerificationLevel.RESTORE);

            assertThat(report.findings()).isEmpty();
            var test = report.restoreTest().orElseThrow();
            assertThat(test.scratch()).startsWith("fake scratch database drover_verify_");
            assertThat(test.checks()).extracting(c -> c.check() + " " + c.passed()).containsExactly(
                    "table accounts has at least 100 rows true", "sql: select count(*) from accounts = 100 true",
                    "canary true");
            assertThat(test.provenAt()).contains(canary);
            // Loaded on the verify server, dropped afterwards; the work directory is gone too.
            assertThat(SERVER.databases().keySet()).noneMatch(name -> name.startsWith("drover_verify_"));
            assertThat(dir.resolve("state/tmp")).isEmptyDirectory();

            VerificationRecord stored = runtime.catalog().verifications(id).getLast();
            assertThat(stored.outcome()).isEqualTo(VerificationRecord.Outcome.PASSED);
            assertThat(stored.restoreTest().orElseThrow().checks()).hasSize(3).allMatch(c -> c.passed());
            assertThat(stored.restoreTest().orElseThrow().provenAt()).contains(canary);
            assertThat(stored.restoreTest().orElseThrow().restoreDuration()).isPositive();
        }
    }

    @Test
    void aFailedCheckFailsTheRestoreTestAndNamesItself() throws Exception {
        try (DroverRuntime runtime = runtime("[ { table: accounts, min-rows: 1000 } ]")) {
            BackupId id = new BackupService(runtime).run("shop-db", BackupProgress.NONE, "test").manifest().id();

            VerificationReport report = new VerifyService(runtime).verify("mem", id, VerificationLevel.RESTORE);

            assertThat(report.passed()).isFalse();
            assertThat(report.findings()).containsExactly(
                    "check failed: table accounts has at least 1000 rows: only 100 rows");
            VerificationRecord stored = runtime.catalog().verifications(id).getLast();
            assertThat(stored.outcome()).isEqualTo(VerificationRecord.Outcome.FAILED);
            assertThat(stored.restoreTest().orElseThrow().checks()).extracting(c -> c.passed()).containsExactly(false, true);
        }
    }

    @Test
    void aBackupIsLoadedIntoANamedDatabase() throws Exception {
        try (DroverRuntime runtime = runtime("[]")) {
            BackupId id = new BackupService(runtime).run("shop-db", BackupProgress.NONE, "test").manifest().id();
            DatabaseRestores restores = new DatabaseRestores(runtime);
            try (var source = restores.loadableSource(runtime.repository("mem").manifest(id)).orElseThrow()) {
                String line = restores.loadInto(runtime.repository("mem"), id, source, "shop_copy", false);
                assertThat(line).contains("shop_copy");
            }
            assertThat(SERVER.databases().get("shop_copy").tables).containsEntry("accounts", 100L);
            assertThat(dir.resolve("state/tmp")).isEmptyDirectory();
        } finally {
            SERVER.drop("shop_copy");
        }
    }

    @Test
    void aBackupThatCannotBeLoadedIntoADatabaseIsStillRestoreTestedButNotLoaded() throws Exception {
        try (DroverRuntime runtime = runtime("[ { table: accounts, min-rows: 100 } ]")) {
            BackupId id = new BackupService(runtime).run("shop-physical", BackupProgress.NONE, "test").manifest().id();
            DatabaseRestores restores = new DatabaseRestores(runtime);
            var manifest = runtime.repository("mem").manifest(id);
            assertThat(restores.loadableSource(manifest)).isEmpty();

            VerificationReport report = new VerifyService(runtime).verify("mem", id, VerificationLevel.RESTORE);

            assertThat(report.findings()).isEmpty();
            assertThat(report.restoreTest().orElseThrow().checks()).extracting(c -> c.check() + " " + c.passed())
                    .containsExactly("table accounts has at least 100 rows true", "canary true");
            assertThatThrownBy(() -> new RestoreService(runtime).loadIntoDatabase(id, java.util.Optional.empty(),
                    "shop_copy", java.util.Optional.empty(), false, "test"))
                    .hasMessageContaining("cannot be loaded into a database");
            assertThat(SERVER.databases()).doesNotContainKey("shop_copy");
        }
    }
}
