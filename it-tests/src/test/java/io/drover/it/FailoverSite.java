package io.drover.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.connector.postgres.PostgresReplicaPair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A site pair to fail over, as an operator has it: a real PostgreSQL primary ({@code dc1}) and
 * streaming standby ({@code dr1}) on free ports, Debian's HAProxy in front (server {@code pg1} =
 * dc1 taking traffic, {@code pg2} = dr1 in maintenance), table {@link #TABLE} for a writing client,
 * and a drover.yaml naming them {@code orders-pg} and {@code orders-lb}, with service {@code orders}
 * replicated by the one and reached through the other (for site-failback). Reads the state without drover.
 */
final class FailoverSite implements AutoCloseable {
    static final String TABLE = "orders_writes";
    private static final Pattern EXECUTION = Pattern.compile("execution (\\d+): ");

    final Path dir;
    final PostgresReplicaPair pair;
    final HaproxyFront haproxy;
    final Path config;

    private FailoverSite(Path dir, PostgresReplicaPair pair, HaproxyFront haproxy, Path config) {
        this.dir = dir;
        this.pair = pair;
        this.haproxy = haproxy;
        this.config = config;
    }

    static FailoverSite start(Path dir) throws Exception {
        PostgresReplicaPair pair = PostgresReplicaPair.start();
        HaproxyFront haproxy = null;
        try {
            pair.executeOnPrimary("create table " + TABLE + " (id bigint primary key, server_port int not null,"
                    + " written_at timestamptz not null default clock_timestamp())");
            haproxy = new HaproxyFront(dir.resolve("haproxy"), pair.primaryPort(), pair.standbyPort());
            Path config = dir.resolve("drover.yaml");
            Files.writeString(config, """
                    state-dir: "%1$s/state"
                    encryption: { insecure-no-encryption: true }
                    databases:
                      orders-pg:
                        type: postgres
                        members:
                          dc1: { url: "postgresql://postgres@127.0.0.1:%2$d/%4$s", site: primary, data-dir: "%5$s" }
                          dr1: { url: "postgresql://postgres@127.0.0.1:%3$d/%4$s", site: dr, data-dir: "%6$s" }
                    traffic:
                      orders-lb: { type: haproxy, socket: "%7$s", backend: pg_rw, servers: { dc1: pg1, dr1: pg2 } }
                    services:
                      orders: { tier: 1, replicated-by: [orders-pg], traffic: [orders-lb] }
                    runbooks: [ "%1$s/runbooks" ]
                    """.formatted(dir, pair.primaryPort(), pair.standbyPort(), PostgresReplicaPair.DATABASE,
                    pair.primaryDataDirectory(), pair.standbyDataDirectory(), haproxy.socket));
            Files.createDirectories(dir.resolve("runbooks"));
            return new FailoverSite(dir, pair, haproxy, config);
        } catch (Exception | Error e) {
            if (haproxy != null) {
                haproxy.close();
            }
            pair.close();
            throw e;
        }
    }

    int dc1() {
        return pair.primaryPort();
    }

    int dr1() {
        return pair.standbyPort();
    }

    WritingClient client() {
        return new WritingClient(haproxy.port, PostgresReplicaPair.DATABASE, TABLE);
    }

    static String query(int port, String sql) throws SQLException {
        try (Connection connection = connect(port);
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(sql)) {
            return row.next() ? row.getString(1) : null;
        }
    }

    static void execute(int port, String sql) throws SQLException {
        try (Connection connection = connect(port); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static Connection connect(int port) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + PostgresReplicaPair.DATABASE,
                "postgres", "");
    }

    static boolean inRecovery(int port) throws SQLException {
        return "t".equals(query(port, "select pg_is_in_recovery()"));
    }

    /** The timeline of the WAL the server writes or receives: 1 at the start, +1 per promotion. */
    static int timeline(int port) throws SQLException {
        String value = query(port, "select case when pg_is_in_recovery() then (select received_tli from pg_stat_wal_receiver)"
                + " else ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int end");
        return value == null ? -1 : Integer.parseInt(value);
    }

    /** Role, fence, timeline and replication of one server. */
    static String state(int port) throws SQLException {
        return "recovery=" + query(port, "select pg_is_in_recovery()")
                + " read-only=" + query(port, "show default_transaction_read_only")
                + " timeline=" + timeline(port)
                + " senders=" + query(port, "select count(*) from pg_stat_replication")
                + " receiver=" + query(port, "select count(*) from pg_stat_wal_receiver");
    }

    /** Both servers' state and which HAProxy servers take traffic. */
    Map<String, String> everything() throws Exception {
        Map<String, String> state = new LinkedHashMap<>();
        state.put("dc1", state(dc1()));
        state.put("dr1", state(dr1()));
        state.put("haproxy", String.valueOf(haproxy.serverStatus()));
        return state;
    }

    static Set<Long> ids(int port) throws SQLException {
        Set<Long> ids = new HashSet<>();
        try (Connection connection = connect(port);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("select id from " + TABLE)) {
            while (rows.next()) {
                ids.add(rows.getLong(1));
            }
        }
        return ids;
    }

    /** Waits until the standby on {@code standbyPort} has replayed what the primary wrote so far. */
    static void awaitReplayed(int primaryPort, int standbyPort) throws Exception {
        String target = query(primaryPort, "select pg_current_wal_insert_lsn()::text");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!"t".equals(query(standbyPort, "select pg_last_wal_replay_lsn() >= '" + target + "'::pg_lsn"))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the standby on " + standbyPort + " did not replay " + target + " within 60 s: "
                        + query(standbyPort, "select format('replayed %s, received %s, receiver %s from %s:%s, paused %s',"
                        + " pg_last_wal_replay_lsn(), pg_last_wal_receive_lsn(), (select status from pg_stat_wal_receiver),"
                        + " (select sender_host from pg_stat_wal_receiver), (select sender_port from pg_stat_wal_receiver),"
                        + " pg_is_wal_replay_paused())") + "; primary " + query(primaryPort, "select format('insert %s,"
                        + " flush %s, senders %s', pg_current_wal_insert_lsn(), pg_current_wal_flush_lsn(),"
                        + " (select string_agg(application_name || ' ' || state || ' ' || replay_lsn, '; ') from pg_stat_replication))"));
            }
            Thread.sleep(50);
        }
    }

    /** {@code drover --config drover.yaml ARGS} as its own JVM (the CLI jar), logs under {@code logs/NAME}. */
    DroverProcess drover(String name, String... args) throws Exception {
        return DroverProcess.start(config, dir.resolve("logs"), name, Map.of(), args);
    }

    /** {@code drover --config drover.yaml ARGS} in this JVM. */
    CliResult cli(String... args) {
        List<String> all = new ArrayList<>(List.of("--config", config.toString()));
        all.addAll(List.of(args));
        return DroverWorkspace.run(all.toArray(String[]::new));
    }

    static long executionId(String stdout) {
        Matcher matcher = EXECUTION.matcher(stdout);
        assertThat(matcher.find()).as("an execution id in\n%s", stdout).isTrue();
        return Long.parseLong(matcher.group(1));
    }

    @Override
    public void close() throws Exception {
        try {
            haproxy.close();
        } finally {
            pair.close();
        }
    }
}
