package io.drover.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.core.alert.WebhookReceiver;
import io.drover.core.repository.Json;
import io.drover.it.RunLedger.Run;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TimeZone;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quartz.CronExpression;
import tools.jackson.databind.JsonNode;

/**
 * {@code drover serve} as a real process on an embedded catalog: every fire recorded exactly once,
 * no overlaps, failures alerted once, /metrics and /health scraped over HTTP, graceful SIGTERM,
 * and runs killed with SIGKILL closed and reported on the next start. The run length is
 * {@code -Ddrover.it.serveSeconds} (CI: 40 s; bench/soak.sh: 600 s).
 */
class SchedulerIT {
    private static final Duration RUN = Duration.ofSeconds(Long.getLong("drover.it.serveSeconds", 40));
    private static final String FAST = "0/3 * * * * ?";
    private static final String SLOWER = "1/4 * * * * ?";
    private static final String BROKEN = "2/5 * * * * ?";

    @TempDir
    Path dir;

    private WebhookReceiver receiver;
    private int port;

    @BeforeEach
    void setUp() throws Exception {
        receiver = new WebhookReceiver();
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Files.createDirectories(dir.resolve("data/sub"));
        for (int i = 0; i < 20; i++) {
            Files.writeString(dir.resolve("data/sub/file-" + i + ".txt"), "content " + i + "\n".repeat(i * 100));
        }
    }

    @AfterEach
    void tearDown() {
        receiver.close();
    }

    private Path config(String extraJobs, String extraSources) throws Exception {
        Path config = dir.resolve("drover.yaml");
        Files.writeString(config, """
                state-dir: %1$s/state
                encryption: { insecure-no-encryption: true }
                targets:
                  local: { type: local, path: %1$s/repo, fsync: false }
                sources:
                  data: { type: files, paths: [%1$s/data] }
                  missing: { type: files, paths: [%1$s/not-there] }
                %8$s
                jobs:
                  fast: { source: data, targets: [local], schedule: { cron: "%2$s" }, verify: { after-backup: quick } }
                  slower: { source: data, targets: [local], schedule: { cron: "%3$s" } }
                  broken: { source: missing, targets: [local], schedule: { cron: "%4$s" } }
                %5$s
                services:
                  shop: { tier: 1, rpo: 1h, verification: quick, protected-by: [fast, slower] }
                  archive: { tier: 3, rpo: 1h, protected-by: [broken] }
                rpo-tracking: { interval: 5s }
                alerts:
                  webhook: { url: "%6$s" }
                serve: { listen: "127.0.0.1:%7$d", shutdown-grace: 2s }
                """.formatted(dir, FAST, SLOWER, BROKEN, extraJobs, receiver.url("/hook"), port, extraSources));
        CliResult init = DroverWorkspace.run("--config", config.toString(), "init");
        assertThat(init.exitCode()).as(init.toString()).isZero();
        return config;
    }

    @Test
    void everyFireRunsExactlyOnceWithoutOverlapAndMetricsAndHealthTellTheTruth() throws Exception {
        Path config = config("", "");
        Instant start = Instant.now();
        try (DroverProcess serve = DroverProcess.start(config, dir.resolve("logs"), "serve", Map.of(), "serve",
                "--node-id", "it-node", "--run-for", RUN.toSeconds() + "s")) {
            serve.awaitStdout("metrics and health on http://127.0.0.1:" + port, Duration.ofSeconds(60));
            Thread.sleep(Math.min(RUN.toMillis() / 2, 20_000));

            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
            String text = metrics.body();
            assertThat(text).contains("drover_service_rpo_state{service=\"shop\",state=\"OK\"} 1.0")
                    .contains("drover_service_rpo_state{service=\"archive\",state=\"BREACHED\"} 1.0")
                    .contains("drover_service_rpo_target_seconds{service=\"shop\",tier=\"1\"} 3600.0")
                    .containsPattern("drover_service_rpo_achieved_seconds\\{service=\"shop\",tier=\"1\"} [0-9.]+")
                    .containsPattern("drover_job_last_success_seconds\\{job=\"backup:fast\"} 1\\.[0-9.]+E9")
                    .containsPattern("drover_job_failures_total\\{job=\"backup:broken\",kind=\"backup\"} [1-9][0-9]*\\.0")
                    .containsPattern("drover_job_duration_seconds_count\\{job=\"backup:fast\",kind=\"backup\",outcome=\"success\"} [1-9]")
                    .containsPattern("drover_scheduler_heartbeat_seconds 1\\.[0-9.]+E9");
            double heartbeat = Double.parseDouble(text.replaceAll("(?s).*\ndrover_scheduler_heartbeat_seconds ([0-9.E]+)\n.*", "$1"));
            assertThat(Instant.now().getEpochSecond() - heartbeat).as("heartbeat age in seconds").isBetween(-1.0, 15.0);

            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
            JsonNode healthJson = Json.MAPPER.readTree(health.body());
            assertThat(healthJson.get("status").asString()).isEqualTo("UP");
            assertThat(healthJson.get("node").asString()).isEqualTo("it-node");
            assertThat(healthJson.get("catalog").get("ok").asBoolean()).isTrue();
            assertThat(healthJson.get("targets").get("local").get("ok").asBoolean()).isTrue();

            assertThat(serve.waitFor(RUN.plusSeconds(60))).as(serve.log()).isZero();
            assertThat(serve.stdout()).contains("stopped after");
        }
        Instant end = Instant.now();

        RunLedger ledger = RunLedger.read(config);
        System.out.println("SchedulerIT: " + RUN.toSeconds() + " s, runs by job and status: " + ledger.summary());
        ledger.assertEveryFireCompletedExactlyOnce();
        ledger.assertNoOverlaps(Map.of());
        assertThat(ledger.runs()).noneMatch(Run::recovering);
        assertEveryCronFireRan(ledger.of("backup:fast"), FAST);
        assertEveryCronFireRan(ledger.of("backup:slower"), SLOWER);
        assertEveryCronFireRan(ledger.of("backup:broken"), BROKEN);
        assertThat(ledger.of("backup:fast")).allMatch(r -> r.status().equals("SUCCEEDED"), "all fast backups succeeded");
        assertThat(ledger.of("backup:broken")).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo("FAILED");
            assertThat(r.message()).contains("not-there");
        });
        assertThat(ledger.of("backup:fast").size()).isGreaterThanOrEqualTo((int) (RUN.toSeconds() / 3) - 2);
        assertThat(ledger.of("rpo")).isNotEmpty().allMatch(r -> r.status().equals("SUCCEEDED"));
        for (Run run : ledger.runs()) {
            assertThat(run.startedAt()).isBetween(start, end);
        }

        // The broken job failed the same way every time: one alert. The service it protects was
        // BREACHED from the first evaluation on: one alert. The healthy one had no backup at the very
        // first evaluation (BREACHED), then recovered with its first verified backup: one alert each.
        List<Map<?, ?>> alerts = alerts();
        assertThat(alerts).filteredOn(a -> "JOB_FAILED".equals(a.get("kind"))).singleElement()
                .satisfies(a -> assertThat(a.get("job")).isEqualTo("broken"));
        assertThat(alerts).filteredOn(a -> "RPO_STATE_CHANGE".equals(a.get("kind")))
                .extracting(a -> a.get("service") + " " + a.get("from") + "->" + a.get("to"))
                .containsExactlyInAnyOrder("archive null->BREACHED", "shop null->BREACHED", "shop BREACHED->OK");
    }

    @Test
    void sigtermStopsGracefullyAndRunsKilledBySigkillAreClosedAndReportedOnRestart() throws Exception {
        // A job that takes seconds: incompressible data at zstd's slowest level on one worker.
        Path slowData = Files.createDirectories(dir.resolve("slow"));
        byte[] random = new byte[24 << 20];
        new Random(7).nextBytes(random);
        Files.write(slowData.resolve("random.bin"), random);
        Path config = config("""
                  slow: { source: slow, targets: [local], full-every: 1, compression: { level: 19, workers: 1 },
                          schedule: { cron: "0/2 * * * * ?" } }
                """.stripTrailing(), "  slow: { type: files, paths: [" + slowData + "] }");
        Map<String, String> env = Map.of();

        try (DroverProcess first = DroverProcess.start(config, dir.resolve("logs"), "first", env, "serve", "--node-id", "n1")) {
            first.awaitStdout("metrics and health", Duration.ofSeconds(60));
            Run running = awaitRunning(config, "backup:slow");
            first.sigkill();
            assertThat(first.waitFor(Duration.ofSeconds(30))).isEqualTo(DroverProcess.SIGKILL_EXIT);

            try (DroverProcess second = DroverProcess.start(config, dir.resolve("logs"), "second", env, "serve", "--node-id",
                    "n1")) {
                second.awaitStdout("metrics and health", Duration.ofSeconds(60));
                assertThat(second.stderr()).contains("warning: run " + running.id() + " of backup:slow");
                Run closed = RunLedger.read(config).runs().stream().filter(r -> r.id() == running.id()).findFirst().orElseThrow();
                assertThat(closed.status()).isEqualTo("INTERRUPTED");
                assertThat(closed.message()).contains("stopped before the run finished");

                // SIGTERM while a slow backup runs: the grace period is 2 s, the backup takes longer.
                Run inFlight = awaitRunning(config, "backup:slow");
                second.sigterm();
                assertThat(second.waitFor(Duration.ofSeconds(60))).isEqualTo(DroverProcess.SIGTERM_EXIT);
                Run after = RunLedger.read(config).runs().stream().filter(r -> r.id() == inFlight.id()).findFirst().orElseThrow();
                assertThat(after.status()).isIn("INTERRUPTED", "SUCCEEDED");
            }
        }
        RunLedger ledger = RunLedger.read(config);
        assertThat(ledger.runs()).noneMatch(r -> r.status().equals("RUNNING"));
        ledger.assertNoOverlaps(Map.of());
        JsonNode jobs = Json.MAPPER.readTree(DroverWorkspace.run("--config", config.toString(), "--output", "json", "jobs",
                "list").out());
        assertThat(jobs.get("daemons")).isEmpty();
        // The interrupted run was reported to the webhook.
        assertThat(alerts()).anySatisfy(a -> {
            assertThat(a.get("kind")).isEqualTo("JOB_FAILED");
            assertThat(a.get("job")).isEqualTo("backup:slow");
            assertThat((String) a.get("error")).contains("interrupted");
        });
    }

    @Test
    void jobsCanBePausedResumedAndRunNowWithoutADaemon() throws Exception {
        Path config = config("", "");
        CliResult pause = DroverWorkspace.run("--config", config.toString(), "jobs", "pause", "backup:fast");
        assertThat(pause.exitCode()).as(pause.toString()).isZero();
        JsonNode list = Json.MAPPER.readTree(DroverWorkspace.run("--config", config.toString(), "--output", "json", "jobs",
                "list").out());
        assertThat(list.get("jobs").findValues("key")).extracting(JsonNode::asString)
                .contains("backup:fast", "backup:slower", "backup:broken", "rpo");
        for (JsonNode job : list.get("jobs")) {
            assertThat(job.get("state").asString()).isEqualTo(job.get("key").asString().equals("backup:fast") ? "PAUSED" : "NORMAL");
        }
        CliResult runNow = DroverWorkspace.run("--config", config.toString(), "jobs", "run-now", "backup:fast");
        assertThat(runNow.exitCode()).as(runNow.toString()).isZero();
        assertThat(runNow.out()).contains("ran here (no drover serve is running): succeeded");

        // A paused job does not fire under the daemon; after resume it does.
        try (DroverProcess serve = DroverProcess.start(config, dir.resolve("logs"), "paused", Map.of(), "serve",
                "--run-for", "8s")) {
            assertThat(serve.waitFor(Duration.ofSeconds(90))).as(serve.log()).isZero();
        }
        assertThat(RunLedger.read(config).of("backup:fast")).hasSize(1);
        assertThat(DroverWorkspace.run("--config", config.toString(), "jobs", "resume", "backup:fast").exitCode()).isZero();
        try (DroverProcess serve = DroverProcess.start(config, dir.resolve("logs"), "resumed", Map.of(), "serve",
                "--run-for", "8s")) {
            assertThat(serve.waitFor(Duration.ofSeconds(90))).as(serve.log()).isZero();
        }
        assertThat(RunLedger.read(config).of("backup:fast").size()).isGreaterThan(1);

        CliResult unknown = DroverWorkspace.run("--config", config.toString(), "jobs", "pause", "backup:nope");
        assertThat(unknown.exitCode()).isEqualTo(4);
        assertThat(unknown.err()).contains("no scheduled job 'backup:nope'").contains("backup:fast");
    }

    @Test
    void verifyAndPruneRunOnScheduleJobsShareATargetSlotAndLogsCanBeJson() throws Exception {
        Path config = dir.resolve("limits.yaml");
        Files.writeString(config, """
                state-dir: %1$s/state
                encryption: { insecure-no-encryption: true }
                targets:
                  local: { type: local, path: %1$s/repo, fsync: false, limits: { jobs: 1 } }
                sources:
                  data: { type: files, paths: [%1$s/data] }
                jobs:
                  a: { source: data, targets: [local], full-every: 1, schedule: { cron: "0/2 * * * * ?" },
                       verify: { deep: { cron: "1/3 * * * * ?" } }, retention: { keep-last: 2 } }
                  b: { source: data, targets: [local], full-every: 1, schedule: { cron: "0/2 * * * * ?" } }
                prune: { grace-period: 1s, schedule: { cron: "0/5 * * * * ?" } }
                serve: { listen: "127.0.0.1:%2$d" }
                """.formatted(dir, port));
        assertThat(DroverWorkspace.run("--config", config.toString(), "init").exitCode()).isZero();
        try (DroverProcess serve = DroverProcess.start(config, dir.resolve("logs"), "limits", Map.of(), "serve",
                "--run-for", "16s", "--log-format", "json")) {
            assertThat(serve.waitFor(Duration.ofSeconds(90))).as(serve.log()).isZero();
            // Every log line is one JSON object; the lines about a run carry its job and run ids.
            List<String> lines = serve.stderr().lines().filter(l -> !l.isBlank()).toList();
            assertThat(lines).isNotEmpty();
            List<JsonNode> json = lines.stream().map(Json.MAPPER::readTree).toList();
            assertThat(json).anySatisfy(line -> {
                assertThat(line.get("formattedMessage").asString()).startsWith("backup:a succeeded");
                assertThat(line.get("mdc").get("job").asString()).isEqualTo("backup:a");
                assertThat(line.get("mdc").get("run").asString()).matches("\\d+");
            });
        }
        RunLedger ledger = RunLedger.read(config);
        ledger.assertEveryFireCompletedExactlyOnce();
        // A verification before the job's first backup fails ("nothing to verify"); every later one passes.
        Instant firstBackup = ledger.of("backup:a").stream().filter(r -> r.status().equals("SUCCEEDED"))
                .map(r -> r.finishedAt().orElseThrow()).min(Instant::compareTo).orElseThrow();
        assertThat(ledger.of("verify-deep:a")).filteredOn(r -> r.startedAt().isAfter(firstBackup)).isNotEmpty()
                .allSatisfy(r -> {
                    assertThat(r.status()).isEqualTo("SUCCEEDED");
                    assertThat(r.message()).startsWith("deep verification passed for ");
                });
        assertThat(ledger.of("verify-deep:a")).filteredOn(r -> r.status().equals("FAILED"))
                .allMatch(r -> r.message().contains("has no recovery point yet"));
        assertThat(ledger.of("prune")).isNotEmpty().allMatch(r -> r.status().equals("SUCCEEDED"));
        // limits.jobs: 1 on the target: the two backups and the verification never ran at the same time.
        List<Run> onTarget = ledger.runs().stream().filter(r -> !r.job().equals("rpo")).sorted(
                java.util.Comparator.comparing(Run::startedAt)).toList();
        for (int i = 1; i < onTarget.size(); i++) {
            assertThat(onTarget.get(i - 1).finishedAt().orElseThrow()).as("%s before %s", onTarget.get(i - 1), onTarget.get(i))
                    .isBeforeOrEqualTo(onTarget.get(i).startedAt());
        }
        // Prune kept at most keep-last 2 of job a (plus what a running backup adds) in the catalog.
        JsonNode points = Json.MAPPER.readTree(DroverWorkspace.run("--config", config.toString(), "--output", "json",
                "backup", "list", "--job", "a").out());
        assertThat(points.size()).isBetween(1, 4);
    }

    /** Every fire the cron expression had between the first and the last recorded fire has exactly one run. */
    private static void assertEveryCronFireRan(List<Run> runs, String cron) throws Exception {
        assertThat(runs).isNotEmpty();
        CronExpression expression = new CronExpression(cron);
        expression.setTimeZone(TimeZone.getTimeZone("UTC"));
        Instant first = runs.stream().map(Run::scheduledAt).min(Instant::compareTo).orElseThrow();
        Instant last = runs.stream().map(Run::scheduledAt).max(Instant::compareTo).orElseThrow();
        List<Instant> scheduled = runs.stream().map(Run::scheduledAt).sorted().toList();
        java.util.List<Instant> expected = new java.util.ArrayList<>();
        for (Instant t = first; !t.isAfter(last); t = expression.getNextValidTimeAfter(Date.from(t)).toInstant()) {
            expected.add(t);
        }
        assertThat(scheduled).as("fires of %s", cron).containsExactlyElementsOf(expected);
    }

    private static Run awaitRunning(Path config, String job) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            var running = RunLedger.read(config).of(job).stream().filter(r -> r.status().equals("RUNNING")).findFirst();
            if (running.isPresent()) {
                // Well inside the run, which takes seconds; the RUNNING record is on disk already (durable).
                Thread.sleep(300);
                return running.get();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no run of " + job + " started within 60 s");
    }

    private List<Map<?, ?>> alerts() {
        List<Map<?, ?>> alerts = new java.util.ArrayList<>();
        for (var received : receiver.received()) {
            alerts.add(Json.MAPPER.readValue(received.body(), Map.class));
        }
        return alerts;
    }
}
