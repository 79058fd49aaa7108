package io.drover.connector.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.core.model.Secret;
import io.drover.core.spi.ConnectorContext;
import io.drover.core.spi.ReplicatedDatabase;
import io.drover.core.spi.ReplicatedDatabaseContract;
import io.drover.core.spi.ReplicationSample;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A real primary and streaming standby pass the replicated-database contract; and what the messages say. */
class PostgresReplicatedDatabaseTest extends ReplicatedDatabaseContract {
    private static final String PASSWORD = "pw-" + PgFixture.random();
    private static PostgresReplicaPair pair;

    @BeforeAll
    static void startPair() throws Exception {
        pair = PostgresReplicaPair.start();
    }

    @AfterAll
    static void stopPair() throws IOException {
        if (pair != null) {
            pair.close();
        }
    }

    private static String url(int port) {
        return "postgresql://postgres@127.0.0.1:" + port + "/" + PostgresReplicaPair.DATABASE;
    }

    private static PostgresDatabaseConfig.Member member(int port, String site) {
        return new PostgresDatabaseConfig.Member(url(port), site, Optional.of(Secret.of(PASSWORD, "${env:PW}")));
    }

    private static ReplicatedDatabase database(int primaryPort, int standbyPort, String table) {
        Map<String, PostgresDatabaseConfig.Member> members = new LinkedHashMap<>();
        members.put("dc1", member(primaryPort, "primary"));
        members.put("dr1", member(standbyPort, "dr"));
        PostgresDatabaseConfig config = new PostgresDatabaseConfig(members, table, Duration.ofSeconds(3));
        PostgresDatabaseFactory factory = new PostgresDatabaseFactory();
        assertThat(factory.validate(config)).isEmpty();
        return factory.create(config, new ConnectorContext("orders-pg", Path.of("/nonexistent"), Clock.systemUTC()));
    }

    @Override
    protected ReplicatedDatabase database() {
        return database(pair.primaryPort(), pair.standbyPort(), "drover_heartbeat");
    }

    @Override
    protected void pauseReplication() throws Exception {
        pair.pauseReplay();
    }

    @Override
    protected void resumeReplication() throws Exception {
        pair.resumeReplay();
    }

    @Override
    protected ReplicatedDatabase unreachableStandby() throws IOException {
        return database(pair.primaryPort(), deadPort(), "drover_heartbeat");
    }

    private static int deadPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void sitesAndDescriptionNameTheMembersButNoPassword() throws Exception {
        try (ReplicatedDatabase database = database()) {
            assertThat(database.sites()).containsExactly(Map.entry("dc1", "primary"), Map.entry("dr1", "dr"));
            assertThat(database.describe()).isEqualTo("PostgreSQL database drover_repl (orders-pg): primary dc1 (127.0.0.1:"
                    + pair.primaryPort() + "), standby dr1 (127.0.0.1:" + pair.standbyPort() + ")");
        }
    }

    @Test
    void aStreamingStandbyIsDescribedAsSuchWithItsHeartbeatAndPosition() throws Exception {
        try (ReplicatedDatabase database = database()) {
            database.writeHeartbeat();
            pair.awaitReplay(Duration.ofSeconds(10));
            ReplicationSample sample = database.sample();
            assertThat(sample.primary()).isEqualTo("dc1");
            assertThat(sample.primaryHeartbeat()).isPresent();
            assertThat(Duration.between(sample.primaryHeartbeat().get(), sample.primaryNow())).isGreaterThanOrEqualTo(Duration.ZERO)
                    .isLessThan(Duration.ofSeconds(5));
            assertThat(Duration.between(sample.primaryNow(), Instant.now()).abs()).isLessThan(Duration.ofSeconds(5));
            assertThat(sample.standbys()).singleElement().satisfies(standby -> {
                assertThat(standby.member()).isEqualTo("dr1");
                assertThat(standby.site()).isEqualTo("dr");
                assertThat(standby.reachable()).isTrue();
                // Background WAL (e.g. a checkpoint record) may arrive between the two reads.
                assertThat(standby.detail()).startsWith("streaming");
                assertThat(standby.heartbeat()).isEqualTo(sample.primaryHeartbeat());
                assertThat(standby.bytesBehind()).hasValueSatisfying(bytes -> assertThat(bytes).isNotNegative());
            });
        }
    }

    @Test
    void aPausedStandbySaysSo() throws Exception {
        try (ReplicatedDatabase database = database()) {
            pair.pauseReplay();
            try {
                database.writeHeartbeat();
                assertThat(database.sample().standbys().getFirst().detail()).startsWith("replay paused");
            } finally {
                pair.resumeReplay();
            }
        }
    }

    @Test
    void beforeTheFirstHeartbeatThereIsNoTableAndNoLag() throws Exception {
        try (ReplicatedDatabase database = database(pair.primaryPort(), pair.standbyPort(), "hb_" + PgFixture.random())) {
            ReplicationSample sample = database.sample();
            assertThat(sample.primaryHeartbeat()).isEmpty();
            assertThat(sample.standbys()).singleElement().satisfies(standby -> {
                assertThat(standby.reachable()).isTrue();
                assertThat(standby.heartbeat()).isEmpty();
                assertThat(standby.detail()).startsWith("streaming").endsWith(", no heartbeat table yet");
            });
            database.writeHeartbeat();
            assertThat(database.sample().primaryHeartbeat()).isPresent();
        }
    }

    @Test
    void anUnreachableStandbyIsNamedWithTheServersMessage() throws Exception {
        int dead = deadPort();
        try (ReplicatedDatabase database = database(pair.primaryPort(), dead, "drover_heartbeat")) {
            ReplicationSample.Standby standby = database.sample().standbys().getFirst();
            assertThat(standby.reachable()).isFalse();
            assertThat(standby.detail()).startsWith("member dr1: cannot connect to database drover_repl on 127.0.0.1:"
                    + dead + " as postgres: ").contains("refused").doesNotContain(PASSWORD);
        }
    }

    @Test
    void aPrimaryThatIsInRecoveryIsReportedAsAPossibleFailover() throws Exception {
        // Both members are the standby: the one on site primary is in recovery.
        try (ReplicatedDatabase database = database(pair.standbyPort(), pair.standbyPort(), "drover_heartbeat")) {
            String expected = "member dc1 (127.0.0.1:" + pair.standbyPort()
                    + ") is a standby (in recovery), not a primary; was there a failover?";
            assertThatThrownBy(database::writeHeartbeat).isInstanceOf(IOException.class).hasMessageStartingWith(expected)
                    .message().doesNotContain(PASSWORD);
            assertThatThrownBy(database::sample).isInstanceOf(IOException.class).hasMessageStartingWith(expected);
        }
        // Also when the heartbeat table does not exist there (creating it is refused first).
        try (ReplicatedDatabase database = database(pair.standbyPort(), pair.standbyPort(), "hb_" + PgFixture.random())) {
            assertThatThrownBy(database::writeHeartbeat).isInstanceOf(IOException.class)
                    .hasMessageContaining("is a standby (in recovery), not a primary; was there a failover?");
        }
    }

    @Test
    void anUnreachablePrimaryFailsTheHeartbeatAndTheSampleWithoutThePassword() throws Exception {
        int dead = deadPort();
        try (ReplicatedDatabase database = database(dead, pair.standbyPort(), "drover_heartbeat")) {
            String expected = "member dc1: cannot connect to database drover_repl on 127.0.0.1:" + dead + " as postgres: ";
            assertThatThrownBy(database::writeHeartbeat).isInstanceOf(IOException.class).hasMessageStartingWith(expected)
                    .message().doesNotContain(PASSWORD);
            assertThatThrownBy(database::sample).isInstanceOf(IOException.class).hasMessageStartingWith(expected);
        }
    }

    @Test
    void briefConnectionsGiveUpOnAStatementThatHangs() throws Exception {
        try (Connection connection = Jdbc.connectBriefly(pair.primaryUrl(), Optional.empty(), Duration.ofSeconds(1))) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> Jdbc.execute(connection, "select pg_sleep(30)")).isInstanceOf(SQLException.class)
                    .hasMessageContaining("statement timeout");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            try (Statement statement = connection.createStatement();
                 ResultSet row = statement.executeQuery("show synchronous_commit")) {
                row.next();
                assertThat(row.getString(1)).isEqualTo("local");
            }
        }
    }

    @Test
    void walPositionsAreByteOffsets() {
        assertThat(PostgresReplicatedDatabase.parseLsn("0/0")).isZero();
        assertThat(PostgresReplicatedDatabase.parseLsn("0/3000148")).isEqualTo(0x3000148L);
        assertThat(PostgresReplicatedDatabase.parseLsn("16/B374D848")).isEqualTo((0x16L << 32) + 0xB374D848L);
    }

    @Test
    void anInsertPositionJustPastAPageHeaderMeansThePageBoundary() {
        assertThat(PostgresReplicatedDatabase.writtenUpTo(0x3000028L)).as("a segment's first page").isEqualTo(0x3000000L);
        assertThat(PostgresReplicatedDatabase.writtenUpTo(0x3002018L)).as("another page").isEqualTo(0x3002000L);
        assertThat(PostgresReplicatedDatabase.writtenUpTo(0x3002028L)).as("a record in a page").isEqualTo(0x3002028L);
        assertThat(PostgresReplicatedDatabase.writtenUpTo(0x3000148L)).isEqualTo(0x3000148L);
    }
}
