package io.drover.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.core.alert.WebhookReceiver;
import io.drover.core.repository.Json;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A service whose backups stop because its target became unreachable goes OK → AT_RISK → BREACHED
 * at the moments its RPO thresholds are passed, a webhook receives each transition once, and the
 * recovery is alerted too; all through a real {@code drover serve} process and a real HTTP receiver.
 */
class RpoAlertsIT {
    /** RPO 12 s with AT_RISK at half of it: the transitions come 6 s and 12 s after the last good backup. */
    private static final Duration RPO = Duration.ofSeconds(12);
    private static final Duration AT_RISK = Duration.ofSeconds(6);
    /** How late a transition may be alerted: evaluation wakes up when a threshold passes, plus Quartz's latency. */
    private static final Duration ALERT_LATENCY = Duration.ofSeconds(3);

    @TempDir
    Path dir;

    private WebhookReceiver receiver;

    @BeforeEach
    void start() throws Exception {
        receiver = new WebhookReceiver();
    }

    @AfterEach
    void stop() {
        receiver.close();
    }

    @Test
    void backupsStopThenRecoverAndEveryTransitionIsAlertedOnceAtTheRightTime() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("data/orders.csv"), "1,widget,9.99\n");
        Path config = dir.resolve("drover.yaml");
        Files.writeString(config, """
                state-dir: %1$s/state
                encryption: { insecure-no-encryption: true }
                targets:
                  local: { type: local, path: %1$s/repo, fsync: false, limits: { retries: 1 } }
                sources:
                  orders: { type: files, paths: [%1$s/data] }
                jobs:
                  orders: { source: orders, targets: [local], schedule: { cron: "0/2 * * * * ?" },
                            verify: { after-backup: quick } }
                services:
                  orders: { tier: 1, rpo: %2$ds, verification: quick, protected-by: [orders] }
                rpo-tracking: { at-risk-fraction: 0.5, interval: 3s }
                alerts:
                  webhook: { url: "%3$s" }
                serve: { listen: "127.0.0.1:%4$d" }
                """.formatted(dir, RPO.toSeconds(), receiver.url("/hook"), port));
        CliResult init = DroverWorkspace.run("--config", config.toString(), "init");
        assertThat(init.exitCode()).as(init.toString()).isZero();

        try (DroverProcess serve = DroverProcess.start(config, dir.resolve("logs"), "serve", Map.of(), "serve")) {
            serve.awaitStdout("metrics and health", Duration.ofSeconds(60));
            awaitAlert(a -> "OK".equals(a.get("to")), Duration.ofSeconds(30), serve);

            // The target goes away: every backup from now on fails.
            Path repo = dir.resolve("repo");
            Path away = dir.resolve("repo-unreachable");
            Files.move(repo, away);
            Instant outage = Instant.now();
            Map<?, ?> breached = awaitAlert(a -> "BREACHED".equals(a.get("to")) && !receivedAt(a).isBefore(outage),
                    RPO.plusSeconds(20), serve);
            Instant breachedReceived = receivedAt(breached);
            // Readiness says what is wrong while the target is gone.
            var health = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + port + "/health")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).as(health.body()).isEqualTo(503);
            JsonNode healthJson = Json.MAPPER.readTree(health.body());
            assertThat(healthJson.get("status").asString()).isEqualTo("DOWN");
            assertThat(healthJson.get("targets").get("local").get("ok").asBoolean()).isFalse();
            assertThat(healthJson.get("catalog").get("ok").asBoolean()).isTrue();

            // The target comes back: the next backup recovers the service.
            Files.move(away, repo);
            awaitAlert(a -> "OK".equals(a.get("to")) && receivedAt(a).isAfter(breachedReceived), Duration.ofSeconds(30),
                    serve);
            serve.sigterm();
            serve.waitFor(Duration.ofSeconds(60));
            // The history is kept for reports: every transition, newest first.
            JsonNode history = Json.MAPPER.readTree(DroverWorkspace.run("--config", config.toString(), "--output", "json",
                    "status", "--history").out());
            assertThat(history.findValuesAsString("to")).startsWith("OK", "BREACHED", "AT_RISK", "OK");

            List<Map<?, ?>> afterOutage = alerts().stream().filter(a -> !receivedAt(a).isBefore(outage)).toList();
            List<Map<?, ?>> transitions = afterOutage.stream().filter(a -> "RPO_STATE_CHANGE".equals(a.get("kind"))).toList();
            assertThat(transitions).extracting(a -> a.get("from") + "->" + a.get("to"))
                    .as("alerts after the outage\n%s", serve.log())
                    .containsExactly("OK->AT_RISK", "AT_RISK->BREACHED", "BREACHED->OK");
            // The failing job alerted once, however many of its runs failed.
            assertThat(afterOutage).filteredOn(a -> "JOB_FAILED".equals(a.get("kind"))).singleElement()
                    .satisfies(a -> assertThat((String) a.get("error")).contains("repo"));

            // The transitions are dated when the thresholds were passed, and alerted within seconds.
            Map<?, ?> atRisk = transitions.get(0);
            String lastGood = (String) atRisk.get("recoveryPoint");
            assertThat(transitions.get(1).get("recoveryPoint")).isEqualTo(lastGood);
            JsonNode point = Json.MAPPER.readTree(DroverWorkspace.run("--config", config.toString(), "--output", "json",
                    "backup", "show", lastGood).out());
            Instant capturedAt = Instant.parse(point.get("recoveryPoint").get("capturedAt").asString())
                    .truncatedTo(ChronoUnit.MICROS);
            Instant atRiskAt = Instant.parse((String) atRisk.get("at"));
            Instant breachedAt = Instant.parse((String) transitions.get(1).get("at"));
            assertThat(atRiskAt).isEqualTo(capturedAt.plus(AT_RISK));
            assertThat(breachedAt).isEqualTo(capturedAt.plus(RPO));
            assertThat(Duration.between(atRiskAt, receivedAt(atRisk))).isBetween(Duration.ZERO, ALERT_LATENCY);
            assertThat(Duration.between(breachedAt, receivedAt(transitions.get(1)))).isBetween(Duration.ZERO, ALERT_LATENCY);
            assertThat(((Number) transitions.get(1).get("achievedRpoSeconds")).longValue()).isEqualTo(RPO.toSeconds());
        }
    }

    private Map<?, ?> awaitAlert(Predicate<Map<?, ?>> wanted, Duration limit, DroverProcess serve) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            for (Map<?, ?> alert : alerts()) {
                if ("RPO_STATE_CHANGE".equals(alert.get("kind")) && wanted.test(alert)) {
                    return alert;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no such alert within " + limit + "; received: " + alerts() + "\n" + serve.log());
    }

    private List<Map<?, ?>> alerts() {
        List<Map<?, ?>> alerts = new ArrayList<>();
        for (var received : receiver.received()) {
            Map<String, Object> alert = new java.util.LinkedHashMap<>(Json.MAPPER.readValue(received.body(), Map.class));
            alert.put("receivedAt", received.receivedAt().toString());
            alerts.add(alert);
        }
        return alerts;
    }

    private static Instant receivedAt(Map<?, ?> alert) {
        return Instant.parse((String) alert.get("receivedAt"));
    }
}
