package io.drover.connector.mariadb;

import io.drover.connector.support.HumanDuration;
import io.drover.core.model.Secret;
import io.drover.core.testing.TestServices;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A primary and a replica as temporary MariaDB instances on free loopback ports, replicating with
 * GTIDs: both with a binary log that also logs what they replicate ({@code log_slave_updates}), ROW
 * format, so either can be the primary and the other rejoin it; the primary {@code server-id 1}, the
 * replica ({@code server-id 2}) read-only. Both run in different, non-UTC time zones (+05:00 and
 * -03:00), so a time zone mistake shows as hours of lag. Both have database {@link #DATABASE}, the
 * replication account {@link #REPLICATION_USER}, and the account {@link #MONITOR_USER} with only
 * what a {@code databases:} member needs to measure lag (database rights, BINLOG MONITOR, REPLICA
 * MONITOR) and {@link #FAILOVER_USER} with what fencing, promoting and rejoining need;
 * {@link #primary} and {@link #replica} hold the all-privileged accounts the fixture uses itself.
 * {@link #close()} stops and deletes both.
 *
 * <p>Starting one takes a few seconds per instance (they start in parallel): share one per test
 * class unless tests change roles.
 */
final class MariaDbReplicaPair implements AutoCloseable {
    static final String DATABASE = "shop";
    static final String MONITOR_USER = "drover_monitor";
    static final String FAILOVER_USER = "drover_failover";
    static final String REPLICATION_USER = "drover_repl";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration REPLICATION_WAIT = Duration.ofSeconds(60);

    final TemporaryScratch primary;
    final TemporaryScratch replica;
    private final String monitorPassword;
    private final String failoverPassword = randomPassword();
    private final String replicationPassword = randomPassword();

    private MariaDbReplicaPair(TemporaryScratch primary, TemporaryScratch replica, String monitorPassword) {
        this.primary = primary;
        this.replica = replica;
        this.monitorPassword = monitorPassword;
    }

    /** Skips the calling test (fails it in CI) when the MariaDB server programs are not installed. */
    static void require() {
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
    }

    /** Starts both instances under {@code directory} and replication between them; returns once it runs. */
    static MariaDbReplicaPair start(Path directory) throws IOException {
        Tools tools = new Tools(Flavor.MARIADB, Optional.empty());
        Path primaryHome = Files.createDirectories(directory.resolve("primary"));
        Path replicaHome = Files.createDirectories(directory.resolve("replica"));
        CompletableFuture<TemporaryScratch> primaryStart = CompletableFuture.supplyAsync(() -> start(tools, primaryHome,
                List.of("--server-id=1", "--default-time-zone=+05:00", "--log-bin=binlog", "--binlog-format=ROW",
                        "--log-slave-updates", "--relay-log=relay", "--skip-slave-start")));
        CompletableFuture<TemporaryScratch> replicaStart = CompletableFuture.supplyAsync(() -> start(tools, replicaHome,
                List.of("--server-id=2", "--default-time-zone=-03:00", "--log-bin=binlog", "--binlog-format=ROW",
                        "--log-slave-updates", "--relay-log=relay", "--skip-slave-start", "--read-only=ON")));
        TemporaryScratch primary = null;
        TemporaryScratch replica = null;
        try {
            primary = await(primaryStart);
            replica = await(replicaStart);
            String monitorPassword = randomPassword();
            MariaDbReplicaPair pair = new MariaDbReplicaPair(primary, replica, monitorPassword);
            pair.setUp();
            return pair;
        } catch (IOException | RuntimeException e) {
            closeQuietly(primary != null ? primary : awaitQuietly(primaryStart), e);
            closeQuietly(replica != null ? replica : awaitQuietly(replicaStart), e);
            throw e;
        }
    }

    private static TemporaryScratch start(Tools tools, Path home, List<String> options) {
        try {
            return TemporaryScratch.start(tools, home, DATABASE, "drover_canary", START_TIMEOUT, options);
        } catch (IOException e) {
            throw new CompletionException(e);
        }
    }

    private static TemporaryScratch await(CompletableFuture<TemporaryScratch> start) throws IOException {
        try {
            return start.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw e;
        }
    }

    private static TemporaryScratch awaitQuietly(CompletableFuture<TemporaryScratch> start) {
        try {
            return start.join();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static void closeQuietly(TemporaryScratch instance, Exception failure) {
        if (instance == null) {
            return;
        }
        try {
            instance.close();
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    private void setUp() throws IOException {
        try (Connection p = primary.endpoint.connect(); Statement ps = p.createStatement();
             Connection r = replica.endpoint.connect(); Statement rs = r.createStatement()) {
            for (Statement s : List.of(ps, rs)) {
                s.execute("set session sql_log_bin = 0");
                s.execute("create user '" + MONITOR_USER + "'@'127.0.0.1' identified by '" + monitorPassword + "'");
                s.execute("grant select, insert, update, create on " + Sql.id(DATABASE) + ".* to '" + MONITOR_USER
                        + "'@'127.0.0.1'");
                s.execute("grant binlog monitor, replica monitor on *.* to '" + MONITOR_USER + "'@'127.0.0.1'");
                s.execute("create user '" + FAILOVER_USER + "'@'127.0.0.1' identified by '" + failoverPassword + "'");
                s.execute("grant select, insert, update, create on " + Sql.id(DATABASE) + ".* to '" + FAILOVER_USER
                        + "'@'127.0.0.1'");
                s.execute("grant binlog monitor, replica monitor, read_only admin, connection admin, process,"
                        + " replication slave admin, reload on *.* to '" + FAILOVER_USER + "'@'127.0.0.1'");
                // Either may become the primary the other replicates from.
                s.execute("create user '" + REPLICATION_USER + "'@'127.0.0.1' identified by '" + replicationPassword + "'");
                s.execute("grant replication slave on *.* to '" + REPLICATION_USER + "'@'127.0.0.1'");
            }
            // A replica made from the primary has no history of its own: only what it replicates is in its binary log.
            rs.execute("reset master");
            // Both created database shop themselves: replicate what the primary writes from now on.
            String gtid = MariaDbSource.scalar(p, "select @@gtid_binlog_pos");
            try (PreparedStatement set = r.prepareStatement("set global gtid_slave_pos = ?")) {
                set.setString(1, gtid == null ? "" : gtid);
                set.execute();
            }
            rs.execute("change master to master_host = '127.0.0.1', master_port = " + primary.endpoint.port()
                    + ", master_user = '" + REPLICATION_USER + "', master_password = '" + replicationPassword
                    + "', master_use_gtid = slave_pos, master_connect_retry = 1");
            rs.execute("start slave");
        } catch (SQLException e) {
            throw new IOException("cannot set up replication between the temporary instances: " + e.getMessage(), e);
        }
        awaitReplicating();
    }

    /** Waits until both replication threads run and the replica has applied a marker written now. */
    void awaitReplicating() throws IOException {
        long deadline = System.nanoTime() + REPLICATION_WAIT.toNanos();
        String marker = Long.toString(System.nanoTime());
        try (Connection p = primary.endpoint.connect(); Statement ps = p.createStatement()) {
            ps.execute("create table if not exists " + Sql.id(DATABASE) + ".fixture_marker (id int primary key, "
                    + "v varchar(40))");
            ps.execute("replace into " + Sql.id(DATABASE) + ".fixture_marker values (1, '" + marker + "')");
        } catch (SQLException e) {
            throw new IOException("cannot write on the primary: " + e.getMessage(), e);
        }
        String last = "";
        while (System.nanoTime() < deadline) {
            try (Connection r = replica.endpoint.connect(); Statement rs = r.createStatement()) {
                Map<String, String> status = replicaStatus(rs);
                last = status.toString();
                if ("Yes".equals(status.get("Slave_IO_Running")) && "Yes".equals(status.get("Slave_SQL_Running"))
                        && marker.equals(markerOn(rs))) {
                    return;
                }
            } catch (SQLException e) {
                last = e.getMessage();
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for replication");
            }
        }
        throw new IOException("replication did not start within " + HumanDuration.format(REPLICATION_WAIT) + ": "
                + last);
    }

    private static String markerOn(Statement statement) throws SQLException {
        try (ResultSet row = statement.executeQuery("select v from " + Sql.id(DATABASE) + ".fixture_marker where id = 1")) {
            return row.next() ? row.getString(1) : null;
        } catch (SQLException e) {
            return null; // not replicated yet
        }
    }

    private static Map<String, String> replicaStatus(Statement statement) throws SQLException {
        Map<String, String> status = new LinkedHashMap<>();
        try (ResultSet row = statement.executeQuery("show slave status")) {
            if (row.next()) {
                for (String column : List.of("Slave_IO_Running", "Slave_SQL_Running", "Last_IO_Error", "Last_SQL_Error")) {
                    status.put(column, row.getString(column));
                }
            }
        }
        return status;
    }

    /** Stops the replica applying what it receives; its IO thread keeps receiving the primary's binary log. */
    void pause() throws SQLException {
        onReplica("stop slave sql_thread");
    }

    void resume() throws SQLException {
        onReplica("start slave sql_thread");
    }

    /** Runs {@code sql} on the replica as its all-privileged account. */
    void onReplica(String sql) throws SQLException {
        try (Connection r = replica.endpoint.connect(); Statement statement = r.createStatement()) {
            statement.execute(sql);
        }
    }

    /** Runs {@code sql} on the primary as its all-privileged account. */
    void onPrimary(String sql) throws SQLException {
        try (Connection p = primary.endpoint.connect(); Statement statement = p.createStatement()) {
            statement.execute(sql);
        }
    }

    /** The monitor account's password, as a {@code databases:} member's {@code password:} holds it. */
    Secret monitorPassword() {
        return Secret.of(monitorPassword, "${env:TEST_MARIADB_PASSWORD}");
    }

    /** {@code mariadb://drover_monitor@127.0.0.1:<port>/shop} of an instance of this pair. */
    static String url(TemporaryScratch instance) {
        return url(instance.endpoint.port());
    }

    static String url(int port) {
        return "mariadb://" + MONITOR_USER + "@127.0.0.1:" + port + "/" + DATABASE;
    }

    /** A member as config has it, with the monitor account's password. */
    MariaDbDatabaseConfig.Member member(String url, String site) {
        return new MariaDbDatabaseConfig.Member(url, site, Optional.of(monitorPassword()));
    }

    /**
     * The config of this pair for failover runbooks: {@code dc1} and {@code dr1} as {@link #config()},
     * as {@link #FAILOVER_USER}, with the replication account.
     */
    MariaDbDatabaseConfig failoverConfig(int replicaPort) {
        Map<String, MariaDbDatabaseConfig.Member> members = new LinkedHashMap<>();
        Optional<Secret> password = Optional.of(Secret.of(failoverPassword, "${env:TEST_FAILOVER_PASSWORD}"));
        members.put("dc1", new MariaDbDatabaseConfig.Member(failoverUrl(primary.endpoint.port()), "primary", password));
        members.put("dr1", new MariaDbDatabaseConfig.Member(failoverUrl(replicaPort), "dr", password));
        return new MariaDbDatabaseConfig(members, "drover_heartbeat", Duration.ofSeconds(5), Optional.of(REPLICATION_USER),
                Optional.of(Secret.of(replicationPassword, "${env:TEST_REPLICATION_PASSWORD}")));
    }

    private static String failoverUrl(int port) {
        return "mariadb://" + FAILOVER_USER + "@127.0.0.1:" + port + "/" + DATABASE;
    }

    /** The replication account's password, for tests that check it shows nowhere. */
    String replicationPassword() {
        return replicationPassword;
    }

    /** The config of this pair: {@code dc1} (the primary, site primary) and {@code dr1} (the replica, site dr). */
    MariaDbDatabaseConfig config() {
        return config(url(primary), url(replica));
    }

    /** A config with {@code dc1} on site primary at {@code primaryUrl} and {@code dr1} on site dr at {@code replicaUrl}. */
    MariaDbDatabaseConfig config(String primaryUrl, String replicaUrl) {
        Map<String, MariaDbDatabaseConfig.Member> members = new LinkedHashMap<>();
        members.put("dc1", member(primaryUrl, "primary"));
        members.put("dr1", member(replicaUrl, "dr"));
        return new MariaDbDatabaseConfig(members, "drover_heartbeat", Duration.ofSeconds(5));
    }

    /** A loopback port nothing listens on (right now). */
    static int unusedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String randomPassword() {
        String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        SecureRandom random = new SecureRandom();
        StringBuilder password = new StringBuilder();
        for (int i = 0; i < 24; i++) {
            password.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return password.toString();
    }

    @Override
    public void close() throws IOException {
        IOException failure = null;
        for (TemporaryScratch instance : List.of(replica, primary)) {
            // After a rejoin the first primary replicates too; a stopped replica shuts down without waiting for it.
            try (Connection connection = instance.endpoint.connect(); Statement statement = connection.createStatement()) {
                statement.execute("stop slave");
            } catch (SQLException e) {
                // it may be down already; closing it below still removes it
            }
        }
        for (TemporaryScratch instance : List.of(replica, primary)) {
            try {
                instance.close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
