package io.drover.connector.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.core.model.BackupId;
import io.drover.core.spi.CheckResult;
import io.drover.core.spi.ConnectorContext;
import io.drover.core.spi.EntryMeta;
import io.drover.core.spi.ScratchContext;
import io.drover.core.spi.ScratchDatabase;
import io.drover.core.spi.SourceReadContext;
import io.drover.core.spi.SourceSnapshot;
import io.drover.core.spi.ValidationCheck;
import io.drover.core.testing.TestServices;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Physical base backup, WAL archiving and point-in-time restore against a primary this test starts
 * (a temporary instance with {@code wal_level = replica}): a restore to a time between two
 * transactions holds the first and not the second, one without a target holds both. A physical
 * backup with the canary on is restore-tested in a temporary instance started on it.
 */
class PostgresPitrTest {
    private static final String DATABASE = "drover_pitr";
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final String PRIMARY_SETTINGS = """
            # drover test: a primary whose WAL is archived
            wal_level = replica
            max_wal_senders = 5
            max_replication_slots = 5
            """;

    private static Path base;
    private static TemporaryInstance primary;
    private static Path state;
    private static Path baseFiles;
    private static Path walFiles;
    private static SourceSnapshot baseSnapshot;
    private static Instant betweenAandB;
    private static List<String> secondRunSegments;
    private static List<String> thirdRunSegments;
    private static final int ITEMS = 1234;
    private static Path canaryFiles;
    private static SourceSnapshot canarySnapshot;

    @BeforeAll
    static void backUpAndArchive() throws Exception {
        ClientTools server;
        try {
            server = ClientTools.serverPrograms(Optional.empty(), 0, Duration.ofMinutes(1));
        } catch (IOException e) {
            TestServices.requireService("PostgreSQL server programs (initdb, pg_ctl)", false, "apt-get install postgresql");
            throw e;
        }
        // The postgres user must be able to pass through to restored data directories.
        base = Files.createTempDirectory("drover-pitr-", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx--x--x")));
        primary = TemporaryInstance.start(server, Files.createDirectory(base.resolve("primary")), TIMEOUT, PRIMARY_SETTINGS);
        Files.writeString(primary.dataDirectory().resolve("pg_hba.conf"),
                "\nhost replication all 127.0.0.1/32 trust\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        PostgresReplicaPair.execute(primary.url("postgres"), "select pg_reload_conf()");
        PostgresReplicaPair.execute(primary.url("postgres"), "create database " + DATABASE);
        state = base.resolve("state");
        baseFiles = base.resolve("base-files");
        walFiles = base.resolve("wal-files");

        // The WAL job runs first: its slot keeps the WAL from then on.
        walRun("wal-1");
        RecordingSink baseSink = new RecordingSink(baseFiles);
        try (PostgresSource physical = source(PostgresSourceConfig.Mode.PHYSICAL)) {
            baseSnapshot = physical.read(context("base"), baseSink);
        }
        assertThat(baseSink.paths()).containsExactly("base.tar");

        PostgresUrl db = primary.url(DATABASE);
        PostgresReplicaPair.execute(db, "create table t (name text primary key, at timestamptz default clock_timestamp())");
        PostgresReplicaPair.execute(db, "insert into t (name) values ('A')");
        PostgresReplicaPair.execute(db, "select pg_switch_wal()"); // A's segment is complete; B lands in the partial one
        betweenAandB = OffsetDateTime.parse(PostgresReplicaPair.query(db, "select to_char(clock_timestamp() at time zone"
                + " 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')") .replace("Z", "+00:00")).toInstant();
        Thread.sleep(1000);
        PostgresReplicaPair.execute(db, "insert into t (name) values ('B')");
        secondRunSegments = walRun("wal-2");
        thirdRunSegments = walRun("wal-3");

        // A physical backup with the canary on, of a database with a table of ITEMS rows.
        PostgresReplicaPair.execute(db, "create table items as select g as id, md5(g::text) as name"
                + " from generate_series(1, " + ITEMS + ") g");
        canaryFiles = base.resolve("canary-files");
        try (PostgresSource physical = source(PostgresSourceConfig.Mode.PHYSICAL, true)) {
            canarySnapshot = physical.read(context("base-canary"), new RecordingSink(canaryFiles));
        }
    }

    /** One WAL backup: entries written to walFiles (later copies replacing earlier ones), then committed. */
    private static List<String> walRun(String label) throws IOException {
        RecordingSink sink = new RecordingSink(walFiles.getParent().resolve("wal-root"));
        try (PostgresSource wal = source(PostgresSourceConfig.Mode.WAL)) {
            SourceSnapshot snapshot = wal.read(context(label), sink);
            assertThat(snapshot.position()).containsKeys("end-lsn", "slot");
            wal.committed(snapshot);
        }
        return sink.entries.stream().map(EntryMeta::path).filter(p -> p.matches("wal/[0-9A-F]{24}")).toList();
    }

    private static SourceReadContext context(String job) {
        return new SourceReadContext(BackupId.generate(Instant.now()), job, Clock.systemUTC());
    }

    private static PostgresSource source(PostgresSourceConfig.Mode mode) {
        return source(mode, false);
    }

    private static PostgresSource source(PostgresSourceConfig.Mode mode, boolean canary) {
        PostgresSourceConfig config = new PostgresSourceConfig("postgresql://postgres@127.0.0.1:" + primary.port() + "/"
                + DATABASE, Optional.empty(), mode, PostgresSourceConfig.Format.CUSTOM, 2, true, canary, "drover_canary",
                Optional.of(primary.server().bin().orElseThrow()), TIMEOUT);
        return (PostgresSource) new PostgresSourceFactory().create(config, new ConnectorContext(
                mode == PostgresSourceConfig.Mode.WAL ? "orders-wal" : "orders-base", state, Clock.systemUTC()));
    }

    @AfterAll
    static void stop() throws IOException {
        if (primary != null) {
            primary.close();
        }
        if (base != null) {
            TemporaryInstance.deleteTree(base);
        }
    }

    @Test
    void theBaseBackupRecordsWhereItStartedAndEnded() {
        assertThat(baseSnapshot.position()).containsKeys("start-lsn", "end-lsn", "timeline", "server-version",
                "system-identifier");
        assertThat(baseSnapshot.position().get("timeline")).isEqualTo("1");
        assertThat(baseSnapshot.capturedAt()).isBefore(betweenAandB);
    }

    @Test
    void onlyLogicalBackupsLoadIntoADatabase() throws Exception {
        try (PostgresSource physical = source(PostgresSourceConfig.Mode.PHYSICAL)) {
            assertThat(physical.canLoad(baseSnapshot.position())).isFalse();
            assertThat(physical.canLoad(Map.of("mode", "wal"))).isFalse();
            assertThat(physical.canLoad(Map.of("mode", "logical"))).isTrue();
            assertThat(physical.canLoad(Map.of())).as("a logical backup written before the mode was recorded").isTrue();
        }
    }

    @Test
    void logicalAndPhysicalBackupsCanBeRestoreTestedButNotWal() throws Exception {
        try (PostgresSource physical = source(PostgresSourceConfig.Mode.PHYSICAL)) {
            assertThat(physical.canRestoreTest(baseSnapshot.position())).isTrue();
            assertThat(physical.canRestoreTest(Map.of("mode", "physical"))).isTrue();
            assertThat(physical.canRestoreTest(Map.of("mode", "wal"))).isFalse();
            assertThat(physical.canRestoreTest(Map.of("mode", "logical"))).isTrue();
            assertThat(physical.canRestoreTest(Map.of())).isTrue();
            assertThatThrownBy(() -> physical.openScratch(new ScratchContext(scratchDirectory("wal"), Optional.empty(),
                    "wal", TIMEOUT, Map.of("mode", "wal")))).isInstanceOf(IOException.class)
                    .hasMessageContaining("cannot be restore-tested");
        }
    }

    @Test
    void aPhysicalBackupWithTheCanaryIsRestoreTestedInATemporaryInstance() throws Exception {
        Instant canaryAt = Instant.parse(canarySnapshot.position().get(SourceSnapshot.CANARY_AT));
        assertThat(canaryAt).isBefore(canarySnapshot.capturedAt());
        Path work = scratchDirectory("ok");
        String describe;
        List<CheckResult> results = new ArrayList<>();
        // A verify-server is not used for a physical backup: the description says so.
        try (PostgresSource physical = source(PostgresSourceConfig.Mode.PHYSICAL, true);
             PostgresSource server = source(PostgresSourceConfig.Mode.LOGICAL);
             ScratchDatabase scratch = physical.openScratch(new ScratchContext(work, Optional.of(server), "phys_ok",
                     TIMEOUT, canarySnapshot.position()))) {
            scratch.load(canaryFiles);
            describe = scratch.describe();
            for (ValidationCheck check : List.of(new ValidationCheck.MinRows("items", ITEMS),
                    new ValidationCheck.Sql("select count(*) from items where name = md5(id::text)",
                            Optional.of(String.valueOf(ITEMS))),
                    new ValidationCheck.Canary(Optional.of(canaryAt)))) {
                results.add(scratch.run(check));
            }
        }
        assertThat(results).as("%s", results).allMatch(CheckResult::passed);
        assertThat(results.get(2).provenAt()).contains(canaryAt);
        assertThat(describe).startsWith("temporary PostgreSQL ").contains("restored from the base backup")
                .contains("database " + DATABASE).contains("not on the verify-server");
        Path data = Path.of(describe.replaceAll(".*\\(data in ([^)]+)\\).*", "$1"));
        assertThat(data).doesNotExist();
        assertThat(work).isEmptyDirectory();
        // The source's primary is untouched: the canary row is still there, the primary still writable.
        assertThat(PostgresReplicaPair.query(primary.url(DATABASE), "select count(*) from items")).isEqualTo(
                String.valueOf(ITEMS));
    }

    @Test
    void aTruncatedBaseTarFailsTheLoadAndLeavesNothingBehind() throws Exception {
        Path files = Files.createDirectory(base.resolve("truncated-files"));
        byte[] tar = Files.readAllBytes(canaryFiles.resolve("base.tar"));
        Files.write(files.resolve("base.tar"), java.util.Arrays.copyOf(tar, tar.length / 2 + 100));
        Path work = scratchDirectory("truncated");
        try (PostgresSource physical = source(PostgresSourceConfig.Mode.PHYSICAL, true);
             ScratchDatabase scratch = physical.openScratch(new ScratchContext(work, Optional.empty(), "phys_bad",
                     TIMEOUT, canarySnapshot.position()))) {
            assertThatThrownBy(() -> scratch.load(files)).isInstanceOf(IOException.class)
                    .hasMessageContaining("base.tar").satisfies(e -> System.out.println("truncated: " + e.getMessage()));
            assertThat(scratch.run(new ValidationCheck.MinRows("items", 1)).passed()).isFalse();
        }
        assertThat(work).isEmptyDirectory();
    }

    /** A work directory the postgres user may use (as core's is when drover runs as that user). */
    private static Path scratchDirectory(String name) throws IOException {
        Path work = Files.createDirectory(base.resolve("scratch-" + name));
        if (OsUser.runningAsRoot()) {
            Files.setOwner(work, work.getFileSystem().getUserPrincipalLookupService()
                    .lookupPrincipalByName(TemporaryInstance.SERVICE_USER));
        }
        return work;
    }

    @Test
    void aRestoreToATimeBetweenTwoTransactionsHoldsTheFirstAndNotTheSecond() throws Exception {
        assertThat(restoreAndRead("to-time", Optional.of(betweenAandB))).containsExactly("A");
    }

    @Test
    void aRestoreWithoutATargetHoldsEverythingArchived() throws Exception {
        assertThat(restoreAndRead("to-end", Optional.empty())).containsExactly("A", "B");
    }

    @Test
    void aSecondRunInARowHandsOverNoSegmentTheFirstOneCommitted() {
        assertThat(secondRunSegments).isNotEmpty();
        Set<String> again = new HashSet<>(thirdRunSegments);
        again.retainAll(secondRunSegments);
        assertThat(again).isEmpty();
        // Released: only what pg_receivewal continues (the partial) or marks its place is left in the spool.
        assertThat(state.resolve("connectors/postgres/orders-wal/wal-spool")).isDirectory();
    }

    @Test
    void aNonEmptyDataDirectoryIsRefused() throws Exception {
        Path data = Files.createDirectory(base.resolve("occupied"));
        Files.writeString(data.resolve("PG_VERSION"), "15\n");
        try (PostgresSource physical = source(PostgresSourceConfig.Mode.PHYSICAL)) {
            assertThatThrownBy(() -> physical.restoreDataDirectory(baseFiles, walFiles, data, Optional.empty()))
                    .isInstanceOf(IOException.class).hasMessageContaining("is not empty");
        }
        assertThat(Files.readString(data.resolve("PG_VERSION"))).isEqualTo("15\n");
    }

    private List<String> restoreAndRead(String name, Optional<Instant> target) throws Exception {
        Path data = base.resolve(name);
        String line;
        try (PostgresSource physical = source(PostgresSourceConfig.Mode.PHYSICAL)) {
            line = physical.restoreDataDirectory(baseFiles, base.resolve("wal-root").resolve("wal"), data, target);
        }
        assertThat(line).contains("start PostgreSQL on it");
        assertThat(Files.getPosixFilePermissions(data)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(data.resolve("recovery.signal")).exists();
        try (TemporaryInstance restored = TemporaryInstance.startExisting(primary.server(), data, TIMEOUT)) {
            PostgresUrl url = restored.url(DATABASE);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!"f".equals(PostgresReplicaPair.query(url, "select pg_is_in_recovery()"))) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("the restored server is still in recovery after " + TIMEOUT);
                }
                Thread.sleep(100);
            }
            List<String> names = new ArrayList<>();
            try (var connection = Jdbc.connect(url, Optional.empty()); var statement = connection.createStatement();
                 var rows = statement.executeQuery("select name from t order by name")) {
                while (rows.next()) {
                    names.add(rows.getString(1));
                }
            }
            return names;
        }
    }
}
