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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failover runbooks end to end, as an operator runs them: a real PostgreSQL primary ({@code dc1})
 * and streaming standby ({@code dr1}) started by the test, Debian's HAProxy in front of them
 * (Runtime API on its admin socket), an application writing through HAProxy without pause, and
 * the drover CLI jar running the shipped runbooks {@code pg-switchover} and {@code site-failback}.
 */
class SwitchoverIT {
    private static final Pattern EXECUTION = Pattern.compile("execution (\\d+): ");
    private static final String TABLE = "orders_writes";

    @TempDir
    Path dir;

    private PostgresReplicaPair pair;
    private HaproxyFront haproxy;
    private Path config;

    @BeforeEach
    void start() throws Exception {
        pair = PostgresReplicaPair.start();
        pair.executeOnPrimary("create table " + TABLE + " (id bigint primary key, server_port int not null,"
                + " written_at timestamptz not null default clock_timestamp())");
        haproxy = new HaproxyFront(dir.resolve("haproxy"), pair.primaryPort(), pair.standbyPort());
        config = dir.resolve("drover.yaml");
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
                runbooks: [ "%1$s/runbooks" ]
                """.formatted(dir, pair.primaryPort(), pair.standbyPort(), PostgresReplicaPair.DATABASE,
                pair.primaryDataDirectory(), pair.standbyDataDirectory(), haproxy.socket));
        Files.createDirectories(dir.resolve("runbooks"));
        Files.writeString(dir.resolve("runbooks/promote-only.yaml"), """
                name: promote-only
                parameters:
                  to: { type: string }
                steps:
                  - { id: promote, action: database-promote, with: { database: orders-pg, member: "${params.to}" } }
                """);
    }

    @AfterEach
    void stop() throws Exception {
        if (haproxy != null) {
            haproxy.close();
        }
        if (pair != null) {
            pair.close();
        }
    }

    // ---- the database and HAProxy as they are, read without drover ----------------------------------

    private static String query(int port, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/"
                + PostgresReplicaPair.DATABASE, "postgres", "");
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(sql)) {
            return row.next() ? row.getString(1) : null;
        }
    }

    private static void execute(int port, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/"
                + PostgresReplicaPair.DATABASE, "postgres", "");
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** Role, fence, WAL timeline and replication of one server, and which HAProxy servers take traffic. */
    private String state(int port) throws SQLException {
        return "recovery=" + query(port, "select pg_is_in_recovery()")
                + " read-only=" + query(port, "show default_transaction_read_only")
                + " timeline=" + timeline(port)
                + " senders=" + query(port, "select count(*) from pg_stat_replication")
                + " receiver=" + query(port, "select count(*) from pg_stat_wal_receiver");
    }

    private Map<String, String> everything() throws Exception {
        Map<String, String> state = new LinkedHashMap<>();
        state.put("dc1", state(pair.primaryPort()));
        state.put("dr1", state(pair.standbyPort()));
        state.put("haproxy", String.valueOf(haproxy.serverStatus()));
        return state;
    }

    /** The timeline of the WAL the server writes or replays: 1 at the start, +1 per promotion. */
    private static int timeline(int port) throws SQLException {
        String sql = "select case when pg_is_in_recovery() then (select received_tli from pg_stat_wal_receiver)"
                + " else ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int end";
        String value = query(port, sql);
        return value == null ? -1 : Integer.parseInt(value);
    }

    private Set<Long> ids(int port) throws SQLException {
        Set<Long> ids = new HashSet<>();
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/"
                + PostgresReplicaPair.DATABASE, "postgres", "");
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("select id from " + TABLE)) {
            while (rows.next()) {
                ids.add(rows.getLong(1));
            }
        }
        return ids;
    }

    private static void awaitReplayed(int primaryPort, int standbyPort) throws Exception {
        String target = query(primaryPort, "select pg_current_wal_insert_lsn()::text");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!"true".equals(query(standbyPort, "select pg_last_wal_replay_lsn() >= '" + target + "'::pg_lsn"))) {
            assertThat(System.nanoTime()).as("standby on %d replays %s", standbyPort, target).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    // ---- the CLI ------------------------------------------------------------------------------------

    private DroverProcess drover(String name, String... args) throws Exception {
        return DroverProcess.start(config, dir.resolve("logs"), name, Map.of(), args);
    }

    private CliResult cli(String... args) {
        List<String> all = new ArrayList<>(List.of("--config", config.toString()));
        all.addAll(List.of(args));
        return DroverWorkspace.run(all.toArray(String[]::new));
    }

    private static long executionId(String stdout) {
        Matcher matcher = EXECUTION.matcher(stdout);
        assertThat(matcher.find()).as("an execution id in\n%s", stdout).isTrue();
        return Long.parseLong(matcher.group(1));
    }

    // ---- the tests ----------------------------------------------------------------------------------

    @Test
    void aSwitchoverUnderContinuousWritesLosesNoAcknowledgedWriteAndAFailbackReturnsWithoutLoss() throws Exception {
        Set<Long> acknowledged;
        try (WritingClient client = new WritingClient(haproxy.port, PostgresReplicaPair.DATABASE, TABLE)) {
            client.awaitMoreAcks(200, Duration.ofSeconds(30));

            // The plan changes nothing, and shows why a promotion now would be refused.
            Map<String, String> before = everything();
            CliResult plan = cli("runbook", "plan", "pg-switchover", "--param", "database=orders-pg", "--param",
                    "traffic=orders-lb", "--param", "to=dr1");
            assertThat(plan.exitCode()).as(plan.toString()).isZero();
            assertThat(plan.out()).contains("sync", "fence dc1", "rejoin dc1", "FAIL", "split-brain guard");
            assertThat(everything()).as("the state after the plan").isEqualTo(before);
            System.out.println("SwitchoverIT plan:\n" + plan.out());

            // Promoting while dc1 still takes writes is refused, and nothing changes.
            CliResult refused = cli("runbook", "run", "promote-only", "--param", "to=dr1", "--yes");
            assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(6);
            assertThat(refused.all()).contains("refusing to promote dr1: dc1", "is reachable and writable and not fenced");
            assertThat(everything()).as("the state after the refused promotion").isEqualTo(before);

            // The switchover, with the client writing through HAProxy all along.
            long started = System.nanoTime();
            DroverProcess run = drover("switchover", "runbook", "run", "pg-switchover", "--param", "database=orders-pg",
                    "--param", "traffic=orders-lb", "--param", "to=dr1", "--yes");
            int exit = run.waitFor(Duration.ofMinutes(3));
            assertThat(exit).as(run.log()).isZero();
            long finished = System.nanoTime();
            client.awaitMoreAcks(200, Duration.ofSeconds(30));

            WritingClient.Ack firstOnDr1 = client.firstAckOn(pair.standbyPort(), started).orElseThrow();
            WritingClient.Ack lastOnDc1 = client.lastAckOn(pair.primaryPort()).orElseThrow();
            System.out.printf("SwitchoverIT: pg-switchover took %d ms (CLI start to exit, incl. rejoin); traffic on the new"
                            + " primary %d ms after the start; writes refused for %d ms (last ack on dc1 to first on dr1);"
                            + " %d client errors retried%n", (finished - started) / 1_000_000,
                    (firstOnDr1.nanos() - started) / 1_000_000, (firstOnDr1.nanos() - lastOnDc1.nanos()) / 1_000_000,
                    client.failures());
            assertThat(lastOnDc1.nanos()).isLessThan(firstOnDr1.nanos());
            assertThat(haproxy.serving()).containsExactly("pg2");
            assertThat(query(pair.standbyPort(), "select pg_is_in_recovery()")).isEqualTo("f");
            assertThat(query(pair.primaryPort(), "select pg_is_in_recovery()")).as("dc1 rejoined as a standby").isEqualTo("t");
            assertThat(timeline(pair.standbyPort())).as("dr1 promoted once").isEqualTo(2);

            // Failback to dc1, still under writes.
            long failbackStarted = System.nanoTime();
            DroverProcess back = drover("failback", "runbook", "run", "site-failback", "--param", "database=orders-pg",
                    "--param", "from=dr1", "--param", "to=dc1", "--param", "traffic=orders-lb", "--yes");
            assertThat(back.waitFor(Duration.ofMinutes(3))).as(back.log()).isZero();
            client.awaitMoreAcks(200, Duration.ofSeconds(30));
            WritingClient.Ack backOnDc1 = client.firstAckOn(pair.primaryPort(), failbackStarted).orElseThrow();
            System.out.printf("SwitchoverIT: site-failback took %d ms; traffic on dc1 again %d ms after its start%n",
                    (System.nanoTime() - failbackStarted) / 1_000_000, (backOnDc1.nanos() - failbackStarted) / 1_000_000);
            assertThat(haproxy.serving()).containsExactly("pg1");
            assertThat(query(pair.primaryPort(), "select pg_is_in_recovery()")).isEqualTo("f");
            assertThat(query(pair.standbyPort(), "select pg_is_in_recovery()")).as("dr1 rejoined as a standby").isEqualTo("t");
            assertThat(timeline(pair.primaryPort())).as("dc1 promoted once").isEqualTo(3);
            client.close();
            acknowledged = client.acknowledgedIds();
        }
        awaitReplayed(pair.primaryPort(), pair.standbyPort());
        Set<Long> onDc1 = ids(pair.primaryPort());
        Set<Long> onDr1 = ids(pair.standbyPort());
        assertThat(onDc1).as("every acknowledged write is on dc1").containsAll(acknowledged);
        assertThat(onDc1).as("dc1 == dr1").isEqualTo(onDr1);
        System.out.println("SwitchoverIT: " + onDc1.size() + " rows on both members after the failback");
    }

    /** Where to SIGKILL a run: when its output shows {@code line}, after {@code delayMillis}; {@code then} runs before the resume. */
    private record KillPoint(String line, long delayMillis, SqlStep then) {
        static KillPoint at(String line) {
            return new KillPoint(line, 0, () -> { });
        }
    }

    @FunctionalInterface
    private interface SqlStep {
        void run() throws Exception;
    }

    /**
     * Starts {@code drover runbook ARGS} and kills it with SIGKILL at each point in turn, resuming the
     * execution after every kill; the last resume runs to the end. Returns every process's output.
     */
    private List<String> runKilledAt(String name, List<KillPoint> points, String... args) throws Exception {
        List<String> outputs = new ArrayList<>();
        DroverProcess process = drover(name + "-0", args);
        long execution = -1;
        int round = 0;
        for (KillPoint point : points) {
            process.awaitStdout(point.line(), Duration.ofMinutes(2));
            Thread.sleep(point.delayMillis());
            process.sigkill();
            assertThat(process.waitFor(Duration.ofSeconds(30))).isEqualTo(DroverProcess.SIGKILL_EXIT);
            outputs.add(process.stdout());
            if (execution < 0) {
                execution = executionId(process.stdout());
            }
            System.out.println("SwitchoverIT: " + name + " killed at '" + point.line() + "' + " + point.delayMillis() + " ms");
            point.then().run();
            process = drover(name + "-" + (++round), "runbook", "resume", String.valueOf(execution));
        }
        int exit = process.waitFor(Duration.ofMinutes(3));
        outputs.add(process.stdout());
        assertThat(exit).as(process.log()).isZero();
        return outputs;
    }

    private static long promotions(List<String> outputs) {
        return outputs.stream().flatMap(String::lines).filter(l -> l.contains("[promote] succeeded in")).count();
    }

    @Test
    void killedAtEveryStepBoundaryAndMidStepThenResumedEndsAsAnUninterruptedRunWithOnePromotionEach() throws Exception {
        try (WritingClient client = new WritingClient(haproxy.port, PostgresReplicaPair.DATABASE, TABLE)) {
            client.awaitMoreAcks(100, Duration.ofSeconds(30));
            List<String> switchover = runKilledAt("switchover", List.of(
                    KillPoint.at("[before] succeeded"),
                    new KillPoint("[sync] succeeded", 0,
                            () -> execute(pair.standbyPort(), "select pg_wal_replay_pause()")),
                    // replay is paused: the catch-up after the fence waits, and is killed while it waits
                    new KillPoint("[catch-up] running", 500,
                            () -> execute(pair.standbyPort(), "select pg_wal_replay_resume()")),
                    KillPoint.at("[catch-up] succeeded"),
                    KillPoint.at("[promote] succeeded"),
                    KillPoint.at("[traffic] succeeded"),
                    new KillPoint("[rejoin] running", 1500, () -> { })),
                    "runbook", "run", "pg-switchover", "--param", "database=orders-pg", "--param", "traffic=orders-lb",
                    "--param", "to=dr1", "--yes");
            client.awaitMoreAcks(100, Duration.ofSeconds(30));
            assertThat(promotions(switchover)).as("dr1 promoted by exactly one process").isEqualTo(1);
            assertThat(timeline(pair.standbyPort())).as("dr1 promoted once").isEqualTo(2);
            assertThat(query(pair.standbyPort(), "select pg_is_in_recovery()")).isEqualTo("f");
            assertThat(query(pair.primaryPort(), "select pg_is_in_recovery()")).as("dc1 rejoined").isEqualTo("t");
            assertThat(haproxy.serving()).containsExactly("pg2");

            List<String> failback = runKilledAt("failback", List.of(
                    KillPoint.at("[sync] succeeded"),
                    KillPoint.at("[fence] succeeded"),
                    KillPoint.at("[catch-up] succeeded"),
                    KillPoint.at("[promote] succeeded"),
                    KillPoint.at("[traffic] succeeded"),
                    new KillPoint("[rejoin] running", 1500, () -> { })),
                    "runbook", "run", "site-failback", "--param", "database=orders-pg", "--param", "from=dr1",
                    "--param", "to=dc1", "--param", "traffic=orders-lb", "--yes");
            client.awaitMoreAcks(100, Duration.ofSeconds(30));
            assertThat(promotions(failback)).as("dc1 promoted by exactly one process").isEqualTo(1);
            assertThat(timeline(pair.primaryPort())).as("dc1 promoted once more").isEqualTo(3);
            assertThat(query(pair.primaryPort(), "select pg_is_in_recovery()")).isEqualTo("f");
            assertThat(query(pair.standbyPort(), "select pg_is_in_recovery()")).as("dr1 rejoined").isEqualTo("t");
            assertThat(haproxy.serving()).containsExactly("pg1");
            client.close();
            awaitReplayed(pair.primaryPort(), pair.standbyPort());
            Set<Long> onDc1 = ids(pair.primaryPort());
            assertThat(onDc1).containsAll(client.acknowledgedIds());
            assertThat(ids(pair.standbyPort())).isEqualTo(onDc1);
            System.out.println("SwitchoverIT: after 13 kills, " + client.acknowledgedIds().size()
                    + " acknowledged writes, all on both members; " + client.failures() + " client errors retried");
        }
    }
}
