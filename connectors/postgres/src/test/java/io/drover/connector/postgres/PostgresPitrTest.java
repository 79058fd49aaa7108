package io.drover.connector.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.core.model.BackupId;
import io.drover.core.spi.ConnectorContext;
import io.drover.core.spi.EntryMeta;
import io.drover.core.spi.SourceReadContext;
import io.drover.core.spi.SourceSnapshot;
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
 * transactions holds the first and not the second, one without a target holds both.
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
        PostgresSourceConfig config = new PostgresSourceConfig("postgresql://postgres@127.0.0.1:" + primary.port() + "/"
                + DATABASE, Optional.empty(), mode, PostgresSourceConfig.Format.CUSTOM, 2, true, false, "drover_canary",
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
