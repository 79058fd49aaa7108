package io.drover.connector.mariadb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.core.model.Secret;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pieces without a server: version parsing and the refusal rules, the dump scanner, the option file. */
class MariaDbPartsTest {
    @TempDir
    Path temp;

    @Test
    void clientAndServerVersionsParse() {
        assertThat(ServerVersion.ofClient("mariadb-dump  Ver 10.19 Distrib 10.11.19-MariaDB, for debian-linux-gnu (x86_64)"))
                .contains(new ServerVersion(true, 10, 11, 19));
        assertThat(ServerVersion.ofClient("mariadb-dump from 11.4.2-MariaDB, client 10.19 for Linux (x86_64)"))
                .contains(new ServerVersion(true, 11, 4, 2));
        assertThat(ServerVersion.ofClient("mysqldump  Ver 8.0.36 for Linux on x86_64 (MySQL Community Server - GPL)"))
                .contains(new ServerVersion(false, 8, 0, 36));
        assertThat(ServerVersion.ofClient("mysqldump  Ver 10.13 Distrib 5.7.44, for Linux (x86_64)"))
                .contains(new ServerVersion(false, 5, 7, 44));
        assertThat(ServerVersion.ofServer("10.11.19-MariaDB-0+deb12u1")).contains(new ServerVersion(true, 10, 11, 19));
        assertThat(ServerVersion.ofServer("5.5.5-10.11.6-MariaDB")).contains(new ServerVersion(true, 10, 11, 6));
        assertThat(ServerVersion.ofServer("8.4.0")).contains(new ServerVersion(false, 8, 4, 0));
    }

    @Test
    void compatibilityRules() throws IOException {
        ServerVersion maria1011 = new ServerVersion(true, 10, 11, 19);
        Tools.requireCompatible("mariadb-dump", new ServerVersion(true, 11, 4, 2), maria1011);
        Tools.requireCompatible("mariadb-dump", new ServerVersion(true, 10, 6, 1), maria1011);
        assertThatThrownBy(() -> Tools.requireCompatible("mariadb-dump", maria1011, new ServerVersion(true, 11, 4, 2)))
                .hasMessageContaining("MariaDB 10.11.19").hasMessageContaining("MariaDB 11.4.2")
                .hasMessageContaining("client-bin");
        assertThatThrownBy(() -> Tools.requireCompatible("mysqldump", maria1011, new ServerVersion(false, 8, 0, 36)))
                .hasMessageContaining("MariaDB 10.11.19 client").hasMessageContaining("MySQL 8.0.36");
    }

    @Test
    void theScannerFindsThePositionGtidAndEndOfAMariaDbDump() throws IOException {
        String dump = """
                -- MariaDB dump 10.19  Distrib 10.11.19-MariaDB
                -- CHANGE MASTER TO MASTER_LOG_FILE='binlog.000003', MASTER_LOG_POS=1097;
                INSERT INTO `t` VALUES (1,'-- CHANGE MASTER TO MASTER_LOG_FILE=''fake'', MASTER_LOG_POS=1;');
                -- SET GLOBAL gtid_slave_pos='0-1-42';
                -- Dump completed on 2026-11-27 15:45:02
                """;
        DumpScanner scanner = new DumpScanner(new ByteArrayInputStream(dump.getBytes(StandardCharsets.UTF_8)));
        byte[] copy = readInOddChunks(scanner);
        assertThat(new String(copy, StandardCharsets.UTF_8)).isEqualTo(dump);
        assertThat(scanner.binlogFile()).contains("binlog.000003");
        assertThat(scanner.binlogPosition()).contains("1097");
        assertThat(scanner.gtid()).contains("0-1-42");
        assertThat(scanner.completed()).isTrue();
    }

    @Test
    void theScannerReadsMySqlsSourceSyntax() throws IOException {
        DumpScanner scanner = new DumpScanner(new ByteArrayInputStream(
                "-- CHANGE REPLICATION SOURCE TO SOURCE_LOG_FILE='binlog.000002', SOURCE_LOG_POS=157;".getBytes(StandardCharsets.UTF_8)));
        scanner.readAllBytes();
        assertThat(scanner.binlogFile()).contains("binlog.000002");
        assertThat(scanner.binlogPosition()).contains("157");
        assertThat(scanner.completed()).isFalse();
    }

    private static byte[] readInOddChunks(InputStream in) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] buffer = new byte[7];
        int n;
        while ((n = in.read(buffer, 1, 5)) >= 0) {
            out.write(buffer, 1, n);
        }
        return out.toByteArray();
    }

    @Test
    void theOptionFileIsPrivateQuotedAndDeleted() throws IOException {
        String password = "a#b\"c\\d' e;f";
        Path file;
        try (OptionFile options = OptionFile.write(new Endpoint("db1", 3307, "backup", Optional.of(Secret.of(password, "x"))))) {
            assertThat(options.argument()).startsWith("--defaults-extra-file=");
            file = Path.of(options.argument().substring("--defaults-extra-file=".length()));
            assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(Files.getPosixFilePermissions(file.getParent())).isEqualTo(PosixFilePermissions.fromString("rwx------"));
            assertThat(Files.readAllLines(file)).containsExactly("[client]", "user=\"backup\"",
                    "password=\"a#b\\\"c\\\\d' e;f\"", "host=\"db1\"", "port=3307", "protocol=TCP");
        }
        assertThat(file).doesNotExist();
        assertThat(file.getParent()).doesNotExist();
    }

    @Test
    void aDumpWithoutItsClosingLineIsIncomplete() throws IOException {
        Path complete = Files.writeString(temp.resolve("a.sql"), "select 1;\n-- Dump completed on 2026-01-01 00:00:00\n");
        Path cut = Files.writeString(temp.resolve("b.sql"), "select 1;\ninsert into t values (1),(2)");
        assertThat(DumpLoader.endsWithCompletedLine(complete)).isTrue();
        assertThat(DumpLoader.endsWithCompletedLine(cut)).isFalse();
    }

    @Test
    void findDumpWantsExactlyOneSqlFile() throws IOException {
        Path empty = Files.createDirectories(temp.resolve("empty"));
        assertThatThrownBy(() -> DumpLoader.findDump(empty)).hasMessageContaining("no .sql dump");
        Path one = Files.createDirectories(temp.resolve("one"));
        Files.writeString(one.resolve("shop.sql"), "");
        assertThat(DumpLoader.findDump(one)).isEqualTo(one.resolve("shop.sql"));
        Files.writeString(one.resolve("other.sql"), "");
        assertThatThrownBy(() -> DumpLoader.findDump(one)).hasMessageContaining("more than one");
    }

    @Test
    void theDefinersOfADumpAreFound() throws IOException {
        Path dump = Files.writeString(temp.resolve("d.sql"), """
                /*!50013 DEFINER=`app`@`%` SQL SECURITY DEFINER */
                CREATE DEFINER=`o``dd`@`10.0.0.%` PROCEDURE p() select 1;
                /*!50003 CREATE*/ /*!50017 DEFINER=`app`@`%`*/ /*!50003 TRIGGER t ... */;
                INSERT INTO t VALUES ('DEFINER=`x');
                """);
        assertThat(Definers.scan(dump)).containsExactly(new Definers.Account("app", "%"),
                new Definers.Account("o`dd", "10.0.0.%"));
    }

    @Test
    void checksTreatOneAsTrue() {
        assertThat(Checks.isTrue(1L, "1")).isTrue();
        assertThat(Checks.isTrue(Boolean.TRUE, "true")).isTrue();
        assertThat(Checks.isTrue(0L, "0")).isFalse();
        assertThat(Checks.isTrue(2L, "2")).isFalse();
        assertThat(Checks.isTrue(null, null)).isFalse();
        assertThat(Sql.qualified("shop.or`ders")).isEqualTo("`shop`.`or``ders`");
    }
}
