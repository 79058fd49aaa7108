package io.drover.connector.mariadb;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.core.model.BackupId;
import io.drover.core.model.Secret;
import io.drover.core.spi.DirectorySink;
import io.drover.core.spi.SourceReadContext;
import io.drover.core.spi.SourceSnapshot;
import io.drover.core.testing.TestServices;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The binary log position of a dump, on a temporary instance started with binary logging (the
 * shared server's configuration is not ours to change).
 */
class MariaDbBinlogTest {
    @TempDir
    Path temp;

    @Test
    void withBinaryLoggingOnTheSnapshotRecordsTheDumpsPositionAndGtid() throws Exception {
        Tools tools = new Tools(Flavor.MARIADB, Optional.empty());
        boolean installed;
        try {
            tools.server(Flavor.MARIADB.serverProgram);
            tools.server(Flavor.MARIADB.installProgram);
            installed = true;
        } catch (IOException e) {
            installed = false;
        }
        TestServices.requireService("the MariaDB server programs (mariadbd, mariadb-install-db)", installed,
                "apt-get install mariadb-server");
        try (TemporaryScratch instance = TemporaryScratch.start(tools, temp, "shop", "drover_canary", Duration.ofMinutes(2),
                List.of("--log-bin=binlog", "--server-id=7"))) {
            Endpoint endpoint = instance.endpoint;
            try (Connection connection = endpoint.connect(); Statement statement = connection.createStatement()) {
                statement.execute("create table shop.t (id int primary key, v varchar(10))");
                statement.execute("insert into shop.t values (1, 'a'), (2, 'b')");
                // No global privileges (no RELOAD, no BINLOG MONITOR): MariaDB's dump still names its snapshot's position.
                statement.execute("create user 'backup'@'127.0.0.1' identified by 'b4ckup-Pw'");
                statement.execute("grant all privileges on shop.* to 'backup'@'127.0.0.1'");
            }
            MariaDbSourceConfig config = new MariaDbSourceConfig("mariadb://backup@" + endpoint.hostPort() + "/shop",
                    Optional.of(Secret.of("b4ckup-Pw", "${env:X}")), true, "drover_canary", Optional.empty(),
                    Duration.ofMinutes(1));
            SourceSnapshot snapshot;
            try (MariaDbSource source = TestingMariaDb.source(config)) {
                Path files = Files.createDirectories(temp.resolve("files"));
                snapshot = source.read(new SourceReadContext(BackupId.generate(Instant.now()), "test", Clock.systemUTC()),
                        new DirectorySink(files));
            }
            assertThat(snapshot.position()).doesNotContainKey("binlog").containsKey(SourceSnapshot.CANARY_AT);
            assertThat(snapshot.position().get("binlog-file")).matches("binlog\\.\\d+");
            assertThat(snapshot.position().get("gtid")).matches("0-7-\\d+");
            // Nothing was written after the dump's snapshot, so the server is still where the dump says.
            try (Connection connection = endpoint.connect(); Statement statement = connection.createStatement();
                 ResultSet status = statement.executeQuery("show master status")) {
                assertThat(status.next()).isTrue();
                assertThat(snapshot.position()).containsEntry("binlog-file", status.getString(1))
                        .containsEntry("binlog-position", status.getString(2));
            }
        }
    }
}
