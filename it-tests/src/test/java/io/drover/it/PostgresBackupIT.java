package io.drover.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.core.alert.WebhookReceiver;
import io.drover.core.crypto.AgeKeys;
import io.drover.core.repository.Json;
import io.drover.core.spi.SecretScanner;
import io.drover.core.testing.TestServices;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * PostgreSQL backups end to end against the machine's real server: a pgbench database (scale 10)
 * backed up to S3 and SFTP by the real CLI jar in a child JVM, restore-tested on both into
 * temporary instances with row-count, query and canary checks, scratch instances gone afterwards,
 * the password never in a child's argv or environment, a log or the catalog. A damaged stored
 * part fails the scheduled restore test and alerts.
 */
class PostgresBackupIT {
    private static final AdminSql ADMIN = new AdminSql("jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres");

    @TempDir
    Path dir;

    private final String suffix = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    private final String database = "drover_it_bench_" + suffix;
    private final String role = "drover_it_" + suffix;
    private final String password = "canary-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    private Path passwordFile;
    private AgeKeys.GeneratedKey key;
    private Path keyFile;

    @BeforeEach
    void createDatabase() throws Exception {
        TestServices.requireService("PostgreSQL on 127.0.0.1:5432", ADMIN.reachable(),
                "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start");
        ADMIN.execute("create role " + role + " login password '" + password + "'");
        ADMIN.execute("create database " + database + " owner " + role);
        passwordFile = dir.resolve("pg-password");
        Files.createFile(passwordFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(passwordFile, password);
        key = AgeKeys.generate();
        keyFile = dir.resolve("key.txt");
        Files.writeString(keyFile, key.identityFile(Instant.now()));
    }

    @AfterEach
    void dropDatabase() throws Exception {
        if (ADMIN.reachable()) {
            ADMIN.execute("drop database if exists " + database + " with (force)");
            ADMIN.execute("drop role if exists " + role);
        }
    }

    /** Runs pgbench as the test role over TCP; the password reaches it through a 0600 pass file. */
    private void pgbench(String... args) throws Exception {
        Path passFile = dir.resolve("pgpass");
        Files.writeString(passFile, "127.0.0.1:5432:*:" + role + ":" + password + "\n");
        Files.setPosixFilePermissions(passFile, PosixFilePermissions.fromString("rw-------"));
        List<String> command = new ArrayList<>(List.of("pgbench", "-h", "127.0.0.1", "-p", "5432", "-U", role));
        command.addAll(List.of(args));
        command.add(database);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("pgbench.log").toFile());
        builder.environment().put("PGPASSFILE", passFile.toString());
        Process process = builder.start();
        assertThat(process.waitFor()).as(Files.readString(dir.resolve("pgbench.log"))).isZero();
    }

    private String config(String targets, String jobs) {
        return """
                state-dir: "%1$s/state"
                encryption:
                  recipients: [%2$s]
                  identity: "${file:%3$s}"
                targets:
                %4$s
                sources:
                  bench: { type: postgres, url: "postgresql://%5$s@127.0.0.1:5432/%6$s", password: "${file:%7$s}", canary: true }
                jobs:
                %8$s
                services:
                  bench: { tier: 1, rpo: 1h, protected-by: [bench-db] }
                """.formatted(dir, key.recipient(), keyFile, targets.stripTrailing(), role, database, passwordFile,
                jobs.stripTrailing());
    }

    @Test
    void aPgbenchDatabaseGoesToS3AndSftpAndRestoreTestsPassOnBothWithoutLeakingThePassword() throws Exception {
        pgbench("-i", "-s", "10", "-q");
        pgbench("-c", "2", "-t", "200");
        Path logs = Files.createDirectories(dir.resolve("logs"));
        try (OffsiteServers servers = OffsiteServers.start(dir.resolve("servers"))) {
            Path config = dir.resolve("drover.yaml");
            Files.writeString(config, config(servers.targetsYaml("bench"), """
                      bench-db:
                        source: bench
                        targets: [s3, sftp]
                        verify:
                          restore:
                            checks:
                              - { sql: "select count(*) > 0 from pgbench_accounts" }
                              - { sql: "select count(*) from pgbench_accounts", expect: "1000000" }
                              - { table: pgbench_history, min-rows: 400 }
                              - { canary: true }
                """));
            DroverRunner drover = new DroverRunner(logs, servers.environment(), List.of("-Xmx512m"));
            List<String> sightings;
            DroverRunner.Run backup;
            DroverRunner.Run verify;
            try (SecretScanner scanner = new SecretScanner(password)) {
                assertThat(drover.run(Duration.ofMinutes(2), "init", "--config", config.toString(), "init").exitCode()).isZero();
                backup = drover.run(Duration.ofMinutes(5), "backup", "--config", config.toString(), "backup", "run", "bench-db");
                assertThat(backup.exitCode()).as(drover.log("backup")).isZero();
                verify = drover.run(Duration.ofMinutes(10), "verify", "--config", config.toString(), "verify", "latest",
                        "--job", "bench-db", "--level", "restore");
                scanner.close();
                assertThat(scanner.scans()).isPositive();
                sightings = scanner.sightings();
            }
            System.out.println("PostgresBackupIT: backup " + backup.elapsed().toMillis() + " ms, restore tests on S3 and SFTP "
                    + verify.elapsed().toMillis() + " ms\n" + verify.out());
            assertThat(sightings).as("the password in a process's argv or environment").isEmpty();
            assertThat(verify.exitCode()).as(drover.log("verify")).isZero();
            assertThat(verify.out()).contains("ok   ").contains(" on s3: restore").contains(" on sftp: restore")
                    .contains("pass sql: select count(*) from pgbench_accounts = 1000000")
                    .contains("pass table pgbench_history has at least 400 rows")
                    .contains("pass canary").contains("proven recovery point: data up to")
                    .contains("loaded into temporary PostgreSQL");

            // Scratch instances and work files are gone; nothing was created on the source server.
            assertThat(ADMIN.column("select datname from pg_database where datname like 'drover_verify_%'")).isEmpty();
            try (Stream<Path> left = Files.list(dir.resolve("state/tmp"))) {
                assertThat(left).isEmpty();
            }
            assertThat(scratchPostmasters()).isEmpty();

            // The restore test's results are in the catalog, per recovery point.
            DroverRunner.Run statusRun = drover.run(Duration.ofMinutes(1), "status", "--config", config.toString(), "--output",
                    "json", "status");
            assertThat(statusRun.exitCode()).as(drover.log("status")).isZero();
            JsonNode status = Json.MAPPER.readTree(statusRun.out());
            JsonNode restoreTest = status.get(0).get("lastRestoreTest");
            assertThat(restoreTest.get("outcome").asString()).isEqualTo("PASSED");
            assertThat(restoreTest.get("checks")).hasSize(4);
            assertThat(restoreTest.get("provenAt").asString()).isNotEmpty();
            assertThat(restoreTest.get("restoreSeconds").asDouble()).isPositive();

            // No password in any log or in the catalog's files.
            assertThat(AdminSql.filesContaining(password, dir.resolve("state"), logs)).isEmpty();
        }
    }

    @Test
    void aDamagedStoredPartFailsTheScheduledRestoreTestAndAlerts() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + database + "?user=postgres");
             Statement s = c.createStatement()) {
            s.execute("create table orders (id int primary key, note text)");
            s.execute("insert into orders select g, md5(g::text) from generate_series(1, 20000) g");
            s.execute("alter table orders owner to " + role);
        }
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            int port;
            try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            Path config = dir.resolve("drover.yaml");
            Files.writeString(config, config("  local: { type: local, path: \"" + dir.resolve("repo") + "\", fsync: false }",
                    """
                      bench-db:
                        source: bench
                        targets: [local]
                        verify: { restore: { cron: "0/4 * * * * ?", checks: [ { table: orders, min-rows: 20000 } ] } }
                    """) + """
                    alerts:
                      webhook: { url: "%s" }
                    serve: { listen: "127.0.0.1:%d", shutdown-grace: 30s }
                    """.formatted(receiver.url("/hook"), port));
            assertThat(DroverWorkspace.run("--config", config.toString(), "init").exitCode()).isZero();
            CliResult backup = DroverWorkspace.run("--config", config.toString(), "backup", "run", "bench-db");
            assertThat(backup.exitCode()).as(backup.toString()).isZero();
            Path part;
            try (Stream<Path> files = Files.walk(dir.resolve("repo"))) {
                part = files.filter(p -> p.getFileName().toString().contains("part")).filter(Files::isRegularFile)
                        .findFirst().orElseThrow();
            }
            byte[] bytes = Files.readAllBytes(part);
            bytes[bytes.length / 2] ^= 0x01;
            Files.write(part, bytes);

            try (DroverProcess serve = DroverProcess.start(config, dir.resolve("logs"), "serve", Map.of(), "serve",
                    "--run-for", "10s")) {
                assertThat(serve.waitFor(Duration.ofMinutes(2))).as(serve.log()).isZero();
            }
            List<Map<?, ?>> alerts = new ArrayList<>();
            for (var received : receiver.received()) {
                alerts.add(Json.MAPPER.readValue(received.body(), Map.class));
            }
            assertThat(alerts).anySatisfy(alert -> {
                assertThat(alert.get("kind")).isEqualTo("JOB_FAILED");
                assertThat(alert.get("job")).isEqualTo("verify-restore:bench-db");
                assertThat((String) alert.get("error")).contains("restore verification failed for").contains("on local");
            });
            CliResult verify = DroverWorkspace.run("--config", config.toString(), "verify", "latest", "--job", "bench-db",
                    "--level", "restore");
            assertThat(verify.exitCode()).as(verify.toString()).isNotZero();
            assertThat(verify.out()).contains("FAIL");
        }
    }

    @Test
    void aClientOlderThanTheServerIsRefusedNamingBothVersions() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("old-client"));
        for (String tool : List.of("pg_dump", "pg_dumpall", "pg_restore")) {
            Path script = bin.resolve(tool);
            Files.writeString(script, "#!/bin/sh\necho '" + tool + " (PostgreSQL) 11.22'\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Path config = dir.resolve("drover.yaml");
        Files.writeString(config, config("  local: { type: local, path: \"" + dir.resolve("repo") + "\", fsync: false }",
                "  bench-db: { source: bench, targets: [local] }").replace("canary: true }",
                "canary: true, client-bin: \"" + bin + "\" }"));
        assertThat(DroverWorkspace.run("--config", config.toString(), "init").exitCode()).isZero();
        CliResult backup = DroverWorkspace.run("--config", config.toString(), "backup", "run", "bench-db");
        assertThat(backup.exitCode()).as(backup.toString()).isEqualTo(6);
        assertThat(backup.err()).contains("pg_dump 11").contains("older than the PostgreSQL 15 server")
                .doesNotContain("Exception");
        assertThat(Json.MAPPER.readTree(DroverWorkspace.run("--config", config.toString(), "--output", "json", "backup",
                "list").out())).isEmpty();
    }

    /** postmaster processes started from a drover work directory (a scratch instance left running). */
    private static List<String> scratchPostmasters() throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path process : processes.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String command = new String(Files.readAllBytes(process.resolve("cmdline")), StandardCharsets.UTF_8)
                            .replace('\0', ' ');
                    // A postmaster's argv names its binary; "postgres: ..." is a backend's title, e.g. another
                    // test's session on the machine's own server in a database named drover_test_*.
                    if (command.contains("postgres") && command.contains("drover") && !command.startsWith("postgres: ")) {
                        found.add(command);
                    }
                } catch (IOException e) {
                    // the process ended
                }
            }
        }
        return found;
    }

}
