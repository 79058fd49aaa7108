package io.drover.connector.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.core.spi.ConnectorContext;
import io.drover.core.spi.ScratchContext;
import io.drover.core.spi.ScratchDatabase;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A temporary scratch instance matches the server version the backup recorded, not today's source server. */
class PostgresScratchVersionTest {
    @TempDir
    Path temp;

    @Test
    void theRecordedServerVersionIsReadAsAMajorVersion() {
        assertThat(PostgresSource.recordedVersion(Map.of("server-version", "15.4 (Debian 15.4-1.pgdg120+1)"))).contains(1500);
        assertThat(PostgresSource.recordedVersion(Map.of("server-version", "16.0"))).contains(1600);
        assertThat(PostgresSource.recordedVersion(Map.of("server-version", "17beta1"))).contains(1700);
        assertThat(PostgresSource.recordedVersion(Map.of("server-version", "9.6.24"))).contains(906);
        assertThat(PostgresSource.recordedVersion(Map.of("server-version", "unknown"))).isEmpty();
        assertThat(PostgresSource.recordedVersion(Map.of("lsn", "0/3000148"))).isEmpty();
    }

    /** A source whose server is gone (it may be what is being recovered). */
    private PostgresSource goneSource() throws IOException {
        int dead;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            dead = socket.getLocalPort();
        }
        PostgresSourceConfig config = new PostgresSourceConfig("postgresql://backup@127.0.0.1:" + dead + "/gone",
                Optional.empty(), PostgresSourceConfig.Mode.LOGICAL, PostgresSourceConfig.Format.CUSTOM, 2, true, false,
                "drover_canary", Optional.empty(), Duration.ofMinutes(5));
        return (PostgresSource) new PostgresSourceFactory().create(config, new ConnectorContext("pg", temp.resolve("state"),
                Clock.systemUTC()));
    }

    private ScratchContext context(Map<String, String> position) {
        return new ScratchContext(temp.resolve("work"), Optional.empty(), "v" + PgFixture.random(), Duration.ofMinutes(2),
                position);
    }

    @Test
    void theTemporaryInstanceHasTheMajorVersionTheBackupRecorded() throws Exception {
        // No PostgreSQL 99 is installed: the message proves the recorded version was asked for.
        assertThatThrownBy(() -> goneSource().openScratch(context(Map.of("server-version", "99.1 (Debian 99.1-1)"))))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("no PostgreSQL server programs (initdb) of version 99 or newer");
        try (ScratchDatabase scratch = goneSource().openScratch(context(Map.of("server-version", "15.4")))) {
            assertThat(scratch.describe()).startsWith("temporary PostgreSQL 15 on 127.0.0.1:");
        }
    }

    @Test
    void withoutAUsableRecordedVersionItFallsBackToTheSourceOrTheClientTools() throws Exception {
        try (ScratchDatabase scratch = goneSource().openScratch(context(Map.of("server-version", "unknown")))) {
            assertThat(scratch.describe()).startsWith("temporary PostgreSQL 15 on 127.0.0.1:");
        }
    }
}
