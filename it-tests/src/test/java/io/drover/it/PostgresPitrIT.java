package io.drover.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.connector.postgres.PostgresReplicaPair;
import io.drover.connector.postgres.RestoredCluster;
import io.drover.core.repository.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * PITR: WAL archived continuously while pgbench writes; a restore to a timestamp between two known
 * transactions contains the first and not the second. Through the CLI: {@code drover backup run}
 * of a {@code mode: physical} job and, repeatedly while {@code pgbench -c 2 -T 10} writes, of a
 * {@code mode: wal} job, then {@code drover restore ID --to DIR --wal-job JOB --target-time TIME};
 * the restored cluster is started and read. A target outside the restorable window is refused and
 * the window named. {@code drover verify BASE --level restore} starts the base backup in a temporary
 * instance and runs the job's checks and the canary check there.
 */
class PostgresPitrIT {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    @TempDir
    Path dir;

    @Test
    void aRestoreToATimeBetweenTwoKnownTransactionsWhilePgbenchWritesHoldsTheFirstOnly() throws Exception {
        try (PostgresReplicaPair pair = PostgresReplicaPair.start()) {
            String url = "postgresql://postgres@127.0.0.1:" + pair.primaryPort() + "/" + PostgresReplicaPair.DATABASE;
            Path config = dir.resolve("drover.yaml");
            Files.writeString(config, """
                    state-dir: "%1$s/state"
                    encryption: { insecure-no-encryption: true }
                    targets:
                      local: { type: local, path: "%1$s/repo", fsync: false }
                    sources:
                      orders-base: { type: postgres, url: "%2$s", mode: physical, canary: true }
                      orders-wal: { type: postgres, url: "%2$s", mode: wal }
                    jobs:
                      orders-base:
                        source: orders-base
                        targets: [local]
                        verify:
                          restore:
                            checks:
                              - { table: pgbench_accounts, min-rows: 100000 }
                              - { sql: "select count(*) from known", expect: "0" }
                      orders-wal: { source: orders-wal, targets: [local], schedule: { cron: "0 * * * * ?" } }
                    """.formatted(dir, url));
            ok(config, "init");
            JsonNode firstWal = json(config, "backup", "run", "orders-wal"); // creates the slot
            assertThat(firstWal.get("id").asString()).isNotEmpty();
            run("pgbench", "-i", "-s", "1", "-q", "-h", "127.0.0.1", "-p", String.valueOf(pair.primaryPort()), "-U",
                    "postgres", PostgresReplicaPair.DATABASE);
            pair.executeOnPrimary("create table known (name text primary key, at timestamptz default clock_timestamp())");
            String baseId = json(config, "backup", "run", "orders-base").get("id").asString();

            Process pgbench = new ProcessBuilder("pgbench", "-c", "2", "-T", "10", "-n", "-h", "127.0.0.1", "-p",
                    String.valueOf(pair.primaryPort()), "-U", "postgres", PostgresReplicaPair.DATABASE)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("pgbench.log").toFile()).start();
            List<String> walIds = new ArrayList<>();
            Instant between;
            try {
                Thread.sleep(2000);
                walIds.add(json(config, "backup", "run", "orders-wal").get("id").asString());
                pair.executeOnPrimary("insert into known (name) values ('first')");
                between = serverNow(pair);
                Thread.sleep(1000);
                pair.executeOnPrimary("insert into known (name) values ('second')");
                walIds.add(json(config, "backup", "run", "orders-wal").get("id").asString());
                Thread.sleep(2000);
                walIds.add(json(config, "backup", "run", "orders-wal").get("id").asString());
            } finally {
                assertThat(pgbench.waitFor(60, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(pgbench.exitValue()).as(Files.readString(dir.resolve("pgbench.log"))).isZero();
            walIds.add(json(config, "backup", "run", "orders-wal").get("id").asString());
            long transactions = Long.parseLong(PostgresReplicaPair_query(pair, "select count(*) from pgbench_history"));
            assertThat(transactions).isPositive();

            // Outside the window: refused, naming it.
            CliResult early = DroverWorkspace.run("--config", config.toString(), "restore", baseId, "--to",
                    dir.resolve("never").toString(), "--wal-job", "orders-wal", "--target-time", "2000-01-01T00:00:00Z");
            assertThat(early.exitCode()).isNotZero();
            assertThat(early.all()).contains("outside the restorable window").contains("from ");
            assertThat(dir.resolve("never")).doesNotExist();

            // The postgres user must be able to reach the restored data directory.
            Path restores = Files.createDirectory(dir.resolve("restores"), PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx--x--x")));
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
            Path data = restores.resolve("pitr");
            JsonNode restored = json(config, "restore", baseId, "--to", data.toString(), "--wal-job", "orders-wal",
                    "--target-time", between.toString());
            assertThat(restored.get("walRecoveryPoints").size()).isGreaterThanOrEqualTo(4);
            assertThat(dir.resolve("state/tmp")).isEmptyDirectory();
            try (RestoredCluster cluster = RestoredCluster.start(data, TIMEOUT)) {
                assertThat(cluster.query(PostgresReplicaPair.DATABASE, "select string_agg(name, ',' order by name) from known"))
                        .isEqualTo("first");
                long restoredTransactions = Long.parseLong(cluster.query(PostgresReplicaPair.DATABASE,
                        "select count(*) from pgbench_history"));
                assertThat(restoredTransactions).isPositive().isLessThan(transactions);
                System.out.printf("PostgresPitrIT: %d pgbench transactions archived through %d WAL runs; restored to %s:"
                        + " %d of them and 'first' only%n", transactions, walIds.size() + 1, between, restoredTransactions);
            }

            // The base backup is restore-tested: started in a temporary instance, checked, canary found.
            CliResult verify = ok(config, "verify", baseId, "--level", "restore");
            System.out.println("PostgresPitrIT: restore test of the base backup\n" + verify.out());
            assertThat(verify.out()).contains("ok   " + baseId).contains(": restore")
                    .contains("loaded into temporary PostgreSQL").contains("restored from the base backup")
                    .contains("pass table pgbench_accounts has at least 100000 rows")
                    .contains("pass sql: select count(*) from known = 0")
                    .contains("pass canary").contains("proven recovery point: data up to");
            assertThat(dir.resolve("state/tmp")).isEmptyDirectory();
            // Recorded with the recovery point: the checks and the proven canary.
            String recorded = json(config, "backup", "show", baseId).get("verifications").toString();
            assertThat(recorded).contains("restored from the base backup").contains("pgbench_accounts").contains("canary");
        }
    }

    private static String PostgresReplicaPair_query(PostgresReplicaPair pair, String sql) throws Exception {
        try (var connection = java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pair.primaryPort() + "/"
                + PostgresReplicaPair.DATABASE + "?user=postgres"); var statement = connection.createStatement();
             var rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }

    /** The primary's clock (the one commit times use), just after the first known transaction committed. */
    private static Instant serverNow(PostgresReplicaPair pair) throws Exception {
        String text = PostgresReplicaPair_query(pair,
                "select to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"+00:00\"')");
        return OffsetDateTime.parse(text).toInstant();
    }

    private static CliResult ok(Path config, String... args) {
        List<String> all = new ArrayList<>(List.of("--config", config.toString()));
        all.addAll(List.of(args));
        CliResult result = DroverWorkspace.run(all.toArray(String[]::new));
        assertThat(result.exitCode()).as("drover %s\n%s", String.join(" ", args), result).isZero();
        return result;
    }

    private static JsonNode json(Path config, String... args) {
        List<String> all = new ArrayList<>(List.of("--output", "json"));
        all.addAll(List.of(args));
        return Json.MAPPER.readTree(ok(config, all.toArray(String[]::new)).out());
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as(output).isZero();
    }
}
