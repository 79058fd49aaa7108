package io.drover.connector.mariadb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.core.model.BackupId;
import io.drover.core.model.Secret;
import io.drover.core.spi.CheckResult;
import io.drover.core.spi.DirectorySink;
import io.drover.core.spi.ScratchContext;
import io.drover.core.spi.ScratchDatabase;
import io.drover.core.spi.ValidationCheck;
import io.drover.core.spi.SourceReadContext;
import io.drover.core.spi.SourceSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Backups of the real server: what comes back after a load, what the snapshot records, and how failures read. */
class MariaDbSourceTest {
    private static TestingMariaDb fixture;

    @TempDir
    Path temp;

    @BeforeAll
    static void createFixture() throws Exception {
        TestingMariaDb.require();
        fixture = TestingMariaDb.create();
    }

    @AfterAll
    static void dropFixture() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    private SourceSnapshot backUp(MariaDbSource source, Path files) throws IOException {
        Files.createDirectories(files);
        DirectorySink sink = new DirectorySink(files);
        SourceSnapshot snapshot = source.read(new SourceReadContext(BackupId.generate(Instant.now()), "test",
                Clock.systemUTC()), sink);
        assertThat(sink.warnings()).isEmpty();
        return snapshot;
    }

    @Test
    void aLoadedBackupHasTheRoutinesTriggersEventsViewsAndRowsOfTheSource() throws Exception {
        String loaded = "drover_load_" + Long.toString(System.nanoTime(), 36);
        try (MariaDbSource source = fixture.source(false)) {
            Path files = temp.resolve("files");
            backUp(source, files);
            assertThat(files.resolve(fixture.database + ".sql")).exists();
            assertThat(Files.readString(files.resolve(fixture.database + ".sql"))).doesNotContain("CREATE DATABASE")
                    .doesNotContain(fixture.password);

            assertThat(source.loadInto(files, loaded, false)).contains(loaded).contains("127.0.0.1:" + TestingMariaDb.PORT);

            for (String table : List.of("customers", "orders", "audit")) {
                assertThat(TestingMariaDb.count("select count(*) from " + Sql.id(loaded) + "." + Sql.id(table))).as(table)
                        .isEqualTo(TestingMariaDb.count("select count(*) from " + Sql.id(fixture.database) + "." + Sql.id(table)));
            }
            assertThat(TestingMariaDb.count("select count(*) from information_schema.routines where routine_schema = '"
                    + loaded + "' and routine_name in ('add_order', 'order_total')")).isEqualTo(2);
            assertThat(TestingMariaDb.count("select count(*) from information_schema.triggers where trigger_schema = '"
                    + loaded + "' and trigger_name = 'orders_audit'")).isEqualTo(1);
            assertThat(TestingMariaDb.count("select count(*) from information_schema.events where event_schema = '"
                    + loaded + "' and event_name = 'purge_audit'")).isEqualTo(1);
            assertThat(TestingMariaDb.count("select count(*) from information_schema.views where table_schema = '"
                    + loaded + "' and table_name = 'big_orders'")).isEqualTo(1);
            // The blobs come back byte for byte.
            assertThat(TestingMariaDb.count("select count(*) from " + Sql.id(loaded) + ".customers l join "
                    + Sql.id(fixture.database) + ".customers s using (id) where l.photo = s.photo and l.note = s.note"))
                    .isEqualTo(TestingMariaDb.CUSTOMERS);
            // The routines and the trigger work in the copy.
            try (Connection root = TestingMariaDb.ROOT.connect(); Statement statement = root.createStatement()) {
                root.setCatalog(loaded);
                statement.execute("call add_order(1, 10.00)");
            }
            assertThat(TestingMariaDb.count("select count(*) from " + Sql.id(loaded) + ".audit"))
                    .isEqualTo(TestingMariaDb.ORDERS + 1);
            assertThat(TestingMariaDb.count("select " + Sql.id(loaded) + ".order_total(1) * 100")).isEqualTo(1150);

            assertThatThrownBy(() -> source.loadInto(files, loaded, false)).isInstanceOf(IOException.class)
                    .hasMessageContaining(loaded).hasMessageContaining("--replace");
        } finally {
            TestingMariaDb.dropDatabase(loaded);
        }
    }

    @Test
    void aTruncatedDumpFailsWithTheClientsMessageAndOneCutAtAStatementEndAsIncomplete() throws Exception {
        String loaded = "drover_load_" + Long.toString(System.nanoTime(), 36);
        try (MariaDbSource source = fixture.source(false)) {
            Path files = temp.resolve("files");
            backUp(source, files);
            Path dump = files.resolve(fixture.database + ".sql");
            String text = Files.readString(dump);

            Files.writeString(dump, text.substring(0, text.length() / 2));
            assertThatThrownBy(() -> source.loadInto(files, loaded, false)).isInstanceOf(IOException.class)
                    .hasMessageContaining("mariadb failed with exit code").hasMessageContaining("ERROR")
                    .hasMessageContaining("the dump is incomplete");

            // Cut after a complete statement: the client loads it happily, the missing last line gives it away.
            Files.writeString(dump, text.substring(0, text.indexOf('\n', text.indexOf("INSERT INTO")) + 1));
            assertThatThrownBy(() -> source.loadInto(files, loaded, true)).isInstanceOf(IOException.class)
                    .hasMessageContaining("is incomplete").hasMessageContaining(loaded);
        } finally {
            TestingMariaDb.dropDatabase(loaded);
        }
    }

    @Test
    void eventsLoadedIntoAScratchDatabaseOnAServerAreDisabled() throws Exception {
        try (MariaDbSource source = fixture.source(false); MariaDbSource server = fixture.source(false)) {
            Path files = temp.resolve("files");
            backUp(source, files);
            String label = "e" + Long.toString(System.nanoTime(), 36);
            try (ScratchDatabase scratch = source.openScratch(new ScratchContext(temp.resolve("work"), Optional.of(server),
                    label, Duration.ofMinutes(2)))) {
                assertThat(scratch.describe()).isEqualTo("database drover_verify_" + label + " on 127.0.0.1:" + TestingMariaDb.PORT);
                scratch.load(files);
                CheckResult disabled = scratch.run(new ValidationCheck.Sql("select group_concat(event_name, ' ', status) "
                        + "from information_schema.events where event_schema = database()", Optional.of("purge_audit DISABLED")));
                assertThat(disabled.passed()).as(disabled.detail()).isTrue();
                // The source's own event is untouched.
                assertThat(TestingMariaDb.count("select count(*) from information_schema.events where event_schema = '"
                        + fixture.database + "' and status = 'ENABLED'")).isEqualTo(1);
                // Checks are read-only.
                CheckResult write = scratch.run(new ValidationCheck.Sql("delete from customers", Optional.empty()));
                assertThat(write.passed()).isFalse();
                assertThat(TestingMariaDb.count("select count(*) from drover_verify_" + label + ".customers"))
                        .isEqualTo(TestingMariaDb.CUSTOMERS);
            }
            assertThat(TestingMariaDb.databaseExists("drover_verify_" + label)).isFalse();
        }
    }

    /** The mysql type with mysqldump and mysql: here MariaDB's programs under those names, against MariaDB. */
    @Test
    void theMysqlTypeDumpsAndLoadsWithTheMysqlProgramNames() throws Exception {
        String loaded = "drover_load_" + Long.toString(System.nanoTime(), 36);
        MariaDbSourceConfig config = fixture.config(true);
        MariaDbSourceConfig mysql = new MariaDbSourceConfig(config.url().replace("mariadb://", "mysql://"), config.password(),
                true, config.canaryTable(), Optional.empty(), config.timeout());
        try (var source = (MariaDbSource) new MySqlSourceFactory().create(mysql,
                new io.drover.core.spi.ConnectorContext("m", temp, Clock.systemUTC()))) {
            assertThat(source.describe()).startsWith("MySQL database " + fixture.database);
            assertThat(source.tools().dump()).isEqualTo("mysqldump");
            assertThat(source.tools().client()).isEqualTo("mysql");
            Path files = temp.resolve("files");
            backUp(source, files);
            assertThat(source.loadInto(files, loaded, false)).contains(loaded);
            assertThat(TestingMariaDb.count("select count(*) from " + Sql.id(loaded) + ".customers"))
                    .isEqualTo(TestingMariaDb.CUSTOMERS);
        } finally {
            TestingMariaDb.dropDatabase(loaded);
        }
    }

    @Test
    void theSnapshotRecordsTheDatabaseServerVersionBinlogStateAndCanary() throws Exception {
        boolean logBin = TestingMariaDb.count("select @@log_bin") == 1;
        try (MariaDbSource source = fixture.source(true)) {
            Instant before = Instant.now();
            SourceSnapshot snapshot = backUp(source, temp.resolve("files"));
            assertThat(snapshot.position()).containsEntry("database", fixture.database)
                    .containsKey("server-version");
            assertThat(snapshot.position().get("server-version")).contains("MariaDB");
            if (logBin) {
                assertThat(snapshot.position()).containsKeys("binlog-file", "binlog-position");
            } else {
                assertThat(snapshot.position()).containsEntry("binlog", "off").doesNotContainKey("binlog-file");
            }
            Instant canary = Instant.parse(snapshot.position().get(SourceSnapshot.CANARY_AT));
            assertThat(canary).isBeforeOrEqualTo(snapshot.capturedAt());
            assertThat(Duration.between(before, canary).abs()).isLessThan(Duration.ofMinutes(1));
            assertThat(Files.getPosixFilePermissions(temp.resolve("files"))).isNotNull();
        }
    }

    @Test
    void aFailingDumpReportsTheToolAndItsStderr() throws Exception {
        MariaDbSourceConfig config = fixture.config(false);
        MariaDbSourceConfig missing = new MariaDbSourceConfig("mariadb://" + fixture.user + "@127.0.0.1:" + TestingMariaDb.PORT + "/drover_no_such_db",
                config.password(), false, "drover_canary", Optional.empty(), Duration.ofMinutes(1));
        try (MariaDbSource source = TestingMariaDb.source(missing)) {
            assertThatThrownBy(() -> backUp(source, temp.resolve("files"))).isInstanceOf(IOException.class)
                    .hasMessageContaining("mariadb-dump").hasMessageContaining("drover_no_such_db")
                    .hasMessageContaining("Unknown database")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(fixture.password));
        }
    }

    @Test
    void aWrongPasswordFailsWithoutShowingIt() {
        MariaDbSourceConfig config = fixture.config(false);
        MariaDbSourceConfig wrong = new MariaDbSourceConfig(config.url(), Optional.of(Secret.of("wr0ng-Pa55", "${env:X}")),
                false, "drover_canary", Optional.empty(), Duration.ofMinutes(1));
        try (MariaDbSource source = TestingMariaDb.source(wrong)) {
            assertThatThrownBy(() -> backUp(source, temp.resolve("files"))).isInstanceOf(IOException.class)
                    .hasMessageContaining("Access denied")
                    .satisfies(e -> assertThat(e.toString()).doesNotContain("wr0ng-Pa55"));
        }
    }

    @Test
    void anOldClientIsRefusedNamingBothVersions() throws Exception {
        Path bin = fakeClient("echo 'mariadb-dump  Ver 10.19 Distrib 5.5.68-MariaDB, for Linux (x86_64)'");
        try (MariaDbSource source = TestingMariaDb.source(withClientBin(bin, Duration.ofMinutes(1)))) {
            assertThatThrownBy(() -> backUp(source, temp.resolve("files"))).isInstanceOf(IOException.class)
                    .hasMessageContaining("MariaDB 5.5.68").hasMessageContaining("MariaDB 10.11")
                    .hasMessageContaining("client-bin");
        }
    }

    @Test
    void aMySqlClientIsRefusedAgainstMariaDb() throws Exception {
        Path bin = fakeClient("echo 'mysqldump  Ver 8.0.36 for Linux on x86_64 (MySQL Community Server - GPL)'");
        try (MariaDbSource source = TestingMariaDb.source(withClientBin(bin, Duration.ofMinutes(1)))) {
            assertThatThrownBy(() -> backUp(source, temp.resolve("files"))).isInstanceOf(IOException.class)
                    .hasMessageContaining("MySQL 8.0.36").hasMessageContaining("MariaDB 10.11")
                    .hasMessageContaining("client-bin");
        }
    }

    @Test
    void aDumpThatOutlivesItsTimeoutIsKilled() throws Exception {
        Path bin = fakeClient("""
                if [ "$1" = --version ]; then echo 'mariadb-dump  Ver 10.19 Distrib 99.1.0-MariaDB'; exit 0; fi
                echo '-- partial'
                echo 'still dumping' >&2
                exec sleep 60""");
        long started = System.nanoTime();
        try (MariaDbSource source = TestingMariaDb.source(withClientBin(bin, Duration.ofSeconds(2)))) {
            assertThatThrownBy(() -> backUp(source, temp.resolve("files"))).isInstanceOf(IOException.class)
                    .hasMessageContaining("timed out after 2s").hasMessageContaining("still dumping");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void theDumpClientGetsThePasswordOnlyThroughAPrivateOptionFileNamedFirst() throws Exception {
        Path seen = temp.resolve("seen");
        Path bin = fakeClient("""
                if [ "$1" = --version ]; then echo 'mariadb-dump  Ver 10.19 Distrib 99.1.0-MariaDB'; exit 0; fi
                file="${1#--defaults-extra-file=}"
                { echo "first=$1"; stat -c '%a' "$file"; stat -c '%a' "$(dirname "$file")"; cat "$file"; env; } > '""" + seen + """
                '
                echo '-- Dump completed'""");
        try (MariaDbSource source = TestingMariaDb.source(withClientBin(bin, Duration.ofMinutes(1)))) {
            backUp(source, temp.resolve("files"));
        }
        List<String> lines = Files.readAllLines(seen);
        assertThat(lines.get(0)).startsWith("first=--defaults-extra-file=");
        assertThat(lines.get(1)).isEqualTo("600");
        assertThat(lines.get(2)).isEqualTo("700");
        assertThat(lines).contains("password=" + OptionFile.quote(fixture.password));
        assertThat(lines).noneMatch(l -> l.contains(fixture.password)); // not in the environment
        String optionFile = lines.get(0).substring("first=--defaults-extra-file=".length());
        assertThat(Path.of(optionFile)).doesNotExist();
        assertThat(Path.of(optionFile).getParent()).doesNotExist();
    }

    private MariaDbSourceConfig withClientBin(Path bin, Duration timeout) {
        MariaDbSourceConfig config = fixture.config(false);
        return new MariaDbSourceConfig(config.url(), config.password(), false, "drover_canary", Optional.of(bin), timeout);
    }

    private Path fakeClient(String script) throws IOException {
        Path bin = Files.createDirectories(temp.resolve("bin"));
        Path dump = bin.resolve("mariadb-dump");
        Files.writeString(dump, "#!/bin/sh\n" + script + "\n");
        Files.setPosixFilePermissions(dump, PosixFilePermissions.fromString("rwx------"));
        return bin;
    }
}
