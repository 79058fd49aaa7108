package io.drover.connector.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.core.model.BackupId;
import io.drover.core.spi.EntryMeta;
import io.drover.core.spi.EntryType;
import io.drover.core.spi.SourceReadContext;
import io.drover.core.spi.SourceSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Backups of a pgbench database on 127.0.0.1:5432: what is stored, and how failures read. */
class PostgresSourceTest {
    private static PgFixture fixture;
    private static Map<String, Long> sourceCounts;

    @TempDir
    Path temp;

    @BeforeAll
    static void createFixture() throws Exception {
        fixture = PgFixture.create();
        sourceCounts = PgFixture.counts(fixture.database);
    }

    @AfterAll
    static void dropFixture() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    private SourceSnapshot read(PostgresSource source, RecordingSink sink) throws IOException {
        return source.read(new SourceReadContext(BackupId.generate(Instant.now()), "test", Clock.systemUTC()), sink);
    }

    @Test
    void aCustomDumpLoadsIntoACopyWithTheSameRowsAndRecordsWhereTheSourceStood() throws Exception {
        PostgresSource source = fixture.source(temp.resolve("state"));
        Path files = temp.resolve("files");
        RecordingSink sink = new RecordingSink(files);
        SourceSnapshot snapshot = read(source, sink);

        assertThat(sink.warnings).isEmpty();
        assertThat(sink.paths()).containsExactly("globals.sql", fixture.database + ".dump");
        EntryMeta dump = sink.entries.get(1);
        assertThat(dump.size()).isEqualTo(-1);
        assertThat(sink.entries).allSatisfy(e -> assertThat(e.mode()).isEqualTo(0600));
        // pg_dump -Fc output starts with PGDMP
        assertThat(new String(Files.readAllBytes(files.resolve(fixture.database + ".dump")), 0, 5,
                java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("PGDMP");
        assertThat(Files.readString(files.resolve("globals.sql"))).contains("CREATE ROLE " + fixture.role);

        assertThat(snapshot.position()).containsKeys("lsn", "server-version", "database", SourceSnapshot.CANARY_AT);
        assertThat(snapshot.position().get("lsn")).matches("[0-9A-F]+/[0-9A-F]+");
        assertThat(snapshot.position().get("database")).isEqualTo(fixture.database);
        assertThat(snapshot.position().get("server-version")).startsWith("15");
        Instant canary = Instant.parse(snapshot.position().get(SourceSnapshot.CANARY_AT));
        assertThat(canary).isEqualTo(newestCanary(fixture.database)).isBeforeOrEqualTo(snapshot.capturedAt());
        assertThat(snapshot.capturedAt()).isBetween(Instant.now().minusSeconds(120), Instant.now().plusSeconds(60));

        String copy = "drover_copy_" + PgFixture.random();
        try {
            String loaded = source.loadInto(files, copy, false);
            assertThat(loaded).isEqualTo("loaded " + fixture.database + ".dump into database " + copy
                    + " on 127.0.0.1:5432 (globals.sql not applied)");
            assertThat(PgFixture.counts(copy)).isEqualTo(sourceCounts);
            assertThat(newestCanary(copy)).isEqualTo(canary);
        } finally {
            PgFixture.dropDatabase(copy);
        }
    }

    private static Instant newestCanary(String database) throws Exception {
        try (Connection c = DriverManager.getConnection(PgFixture.ADMIN_URL.replace("/postgres?", "/" + database + "?"));
             Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select max(written_at) from drover_canary")) {
            r.next();
            return r.getObject(1, OffsetDateTime.class).toInstant();
        }
    }

    @Test
    void aDirectoryDumpWithTwoJobsIsStagedHandedOverFileByFileAndRemoved() throws Exception {
        Path state = temp.resolve("state");
        PostgresSource source = fixture.source(state, fixture.config(PostgresSourceConfig.Format.DIRECTORY, false));
        Path files = temp.resolve("files");
        RecordingSink sink = new RecordingSink(files);
        SourceSnapshot snapshot = read(source, sink);

        String dir = fixture.database + ".dir";
        assertThat(sink.paths()).startsWith("globals.sql", dir).contains(dir + "/toc.dat");
        assertThat(sink.paths().stream().filter(p -> p.startsWith(dir + "/") && p.endsWith(".dat")).count())
                .isGreaterThan(4);
        assertThat(sink.entries).filteredOn(e -> e.type() == EntryType.FILE).allSatisfy(e -> {
            assertThat(e.mode()).isEqualTo(0600);
            assertThat(e.size()).isNotNegative();
        });
        assertThat(snapshot.position()).doesNotContainKey(SourceSnapshot.CANARY_AT);
        Path staging = state.resolve("connectors/postgres/pg-it");
        try (Stream<Path> left = Files.list(staging)) {
            assertThat(left).as("staging directories left behind").isEmpty();
        }

        String copy = "drover_copy_" + PgFixture.random();
        try {
            assertThat(source.loadInto(files, copy, false)).startsWith("loaded " + dir + " into database " + copy);
            assertThat(PgFixture.counts(copy)).isEqualTo(sourceCounts);
        } finally {
            PgFixture.dropDatabase(copy);
        }
    }

    @Test
    void aFailingPgDumpFailsTheBackupWithItsStderrAndRemovesTheStaging() throws Exception {
        String database = "drover_locked_" + PgFixture.random();
        PgFixture.admin("create database " + database);
        try {
            PgFixture.admin(database, "create table locked_away (id int); revoke all on locked_away from public;"
                    + " grant connect on database " + database + " to " + fixture.role);
            for (PostgresSourceConfig.Format format : PostgresSourceConfig.Format.values()) {
                Path state = temp.resolve("state-" + format);
                PostgresSourceConfig base = fixture.config(format, false);
                PostgresSourceConfig config = new PostgresSourceConfig(withDatabase(base.url(), database),
                        base.password(), base.mode(), format, 2, false, false, "drover_canary", Optional.empty(),
                        Duration.ofMinutes(2));
                PostgresSource source = fixture.source(state, config);
                assertThatThrownBy(() -> read(source, new RecordingSink(temp.resolve("files-" + format))))
                        .isInstanceOf(IOException.class)
                        .hasMessageContaining("pg_dump failed with exit code 1")
                        .hasMessageContaining("permission denied for table locked_away")
                        .hasMessageNotContaining(fixture.password);
                if (format == PostgresSourceConfig.Format.DIRECTORY) {
                    try (Stream<Path> left = Files.list(state.resolve("connectors/postgres/pg-it"))) {
                        assertThat(left).isEmpty();
                    }
                }
            }
        } finally {
            PgFixture.dropDatabase(database);
        }
    }

    @Test
    void aMissingDatabaseIsNamedInTheError() {
        PostgresSourceConfig base = fixture.config(PostgresSourceConfig.Format.CUSTOM, false);
        PostgresSourceConfig config = new PostgresSourceConfig(withDatabase(base.url(), "drover_no_such_db"),
                base.password(), base.mode(), base.format(), 2, true, false, "drover_canary", Optional.empty(),
                Duration.ofMinutes(1));
        assertThatThrownBy(() -> read(fixture.source(temp, config), new RecordingSink(temp.resolve("files"))))
                .isInstanceOf(IOException.class).hasMessageContaining("drover_no_such_db")
                .hasMessageContaining("does not exist").hasMessageNotContaining(fixture.password);
    }

    private Path fakeClientBin(String pgDumpScript) throws IOException {
        Path bin = Files.createDirectories(temp.resolve("fake-bin"));
        Path pgDump = bin.resolve("pg_dump");
        Files.writeString(pgDump, "#!/bin/sh\n" + pgDumpScript + "\n");
        Files.setPosixFilePermissions(pgDump, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin;
    }

    private PostgresSource withClientBin(Path bin, Duration timeout) {
        PostgresSourceConfig base = fixture.config(PostgresSourceConfig.Format.CUSTOM, false);
        return fixture.source(temp.resolve("state"), new PostgresSourceConfig(base.url(), base.password(), base.mode(),
                base.format(), 2, false, false, "drover_canary", Optional.of(bin), timeout));
    }

    @Test
    void aClientOlderThanTheServerIsRefusedNamingBothVersionsAndTheRemedy() throws Exception {
        Path bin = fakeClientBin("echo 'pg_dump (PostgreSQL) 11.22'");
        assertThatThrownBy(() -> read(withClientBin(bin, Duration.ofMinutes(1)), new RecordingSink(temp.resolve("f"))))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("pg_dump 11 (in " + bin + ") is older than the PostgreSQL 15 server at 127.0.0.1:5432")
                .hasMessageContaining("postgresql-client-15")
                .hasMessageContaining("client-bin");
    }

    @Test
    void theStderrTailOfAFailingDumpToolIsInTheError() throws Exception {
        Path bin = fakeClientBin("""
                if [ "$1" = --version ]; then echo 'pg_dump (PostgreSQL) 99.1'; exit 0; fi
                echo 'pg_dump: error: the disk caught fire' >&2
                exit 3""");
        assertThatThrownBy(() -> read(withClientBin(bin, Duration.ofMinutes(1)), new RecordingSink(temp.resolve("f"))))
                .isInstanceOf(IOException.class)
                .hasMessage("pg_dump failed with exit code 3: pg_dump: error: the disk caught fire");
    }

    @Test
    void aDumpThatOutlivesTheTimeoutIsKilledWithItsChildren() throws Exception {
        Path bin = fakeClientBin("""
                if [ "$1" = --version ]; then echo 'pg_dump (PostgreSQL) 99.1'; exit 0; fi
                echo "$$" > "$(dirname "$0")/pid"
                sleep 300 &
                echo "$!" > "$(dirname "$0")/child"
                wait""");
        long started = System.nanoTime();
        assertThatThrownBy(() -> read(withClientBin(bin, Duration.ofSeconds(2)), new RecordingSink(temp.resolve("f"))))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("pg_dump timed out after 2s and was killed");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
        long child = Long.parseLong(Files.readString(bin.resolve("child")).strip());
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (alive(child) && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        assertThat(alive(child)).as("the dump's child process is still alive").isFalse();
    }

    /** Whether {@code pid} runs (a zombie waiting for its reaper does not). */
    private static boolean alive(long pid) throws IOException {
        Path stat = Path.of("/proc/" + pid + "/stat");
        try {
            String text = Files.readString(stat);
            return text.charAt(text.lastIndexOf(')') + 2) != 'Z';
        } catch (java.nio.file.NoSuchFileException e) {
            return false;
        }
    }

    private static String withDatabase(String url, String database) {
        return url.substring(0, url.lastIndexOf('/') + 1) + database;
    }
}
