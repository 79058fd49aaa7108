package io.drover.connector.mariadb;

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
import java.net.Socket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MariaDB replicated database passes the contract on a real primary and replica (temporary
 * instances in non-UTC time zones), and says what is wrong when the primary is not one.
 */
class MariaDbReplicatedDatabaseTest extends ReplicatedDatabaseContract {
    @TempDir
    static Path temp;

    private static MariaDbReplicaPair pair;

    @BeforeAll
    static void startPair() throws IOException {
        MariaDbReplicaPair.require();
        pair = MariaDbReplicaPair.start(temp);
    }

    @AfterAll
    static void stopPair() throws IOException {
        if (pair != null) {
            pair.close();
        }
    }

    private static ReplicatedDatabase create(MariaDbDatabaseConfig config) {
        MariaDbDatabaseFactory factory = new MariaDbDatabaseFactory();
        assertThat(factory.validate(config)).isEmpty();
        return factory.create(config, new ConnectorContext("test", Path.of("/nonexistent"), Clock.systemUTC()));
    }

    @Override
    protected ReplicatedDatabase database() {
        return create(pair.config());
    }

    @Override
    protected void pauseReplication() throws Exception {
        pair.pause();
    }

    @Override
    protected void resumeReplication() throws Exception {
        pair.resume();
    }

    @Override
    protected ReplicatedDatabase unreachableStandby() throws IOException {
        return create(pair.config(MariaDbReplicaPair.url(pair.primary), MariaDbReplicaPair.url(MariaDbReplicaPair.unusedPort())));
    }

    @Test
    void heartbeatsAreTheUtcTimeOfThePrimaryAndReplicateWithTheirMicroseconds() throws Exception {
        try (ReplicatedDatabase database = database()) {
            assertThat(database.sites()).containsExactly(Map.entry("dc1", "primary"), Map.entry("dr1", "dr"));
            assertThat(database.describe()).contains("shop", "dc1", "dr1", pair.primary.endpoint.hostPort())
                    .doesNotContain(pair.monitorPassword().reveal());
            database.writeHeartbeat();
            ReplicationSample sample = database.sample();
            Instant now = Instant.now();
            // The servers run at +05:00 and -03:00; a zone mistake would be hours off.
            assertThat(Duration.between(sample.primaryNow(), now).abs()).isLessThan(Duration.ofSeconds(5));
            assertThat(sample.primary()).isEqualTo("dc1");
            Instant written = sample.primaryHeartbeat().orElseThrow();
            assertThat(Duration.between(written, now).abs()).isLessThan(Duration.ofSeconds(5));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            ReplicationSample.Standby standby = sample.standbys().getFirst();
            while (!standby.heartbeat().equals(sample.primaryHeartbeat()) && System.nanoTime() < deadline) {
                Thread.sleep(50);
                standby = database.sample().standbys().getFirst();
            }
            assertThat(standby.member()).isEqualTo("dr1");
            assertThat(standby.site()).isEqualTo("dr");
            assertThat(standby.reachable()).isTrue();
            assertThat(standby.heartbeat()).as(standby.detail()).isEqualTo(sample.primaryHeartbeat());
            assertThat(standby.bytesBehind()).as(standby.detail()).contains(0L);
            assertThat(standby.detail()).isEqualTo("replicating, Seconds_Behind_Master 0");
        }
    }

    @Test
    void theMysqlTypeFallsBackToTheStatementsTheServerKnows() throws Exception {
        // MySQL 8.4's SHOW BINARY LOG STATUS is a syntax error on MariaDB: the mysql type then uses SHOW MASTER STATUS.
        try (ReplicatedDatabase database = new MySqlDatabaseFactory().create(pair.config(),
                new ConnectorContext("test", Path.of("/nonexistent"), Clock.systemUTC()))) {
            database.writeHeartbeat();
            ReplicationSample sample = database.sample();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            ReplicationSample.Standby standby = sample.standbys().getFirst();
            while (!standby.heartbeat().equals(sample.primaryHeartbeat()) && System.nanoTime() < deadline) {
                Thread.sleep(50);
                standby = database.sample().standbys().getFirst();
            }
            assertThat(database.describe()).startsWith("MySQL database shop");
            assertThat(standby.detail()).isEqualTo("replicating, Seconds_Behind_Master 0");
            assertThat(standby.bytesBehind()).contains(0L);
        }
    }

    @Test
    void aPausedReplicaSaysItsSqlThreadStoppedWhileItsIoThreadReceives() throws Exception {
        try (ReplicatedDatabase database = database()) {
            database.writeHeartbeat();
            pair.pause();
            try {
                database.writeHeartbeat();
                ReplicationSample.Standby standby = database.sample().standbys().getFirst();
                assertThat(standby.reachable()).isTrue();
                assertThat(standby.detail()).contains("SQL thread stopped", "IO thread still receiving");
                assertThat(standby.bytesBehind()).hasValueSatisfying(bytes -> assertThat(bytes).isPositive());
                long sameFile = standby.bytesBehind().get();
                // The primary moves on to a new binary log: the replica's file is now an older one.
                pair.onPrimary("flush binary logs");
                database.writeHeartbeat();
                ReplicationSample.Standby acrossFiles = database.sample().standbys().getFirst();
                assertThat(acrossFiles.bytesBehind()).as(acrossFiles.detail())
                        .hasValueSatisfying(bytes -> assertThat(bytes).isGreaterThan(sameFile));
                assertThat(acrossFiles.detail()).isEqualTo("SQL thread stopped (IO thread still receiving)");
            } finally {
                pair.resume();
            }
        }
    }

    @Test
    void whenTheConfiguredPrimaryIsAReplicaHeartbeatsAndSamplesGoToTheMemberThatIsThePrimary() throws Exception {
        // The replica configured on site primary: what drover sees after a switchover.
        try (ReplicatedDatabase database = create(pair.config(MariaDbReplicaPair.url(pair.replica),
                MariaDbReplicaPair.url(pair.primary)))) {
            database.writeHeartbeat();
            ReplicationSample sample = database.sample();
            assertThat(sample.primary()).isEqualTo("dr1");
            assertThat(sample.primaryHeartbeat()).isPresent();
            assertThat(sample.standbys()).singleElement().satisfies(standby -> {
                assertThat(standby.member()).isEqualTo("dc1");
                assertThat(standby.reachable()).as(standby.detail()).isTrue();
                assertThat(standby.detail()).startsWith("replicating");
            });
        }
    }

    @Test
    void withoutAWritablePrimaryTheHeartbeatFailsAndTheMessageSuspectsAFailover() throws Exception {
        int port = MariaDbReplicaPair.unusedPort();
        try (ReplicatedDatabase database = create(pair.config(MariaDbReplicaPair.url(pair.replica),
                MariaDbReplicaPair.url(port)))) {
            assertThatThrownBy(database::writeHeartbeat).isInstanceOf(IOException.class)
                    .hasMessageContaining("no member of MariaDB database shop is a writable primary")
                    .hasMessageContaining("member dc1 (" + pair.replica.endpoint.hostPort() + "): a replica of 127.0.0.1:"
                            + pair.primary.endpoint.port() + " (read_only ON)")
                    .hasMessageContaining("member dr1 (127.0.0.1:" + port + "): cannot connect")
                    .hasMessageContaining("was there a failover")
                    .message().doesNotContain(pair.monitorPassword().reveal());
        }
    }

    @Test
    void aStandbyThatIsNoReplicaSaysSo() throws Exception {
        // Both members on the primary's server: the "standby" has no replication configured.
        Map<String, MariaDbDatabaseConfig.Member> members = new LinkedHashMap<>();
        members.put("dc1", pair.member(MariaDbReplicaPair.url(pair.primary), "primary"));
        members.put("dr1", pair.member(MariaDbReplicaPair.url(pair.primary), "dr"));
        try (ReplicatedDatabase database = new MariaDbDatabaseFactory().create(
                new MariaDbDatabaseConfig(members, "drover_heartbeat", Duration.ofSeconds(5)),
                new ConnectorContext("test", Path.of("/nonexistent"), Clock.systemUTC()))) {
            database.writeHeartbeat();
            ReplicationSample.Standby standby = database.sample().standbys().getFirst();
            assertThat(standby.reachable()).isTrue();
            assertThat(standby.bytesBehind()).isEmpty();
            assertThat(standby.detail()).startsWith("not a replica");
        }
    }

    @Test
    void anUnreachablePrimaryFailsWithMemberAndAddressButNoPassword() throws Exception {
        int port = MariaDbReplicaPair.unusedPort();
        try (ReplicatedDatabase database = create(pair.config(MariaDbReplicaPair.url(port),
                MariaDbReplicaPair.url(pair.replica)))) {
            assertThatThrownBy(database::writeHeartbeat).isInstanceOf(IOException.class)
                    .hasMessageContaining("dc1").hasMessageContaining("127.0.0.1:" + port)
                    .message().doesNotContain(pair.monitorPassword().reveal());
            assertThatThrownBy(database::sample).isInstanceOf(IOException.class)
                    .hasMessageContaining("dc1").hasMessageContaining("127.0.0.1:" + port);
        }
    }

    @Test
    void aServerThatAcceptsButNeverAnswersCountsAsUnreachableWithinTheTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                List<Socket> held = new ArrayList<>();
                try {
                    while (true) {
                        held.add(silent.accept()); // and say nothing
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            MariaDbDatabaseConfig config = pair.config(MariaDbReplicaPair.url(pair.primary),
                    MariaDbReplicaPair.url(silent.getLocalPort()));
            try (ReplicatedDatabase database = create(new MariaDbDatabaseConfig(config.members(), config.heartbeatTable(),
                    Duration.ofSeconds(1)))) {
                long start = System.nanoTime();
                ReplicationSample.Standby standby = database.sample().standbys().getFirst();
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
                assertThat(standby.reachable()).isFalse();
                assertThat(standby.detail()).contains("dr1", "127.0.0.1:" + silent.getLocalPort());
            }
        }
    }

    @Test
    void aWrongPasswordMakesTheStandbyUnreachableWithoutShowingThePassword() throws Exception {
        Map<String, MariaDbDatabaseConfig.Member> members = new LinkedHashMap<>(pair.config().members());
        members.put("dr1", new MariaDbDatabaseConfig.Member(MariaDbReplicaPair.url(pair.replica), "dr",
                Optional.of(Secret.of("wr0ng-Pa55word", "${env:WRONG}"))));
        try (ReplicatedDatabase database = create(new MariaDbDatabaseConfig(members, "drover_heartbeat",
                Duration.ofSeconds(5)))) {
            ReplicationSample.Standby standby = database.sample().standbys().getFirst();
            assertThat(standby.reachable()).isFalse();
            assertThat(standby.detail()).contains("dr1", pair.replica.endpoint.hostPort(), "Access denied")
                    .doesNotContain("wr0ng-Pa55word");
        }
    }

    @Test
    void anUnreachableStandbyNamesItsAddress() throws Exception {
        int port = MariaDbReplicaPair.unusedPort();
        try (ReplicatedDatabase database = create(pair.config(MariaDbReplicaPair.url(pair.primary),
                MariaDbReplicaPair.url(port)))) {
            ReplicationSample.Standby standby = database.sample().standbys().getFirst();
            assertThat(standby.reachable()).isFalse();
            assertThat(standby.detail()).contains("dr1", "127.0.0.1:" + port).doesNotContain(pair.monitorPassword().reveal());
        }
    }
}
