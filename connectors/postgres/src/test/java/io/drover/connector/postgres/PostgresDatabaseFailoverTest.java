package io.drover.connector.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.core.model.Secret;
import io.drover.core.spi.ConnectorContext;
import io.drover.core.spi.DatabaseFailover;
import io.drover.core.spi.DatabaseFailoverContract;
import io.drover.core.spi.ReplicatedDatabase;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A real primary and streaming standby pass the failover contract; each test gets its own pair, since tests promote. */
class PostgresDatabaseFailoverTest extends DatabaseFailoverContract {
    private PostgresReplicaPair pair;

    @BeforeEach
    void startPair() throws Exception {
        pair = PostgresReplicaPair.start();
        pair.executeOnPrimary("create table if not exists failover_rows (v text primary key)");
        pair.awaitReplay(Duration.ofSeconds(30));
    }

    @AfterEach
    void stopPair() throws IOException {
        if (pair != null) {
            pair.close();
        }
    }

    /** The orders-pg database: dc1 on site primary, dr1 on site dr, as {@code databases:} would configure them. */
    static ReplicatedDatabase database(int primaryPort, int standbyPort) {
        Map<String, PostgresDatabaseConfig.Member> members = new LinkedHashMap<>();
        members.put("dc1", member(primaryPort, "primary"));
        members.put("dr1", member(standbyPort, "dr"));
        PostgresDatabaseConfig config = new PostgresDatabaseConfig(members, "drover_heartbeat", Duration.ofSeconds(5));
        PostgresDatabaseFactory factory = new PostgresDatabaseFactory();
        assertThat(factory.validate(config)).isEmpty();
        return factory.create(config, new ConnectorContext("orders-pg", Path.of("/nonexistent"), Clock.systemUTC()));
    }

    private static PostgresDatabaseConfig.Member member(int port, String site) {
        return new PostgresDatabaseConfig.Member("postgresql://postgres@127.0.0.1:" + port + "/" + PostgresReplicaPair.DATABASE,
                site, Optional.<Secret>empty());
    }

    private PostgresUrl url(String member) {
        return switch (member) {
            case "dc1" -> pair.primaryUrl();
            case "dr1" -> pair.standbyUrl();
            default -> throw new IllegalArgumentException(member);
        };
    }

    @Override
    protected ReplicatedDatabase database() {
        return database(pair.primaryPort(), pair.standbyPort());
    }

    @Override
    protected ReplicatedDatabase withUnreachableMember() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return database(pair.primaryPort(), socket.getLocalPort());
        }
    }

    @Override
    protected void write(String member, String value) throws Exception {
        PostgresReplicaPair.execute(url(member), "insert into failover_rows values ('" + value + "')");
    }

    @Override
    protected boolean has(String member, String value) throws Exception {
        return "1".equals(PostgresReplicaPair.query(url(member), "select count(*) from failover_rows where v = '" + value + "'"));
    }

    @Override
    protected void pauseReplay() throws Exception {
        pair.pauseReplay();
    }

    @Override
    protected void resumeReplay() throws Exception {
        pair.resumeReplay();
    }

    @Test
    void fencingEndsOpenSessionsSoATransactionBegunBeforeTheFenceCannotCommit() throws Exception {
        try (ReplicatedDatabase database = database();
             java.sql.Connection open = Jdbc.connect(pair.primaryUrl(), Optional.empty())) {
            open.setAutoCommit(false);
            try (java.sql.Statement statement = open.createStatement()) {
                statement.execute("insert into failover_rows values ('in-flight')");
            }
            ((DatabaseFailover) database).fence("dc1");
            assertThatThrownBy(open::commit).isInstanceOf(java.sql.SQLException.class);
            assertThat(has("dc1", "in-flight")).isFalse();
            assertThat(((DatabaseFailover) database).status("dc1").detail()).contains("fenced");
        }
    }
}
