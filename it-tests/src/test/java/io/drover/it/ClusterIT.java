package io.drover.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.core.testing.TestingPostgres;
import io.drover.it.RunLedger.Run;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three {@code drover serve} nodes sharing one PostgreSQL catalog with {@code clustered: true}.
 * Every {@link #KILL_EVERY} the node running the slow backup is killed with SIGKILL mid-job and
 * restarted. Every fire must complete exactly once, interrupted fires must be recovered, and no job
 * may ever run on two nodes at once. Length: {@code -Ddrover.it.clusterSeconds} (CI 90 s; the
 * issue's 10 minutes with bench/soak.sh).
 */
class ClusterIT {
    private static final Duration RUN = Duration.ofSeconds(Long.getLong("drover.it.clusterSeconds", 90));
    private static final Duration KILL_EVERY = Duration.ofSeconds(Long.getLong("drover.it.killEverySeconds", 20));
    private static final Duration RESTART_AFTER = Duration.ofSeconds(15);
    private static final List<String> NODES = List.of("n1", "n2", "n3");

    @TempDir
    Path dir;

    private TestingPostgres postgres;
    private final Map<String, DroverProcess> running = new HashMap<>();

    @BeforeEach
    void database() throws Exception {
        postgres = TestingPostgres.create();
    }

    @AfterEach
    void stopAll() throws Exception {
        running.values().forEach(DroverProcess::close);
        if (postgres != null) {
            postgres.close();
        }
    }

    private Path config(String node) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path config = dir.resolve(node + ".yaml");
        // Each node has its own state directory, as on separate machines; the repository is shared.
        Files.writeString(config, """
                state-dir: %1$s/state-%2$s
                catalog: { url: "%3$s", clustered: true }
                encryption: { insecure-no-encryption: true }
                targets:
                  shared: { type: local, path: %1$s/repo, fsync: false }
                sources:
                  big: { type: files, paths: [%1$s/big] }
                  small: { type: files, paths: [%1$s/small] }
                jobs:
                  big: { source: big, targets: [shared], full-every: 1, compression: { level: 19, workers: 1 },
                         schedule: { cron: "0/10 * * * * ?" } }
                  small: { source: small, targets: [shared], schedule: { cron: "0/3 * * * * ?" } }
                services:
                  app: { rpo: 1h, protected-by: [big, small] }
                rpo-tracking: { interval: 10s }
                serve: { listen: "127.0.0.1:%4$d", threads: 3, shutdown-grace: 1s }
                """.formatted(dir, node, postgres.url(), port));
        return config;
    }

    @Test
    void killedNodesJobsAreRecoveredAndEveryFireRunsExactlyOnceNeverOnTwoNodes() throws Exception {
        byte[] random = new byte[24 << 20];
        new Random(42).nextBytes(random);
        Files.createDirectories(dir.resolve("big"));
        Files.write(dir.resolve("big/random.bin"), random);
        Files.createDirectories(dir.resolve("small"));
        Files.writeString(dir.resolve("small/a.txt"), "small");
        Map<String, Path> configs = new HashMap<>();
        for (String node : NODES) {
            configs.put(node, config(node));
        }
        CliResult init = DroverWorkspace.run("--config", configs.get("n1").toString(), "init");
        assertThat(init.exitCode()).as(init.toString()).isZero();

        int generation = 0;
        for (String node : NODES) {
            start(node, configs.get(node), generation);
        }
        Map<String, List<Instant>> kills = new HashMap<>();
        List<Long> killedMidJob = new ArrayList<>();
        Instant end = Instant.now().plus(RUN);
        Instant nextKill = Instant.now().plus(KILL_EVERY);
        while (Instant.now().isBefore(end)) {
            // No kill in the last 30 s: every interrupted fire must have time to be recovered.
            if (Instant.now().isAfter(nextKill) && Instant.now().isBefore(end.minusSeconds(30))) {
                generation++;
                Optional<Run> victim = runningBigBackup(configs.get("n1"), Duration.ofSeconds(20));
                if (victim.isPresent()) {
                    String node = victim.get().node();
                    running.get(node).sigkill();
                    kills.computeIfAbsent(node, n -> new ArrayList<>()).add(Instant.now());
                    running.get(node).waitFor(Duration.ofSeconds(30));
                    // Still RUNNING in the catalog after its process died: the kill hit the job mid-way.
                    RunLedger.read(configs.get("n1")).runs().stream()
                            .filter(r -> r.id() == victim.get().id() && r.status().equals("RUNNING"))
                            .forEach(r -> killedMidJob.add(r.id()));
                    // Down long enough for the others to notice (Quartz check-in every 5 s) and take over.
                    Thread.sleep(RESTART_AFTER.toMillis());
                    start(node, configs.get(node), generation);
                }
                // The cadence counts from the kill, not from the restart.
                nextKill = nextKill.plus(KILL_EVERY).isAfter(Instant.now()) ? nextKill.plus(KILL_EVERY) : Instant.now();
            }
            Thread.sleep(200);
        }
        // A clean stop of the whole cluster, as an operator does it: pause the jobs, let what runs
        // finish, then stop the nodes (a fire cut off by stopping every node is only recovered when
        // a node starts again, which this test does not wait for).
        for (String key : List.of("backup:big", "backup:small")) {
            CliResult paused = DroverWorkspace.run("--config", configs.get("n1").toString(), "jobs", "pause", key);
            assertThat(paused.exitCode()).as(paused.toString()).isZero();
        }
        long idleBy = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (RunLedger.read(configs.get("n1")).runs().stream().anyMatch(r -> r.status().equals("RUNNING")
                && !r.job().equals("rpo")) && System.nanoTime() < idleBy) {
            Thread.sleep(200);
        }
        for (DroverProcess process : running.values()) {
            process.sigterm();
        }
        for (DroverProcess process : running.values()) {
            process.waitFor(Duration.ofSeconds(60));
        }
        RunLedger ledger = RunLedger.read(configs.get("n1"));
        System.out.println("ClusterIT: " + RUN.toSeconds() + " s, " + killedMidJob.size() + " nodes killed mid-job, runs by job and"
                + " status: " + ledger.summary() + ", recovered: " + ledger.runs().stream().filter(Run::recovering).count());
        System.out.println("kills: " + kills + "\n" + ledger.describe());
        // A kill every KILL_EVERY, but not before the last victim is back (RESTART_AFTER plus start-up),
        // nor in the last 30 s; now and then the backup ends just before the signal lands.
        long cadence = Math.max(KILL_EVERY.toSeconds(), RESTART_AFTER.toSeconds() + 10);
        assertThat(killedMidJob).as("nodes killed mid-job")
                .hasSizeGreaterThanOrEqualTo((int) Math.max(1, (RUN.toSeconds() - 30) / cadence - 2));
        ledger.assertEveryFireCompletedExactlyOnce();
        ledger.assertNoOverlaps(kills);

        List<Run> interrupted = ledger.runs().stream().filter(r -> r.status().equals("INTERRUPTED")).toList();
        assertThat(interrupted).extracting(Run::id).as("runs interrupted by the kills").containsAll(killedMidJob);
        for (Run lost : interrupted) {
            assertThat(ledger.of(lost.job())).as("recovery of %s", lost).anySatisfy(r -> {
                assertThat(r.scheduledAt()).isEqualTo(lost.scheduledAt());
                assertThat(r.status()).isEqualTo("SUCCEEDED");
                assertThat(r.startedAt()).isAfter(lost.startedAt());
            });
        }
        assertThat(ledger.runs()).as("a recovered run is marked as such").anyMatch(Run::recovering);
        // The killed node was down for a while: another node recovered its job.
        assertThat(interrupted).as("interrupted runs recovered by another node").anySatisfy(lost ->
                assertThat(ledger.of(lost.job())).anyMatch(r -> r.recovering() && r.scheduledAt().equals(lost.scheduledAt())
                        && !r.node().equals(lost.node())));
        // The work was shared: more than one node ran backups.
        assertThat(ledger.of("backup:small").stream().map(Run::node).distinct().count()).isGreaterThan(1);
        assertThat(ledger.of("backup:big").stream().filter(r -> r.status().equals("SUCCEEDED")).count())
                .isGreaterThanOrEqualTo(RUN.toSeconds() / 20);
    }

    private void start(String node, Path config, int generation) throws Exception {
        DroverProcess process = DroverProcess.start(config, dir.resolve("logs"), node + "-" + generation, Map.of(),
                "serve", "--node-id", node);
        running.put(node, process);
        process.awaitStdout("metrics and health", Duration.ofSeconds(90));
    }

    /** The slow backup while it runs (some node holds it), or empty if none starts in time. */
    private static Optional<Run> runningBigBackup(Path config, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Run> run = RunLedger.read(config).of("backup:big").stream()
                    .filter(r -> r.status().equals("RUNNING")).findFirst();
            if (run.isPresent()) {
                Thread.sleep(50); // inside the backup, which now takes about a second (reading the ledger takes longer)
                return run;
            }
            Thread.sleep(100);
        }
        return Optional.empty();
    }
}
