package io.drover.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.connector.postgres.PostgresReplicaPair;
import io.drover.core.alert.WebhookReceiver;
import io.drover.core.repository.Json;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Replica RPO end to end: a real PostgreSQL primary and streaming standby started by the test,
 * {@code drover serve} writing heartbeats every second; while the standby's replay is paused the
 * lag {@code drover status} reports stays within a second of the truth, the replica RPO goes
 * OK → AT_RISK → BREACHED, and back to OK when replay resumes, each change alerted once.
 */
class ReplicationIT {
    @TempDir
    Path dir;

    @Test
    void pausedReplicationIsMeasuredWithinASecondAndDrivesTheReplicaRpoStates() throws Exception {
        try (PostgresReplicaPair pair = PostgresReplicaPair.start(); WebhookReceiver receiver = new WebhookReceiver()) {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            Path config = dir.resolve("drover.yaml");
            Files.writeString(config, """
                    state-dir: "%1$s/state"
                    encryption: { insecure-no-encryption: true }
                    databases:
                      orders-pg:
                        type: postgres
                        members:
                          dc1: { url: "postgresql://postgres@127.0.0.1:%2$d/%4$s", site: primary }
                          dr1: { url: "postgresql://postgres@127.0.0.1:%3$d/%4$s", site: dr }
                    services:
                      orders: { tier: 1, rpo: 20s, replicated-by: [orders-pg] }
                    rpo-tracking: { replication-interval: 1s, interval: 1m }
                    alerts:
                      webhook: { url: "%5$s" }
                    serve: { listen: "127.0.0.1:%6$d" }
                    """.formatted(dir, pair.primaryPort(), pair.standbyPort(), PostgresReplicaPair.DATABASE,
                    receiver.url("/hook"), port));
            try (DroverProcess serve = DroverProcess.start(config, dir.resolve("logs"), "serve", Map.of(), "serve")) {
                serve.awaitStdout("metrics and health", Duration.ofSeconds(60));
                awaitReplica(config, "OK", Duration.ofSeconds(30));

                pair.pauseReplay();
                Instant paused = Instant.now();
                List<String> errors = new ArrayList<>();
                int compared = 0;
                long deadline = System.nanoTime() + Duration.ofSeconds(26).toNanos();
                while (System.nanoTime() < deadline) {
                    Thread.sleep(1000);
                    JsonNode standby = replica(config).get("standbys").get(0);
                    if (standby.get("lagSeconds").isNull()) {
                        continue;
                    }
                    double lag = standby.get("lagSeconds").asDouble();
                    double truth = Duration.between(paused, Instant.parse(standby.get("sampledAt").asString())).toMillis() / 1000.0;
                    if (truth > 2) { // the first samples after the pause may precede it
                        compared++;
                        if (Math.abs(lag - truth) > 1.0) {
                            errors.add(String.format("lag %.2f s vs %.2f s since the pause", lag, truth));
                        }
                    }
                }
                System.out.println("ReplicationIT: compared " + compared + " samples with the truth; off by more than 1 s: "
                        + errors);
                assertThat(compared).isGreaterThan(15);
                assertThat(errors).isEmpty();
                assertThat(replica(config).get("state").asString()).isEqualTo("BREACHED");
                assertThat(replica(config).get("standbys").get(0).get("bytesBehind").asLong()).isPositive();

                pair.resumeReplay();
                awaitReplica(config, "OK", Duration.ofSeconds(30));
                Thread.sleep(2000); // the alert of the last change is sent right after it is recorded
            }
            List<String> changes = new ArrayList<>();
            for (var received : receiver.received()) {
                Map<?, ?> alert = Json.MAPPER.readValue(received.body(), Map.class);
                if ("orders/replica".equals(alert.get("service"))) {
                    changes.add(alert.get("from") + "->" + alert.get("to"));
                }
            }
            assertThat(changes).containsExactly("OK->AT_RISK", "AT_RISK->BREACHED", "BREACHED->OK");
        }
    }

    private static JsonNode replica(Path config) {
        CliResult status = DroverWorkspace.run("--config", config.toString(), "--output", "json", "status", "--service",
                "orders");
        assertThat(status.exitCode()).as(status.toString()).isZero();
        return Json.MAPPER.readTree(status.out()).get(0).get("replica");
    }

    private static void awaitReplica(Path config, String state, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            JsonNode replica = replica(config);
            last = String.valueOf(replica);
            // null until the daemon's first sample: no replica state rather than a false alarm
            if (replica != null && !replica.isNull() && replica.get("state").asString().equals(state)) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("replica RPO not " + state + " within " + limit + ": " + last);
    }
}
