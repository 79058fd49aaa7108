package io.drover.connector.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.core.model.Secret;
import io.drover.core.spi.ConnectorContext;
import io.drover.core.spi.DatabaseFailover;
import io.drover.core.spi.DatabaseRejoin;
import io.drover.core.spi.DatabaseRejoinContract;
import io.drover.core.spi.ReplicatedDatabase;
import io.drover.core.spi.ReplicationSample;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real primary and streaming standby pass the failover and rejoin contracts; each test gets its
 * own pair, since tests promote and rejoin. The members have their data directories, as a rejoin needs.
 */
class PostgresDatabaseFailoverTest extends DatabaseRejoinContract {
    private static final Duration WAIT = Duration.ofSeconds(60);
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
        return database(member(primaryPort, "primary"), member(standbyPort, "dr"));
    }

    static ReplicatedDatabase database(PostgresDatabaseConfig.Member dc1, PostgresDatabaseConfig.Member dr1) {
        Map<String, PostgresDatabaseConfig.Member> members = new LinkedHashMap<>();
        members.put("dc1", dc1);
        members.put("dr1", dr1);
        PostgresDatabaseConfig config = new PostgresDatabaseConfig(members, "drover_heartbeat", Duration.ofSeconds(5));
        PostgresDatabaseFactory factory = new PostgresDatabaseFactory();
        assertThat(factory.validate(config)).isEmpty();
        return factory.create(config, new ConnectorContext("orders-pg", Path.of("/nonexistent"), Clock.systemUTC()));
    }

    private static PostgresDatabaseConfig.Member member(int port, String site) {
        return new PostgresDatabaseConfig.Member(memberUrl(port), site, Optional.<Secret>empty());
    }

    private static String memberUrl(int port) {
        return "postgresql://postgres@127.0.0.1:" + port + "/" + PostgresReplicaPair.DATABASE;
    }

    /** A member whose server runs here in {@code dataDir}, rejoined by {@code method}. */
    private static PostgresDatabaseConfig.Member local(int port, String site, Path dataDir,
                                                       PostgresDatabaseConfig.RejoinMethod method,
                                                       Optional<List<String>> startCommand) {
        return new PostgresDatabaseConfig.Member(memberUrl(port), site, Optional.<Secret>empty(), Optional.of(dataDir),
                TemporaryInstance.SERVICE_USER, method, startCommand, Optional.empty());
    }

    private ReplicatedDatabase database(PostgresDatabaseConfig.RejoinMethod method) {
        return database(local(pair.primaryPort(), "primary", pair.primaryDataDirectory(), method, Optional.empty()),
                local(pair.standbyPort(), "dr", pair.standbyDataDirectory(), method, Optional.empty()));
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
        return database(PostgresDatabaseConfig.RejoinMethod.AUTO);
    }

    @Override
    protected boolean discardsDivergedWrites() {
        return true;
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

    @Test
    void aDivergedOldPrimaryIsRewoundWithPgRewindAndSaysSo() throws Exception {
        try (ReplicatedDatabase database = database()) {
            DatabaseFailover failover = (DatabaseFailover) database;
            DatabaseRejoin rejoin = (DatabaseRejoin) database;
            write("dc1", "replicated");
            failover.waitForReplay("dr1", WAIT);
            failover.promote("dr1");
            write("dc1", "only-on-dc1");
            assertThat(rejoin.planRejoin("dc1", "dr1")).startsWith("stop dc1").contains("pg_rewind its data directory");

            assertThat(rejoin.rejoin("dc1", "dr1", WAIT)).startsWith("dc1 rejoined as a standby of dr1: pg_rewind from dr1")
                    .doesNotContain("base backup");
            failover.waitForReplay("dc1", WAIT);
            assertThat(has("dc1", "only-on-dc1")).isFalse();
        }
    }

    @Test
    void aBaseBackupRejoinsADivergedOldPrimaryAndKeepsItsOwnConfiguration() throws Exception {
        try (ReplicatedDatabase database = database(PostgresDatabaseConfig.RejoinMethod.BASE_BACKUP)) {
            DatabaseFailover failover = (DatabaseFailover) database;
            DatabaseRejoin rejoin = (DatabaseRejoin) database;
            write("dc1", "replicated");
            failover.waitForReplay("dr1", WAIT);
            failover.fence("dc1");
            failover.promote("dr1");
            write("dr1", "only-on-dr1");
            assertThat(rejoin.planRejoin("dc1", "dr1")).contains("base backup").contains("dr1");

            String done = rejoin.rejoin("dc1", "dr1", WAIT);

            assertThat(done).contains("base backup").contains("streaming");
            assertThat(rejoin.replicatesFrom("dc1", "dr1")).isTrue();
            failover.waitForReplay("dc1", WAIT);
            assertThat(has("dc1", "only-on-dr1")).isTrue();
            assertThat(has("dc1", "replicated")).isTrue();
            Path dataDir = pair.primaryDataDirectory();
            assertThat(Files.readString(dataDir.resolve("postgresql.conf")))
                    .as("dc1 keeps its own port").contains("port = " + pair.primaryPort());
            assertThat(Files.readString(dataDir.resolve("postgresql.auto.conf")))
                    .as("the fence does not come back on a later promotion").doesNotContain("default_transaction_read_only");
            assertThat(dataDir.resolveSibling(dataDir.getFileName() + ".drover-rejoin")).as("no leftovers").doesNotExist();
            assertThat(failover.status("dc1").role()).isEqualTo(DatabaseFailover.Role.STANDBY);
        }
    }

    @Test
    void aMemberWithoutADataDirectoryCannotRejoinAndTheMessageSaysWhatToSet() throws Exception {
        try (ReplicatedDatabase database = database(member(pair.primaryPort(), "primary"), member(pair.standbyPort(), "dr"))) {
            ((DatabaseFailover) database).promote("dr1");
            DatabaseRejoin rejoin = (DatabaseRejoin) database;
            assertThatThrownBy(() -> rejoin.planRejoin("dc1", "dr1")).isInstanceOf(IOException.class)
                    .hasMessageContaining("member dc1 (127.0.0.1:" + pair.primaryPort() + ") has no data-dir")
                    .hasMessageContaining("set data-dir");
            assertThatThrownBy(() -> rejoin.rejoin("dc1", "dr1", WAIT)).isInstanceOf(IOException.class)
                    .hasMessageContaining("has no data-dir");
            assertThat(((DatabaseFailover) database).status("dc1").writablePrimary()).as("dc1 untouched").isTrue();
        }
    }

    @Test
    void aRejoinThatFailedHalfwayIsRepeatedSuccessfully() throws Exception {
        // The first attempt rewinds dc1 but cannot start it (its start-command fails), as a rejoin
        // killed after the rewind would leave it; the second, with the right configuration, completes.
        PostgresDatabaseConfig.Member dr1 = local(pair.standbyPort(), "dr", pair.standbyDataDirectory(),
                PostgresDatabaseConfig.RejoinMethod.AUTO, Optional.empty());
        try (ReplicatedDatabase broken = database(local(pair.primaryPort(), "primary", pair.primaryDataDirectory(),
                PostgresDatabaseConfig.RejoinMethod.AUTO, Optional.of(List.of("false"))), dr1)) {
            write("dc1", "before-failover");
            ((DatabaseFailover) broken).waitForReplay("dr1", WAIT);
            ((DatabaseFailover) broken).promote("dr1");
            write("dc1", "only-on-dc1");
            write("dr1", "only-on-dr1");
            assertThatThrownBy(() -> ((DatabaseRejoin) broken).rejoin("dc1", "dr1", WAIT)).isInstanceOf(IOException.class)
                    .hasMessageContaining("start-command of member dc1").hasMessageContaining("rejoin again");
            assertThat(((DatabaseFailover) broken).status("dc1").reachable()).as("dc1 was stopped").isFalse();
        }
        try (ReplicatedDatabase database = database()) {
            DatabaseRejoin rejoin = (DatabaseRejoin) database;
            assertThat(rejoin.planRejoin("dc1", "dr1")).contains("continue the interrupted rejoin");
            assertThat(rejoin.rejoin("dc1", "dr1", WAIT)).contains("streaming");
            assertThat(rejoin.replicatesFrom("dc1", "dr1")).isTrue();
            ((DatabaseFailover) database).waitForReplay("dc1", WAIT);
            assertThat(has("dc1", "only-on-dr1")).isTrue();
            assertThat(has("dc1", "only-on-dc1")).isFalse();
            Path dataDir = pair.primaryDataDirectory();
            assertThat(dataDir.resolveSibling(dataDir.getFileName() + ".drover-rejoin")).doesNotExist();
        }
    }

    @Test
    void anInterruptedBaseBackupIsTakenAnewFromTheOldDataDirectoryKeptAside() throws Exception {
        try (ReplicatedDatabase database = database(PostgresDatabaseConfig.RejoinMethod.BASE_BACKUP)) {
            DatabaseFailover failover = (DatabaseFailover) database;
            write("dc1", "replicated");
            failover.waitForReplay("dr1", WAIT);
            failover.promote("dr1");
            // What a base backup killed halfway leaves: dc1 stopped, its data aside, a partial copy in its place.
            Path dataDir = pair.primaryDataDirectory();
            pair.stopPrimary();
            Path state = dataDir.resolveSibling(dataDir.getFileName() + ".drover-rejoin");
            Files.createDirectory(state);
            Files.createDirectory(state.resolve("config"));
            for (String file : PostgresRejoin.OWN_FILES) {
                Files.copy(dataDir.resolve(file), state.resolve("config").resolve(file),
                        StandardCopyOption.COPY_ATTRIBUTES);
            }
            Files.createFile(state.resolve("config.saved"));
            Files.move(dataDir, state.resolve("old-data"));
            Files.createDirectory(dataDir);
            Files.writeString(dataDir.resolve("base.partial"), "an unfinished copy");

            DatabaseRejoin rejoin = (DatabaseRejoin) database;
            assertThat(rejoin.planRejoin("dc1", "dr1")).contains("continue the interrupted rejoin");
            assertThat(rejoin.rejoin("dc1", "dr1", WAIT)).contains("base backup");
            failover.waitForReplay("dc1", WAIT);
            assertThat(has("dc1", "replicated")).isTrue();
            assertThat(state).doesNotExist();
        }
    }

    @Test
    void heartbeatsFollowTheNewPrimaryWhileTheOldOneIsFenced() throws Exception {
        try (ReplicatedDatabase database = database()) {
            DatabaseFailover failover = (DatabaseFailover) database;
            failover.fence("dc1");
            failover.waitForReplay("dr1", WAIT);
            failover.promote("dr1");
            database.writeHeartbeat();
            ReplicationSample sample = database.sample();
            assertThat(sample.primary()).isEqualTo("dr1");
            assertThat(sample.primaryHeartbeat()).isPresent();
            assertThat(sample.standbys()).singleElement().satisfies(standby -> {
                assertThat(standby.member()).isEqualTo("dc1");
                assertThat(standby.detail()).contains("not in recovery");
            });
        }
    }
}
