package io.drover.connector.mariadb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.core.spi.ConnectorContext;
import io.drover.core.spi.DatabaseFailover;
import io.drover.core.spi.DatabaseRejoin;
import io.drover.core.spi.DatabaseRejoinContract;
import io.drover.core.spi.ReplicatedDatabase;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real MariaDB primary and GTID replica pass the failover and rejoin contracts; each test gets its
 * own pair, since tests promote and rejoin. Rows are written as the monitor account, which has no
 * READ_ONLY ADMIN, as an application's would be; drover acts as the failover account.
 */
class MariaDbDatabaseFailoverTest extends DatabaseRejoinContract {
    @TempDir
    Path temp;

    private MariaDbReplicaPair pair;

    @BeforeAll
    static void requireServer() {
        MariaDbReplicaPair.require();
    }

    @BeforeEach
    void startPair() throws Exception {
        long start = System.nanoTime();
        pair = MariaDbReplicaPair.start(temp);
        pair.onPrimary("create table " + Sql.id(MariaDbReplicaPair.DATABASE) + ".failover_rows (v varchar(64) primary key)");
        pair.awaitReplicating();
        System.out.printf("MariaDB pair started in %d ms%n", Duration.ofNanos(System.nanoTime() - start).toMillis());
    }

    @AfterEach
    void stopPair() throws IOException {
        if (pair != null) {
            pair.close();
        }
    }

    private static ReplicatedDatabase create(MariaDbDatabaseConfig config) {
        MariaDbDatabaseFactory factory = new MariaDbDatabaseFactory();
        assertThat(factory.validate(config)).isEmpty();
        return factory.create(config, new ConnectorContext("orders-maria", Path.of("/nonexistent"), Clock.systemUTC()));
    }

    @Override
    protected ReplicatedDatabase database() {
        return create(pair.failoverConfig(pair.replica.endpoint.port()));
    }

    @Override
    protected ReplicatedDatabase withUnreachableMember() throws IOException {
        return create(pair.failoverConfig(MariaDbReplicaPair.unusedPort()));
    }

    @Override
    protected boolean discardsDivergedWrites() {
        return false;
    }

    private TemporaryScratch instance(String member) {
        return switch (member) {
            case "dc1" -> pair.primary;
            case "dr1" -> pair.replica;
            default -> throw new IllegalArgumentException(member);
        };
    }

    /** The monitor account on {@code member}: an application account, without READ_ONLY ADMIN. */
    private Endpoint application(String member) {
        return new Endpoint("127.0.0.1", instance(member).endpoint.port(), MariaDbReplicaPair.MONITOR_USER,
                Optional.of(pair.monitorPassword()));
    }

    @Override
    protected void write(String member, String value) throws Exception {
        insert(application(member), value);
    }

    private static void insert(Endpoint endpoint, String value) throws SQLException {
        try (Connection connection = endpoint.connect();
             PreparedStatement insert = connection.prepareStatement("insert into "
                     + Sql.id(MariaDbReplicaPair.DATABASE) + ".failover_rows values (?)")) {
            insert.setString(1, value);
            insert.execute();
        }
    }

    @Override
    protected boolean has(String member, String value) throws Exception {
        try (Connection connection = instance(member).endpoint.connect();
             PreparedStatement query = connection.prepareStatement("select count(*) from "
                     + Sql.id(MariaDbReplicaPair.DATABASE) + ".failover_rows where v = ?")) {
            query.setString(1, value);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getLong(1) == 1;
            }
        }
    }

    @Override
    protected void pauseReplay() throws Exception {
        pair.pause();
    }

    @Override
    protected void resumeReplay() throws Exception {
        pair.resume();
    }

    @Test
    void fencingEndsOpenSessionsSoATransactionBegunBeforeTheFenceCannotCommit() throws Exception {
        try (ReplicatedDatabase database = database(); Connection open = application("dc1").connect()) {
            open.setAutoCommit(false);
            try (Statement statement = open.createStatement()) {
                statement.execute("insert into " + Sql.id(MariaDbReplicaPair.DATABASE) + ".failover_rows values ('in-flight')");
            }
            ((DatabaseFailover) database).fence("dc1");
            assertThatThrownBy(open::commit).isInstanceOf(SQLException.class);
            assertThat(has("dc1", "in-flight")).isFalse();
            assertThat(((DatabaseFailover) database).status("dc1").detail())
                    .contains("fenced", "accounts with READ_ONLY ADMIN").doesNotContain(pair.monitorPassword().reveal());
        }
    }

    @Test
    void anAccountWithReadOnlyAdminStillWritesThroughTheFenceAsTheJavadocWarns() throws Exception {
        try (ReplicatedDatabase database = database()) {
            ((DatabaseFailover) database).fence("dc1");
            Endpoint failoverAccount = new Endpoint("127.0.0.1",
                    pair.primary.endpoint.port(), MariaDbReplicaPair.FAILOVER_USER,
                    pair.failoverConfig(pair.replica.endpoint.port()).members().get("dc1").password());
            insert(failoverAccount, "read-only-admin");
            assertThat(has("dc1", "read-only-admin")).isTrue();
            assertThatThrownBy(() -> write("dc1", "application")).isInstanceOf(SQLException.class)
                    .hasMessageContaining("read-only");
        }
    }

    @Test
    void aDivergedMemberIsRefusedWithItsGtidsAndTheWayOutAndNothingChanges() throws Exception {
        try (ReplicatedDatabase database = database()) {
            DatabaseFailover failover = (DatabaseFailover) database;
            failover.waitForReplay("dr1", Duration.ofSeconds(20));
            failover.promote("dr1");
            write("dc1", "only-on-dc1");
            assertThatThrownBy(() -> ((DatabaseRejoin) database).planRejoin("dc1", "dr1"))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("member dc1").hasMessageContaining("diverged")
                    .hasMessageMatching("(?s).*its GTIDs 0-1-\\d+ are not in dr1's binary log.*")
                    .hasMessageContaining("drover restore");
            assertThat(failover.status("dc1").writablePrimary()).as("a refused rejoin leaves dc1 writable").isTrue();
        }
    }

    @Test
    void rejoiningNeedsAReplicationAccountAndNeverShowsItsPassword() throws Exception {
        MariaDbDatabaseConfig full = pair.failoverConfig(pair.replica.endpoint.port());
        MariaDbDatabaseConfig withoutAccount = new MariaDbDatabaseConfig(full.members(), full.heartbeatTable(),
                full.timeout());
        try (ReplicatedDatabase database = create(withoutAccount)) {
            DatabaseFailover failover = (DatabaseFailover) database;
            failover.fence("dc1");
            failover.waitForReplay("dr1", Duration.ofSeconds(20));
            failover.promote("dr1");
            assertThatThrownBy(() -> ((DatabaseRejoin) database).rejoin("dc1", "dr1", Duration.ofSeconds(20)))
                    .isInstanceOf(IOException.class).hasMessageContaining("replication-user");
        }
        try (ReplicatedDatabase database = create(full)) {
            String done = ((DatabaseRejoin) database).rejoin("dc1", "dr1", Duration.ofSeconds(30));
            assertThat(done).contains("dc1", "dr1", MariaDbReplicaPair.REPLICATION_USER)
                    .doesNotContain(pair.replicationPassword());
            assertThat(database.describe()).doesNotContain(pair.replicationPassword());
            assertThat(((DatabaseFailover) database).status("dc1").detail()).doesNotContain(pair.replicationPassword());
        }
    }
}
