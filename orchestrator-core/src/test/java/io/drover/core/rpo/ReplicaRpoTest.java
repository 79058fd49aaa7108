package io.drover.core.rpo;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.core.app.DroverRuntime;
import io.drover.core.catalog.RpoTransition;
import io.drover.core.config.ConfigLoader;
import io.drover.core.config.DroverConfig;
import io.drover.core.connector.ConnectorRegistry;
import io.drover.core.model.RpoState;
import io.drover.core.replication.ReplicationTracker;
import io.drover.core.spi.FakeReplicatedDatabase;
import io.drover.core.testing.TestConnectors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replica RPO through core with the in-memory fake database and time moved by hand: the heartbeat
 * lag of the most current standby judged against the service's target, state changes recorded
 * under {@code <service>/replica}, stale measurements aged.
 */
class ReplicaRpoTest {
    private static final Instant T0 = Instant.parse("2026-11-27T08:00:00Z");
    static final FakeReplicatedDatabase.Cluster CLUSTER = new FakeReplicatedDatabase.Cluster();
    static MutableClock clock;

    /** Config of the fake {@code fakedb} database. */
    record FakeConfig(String name) {
    }

    @TempDir
    Path dir;

    private DroverRuntime runtime() throws Exception {
        clock = new MutableClock(T0);
        CLUSTER.resume();
        Path file = dir.resolve("drover.yaml");
        Files.writeString(file, """
                state-dir: %s/state
                encryption: { insecure-no-encryption: true }
                databases:
                  orders-db: { type: fakedb, name: orders }
                services:
                  orders: { tier: 1, rpo: 1m, replicated-by: [orders-db] }
                  files-only: { tier: 3, rpo: 1h }
                rpo-tracking: { replication-interval: 5s }
                """.formatted(dir));
        ConnectorRegistry registry = new ConnectorRegistry(List.of(), List.of(), List.of(
                TestConnectors.database("fakedb", FakeConfig.class, c -> new FakeReplicatedDatabase(CLUSTER, clock, true))));
        Map<String, String> env = Map.of();
        DroverConfig config = new ConfigLoader(registry, env::get).load(file);
        return new DroverRuntime(config, registry, clock, env::get);
    }

    /** Samples like the daemon's replication job; returns the replica RPO changes it recorded. */
    private RpoTransition[] sampleAndEvaluate(DroverRuntime runtime) {
        new ReplicationTracker(runtime).sampleAll();
        return runtime.rpoMonitor().afterReplicationSample("orders-db").stream()
                .filter(t -> t.service().endsWith("/replica")).toArray(RpoTransition[]::new);
    }

    @Test
    void theReplicaRpoFollowsTheStandbysLagAndEveryChangeIsRecordedOnce() throws Exception {
        try (DroverRuntime runtime = runtime()) {
            assertThat(sampleAndEvaluate(runtime)).extracting(t -> t.service() + " " + t.to())
                    .containsExactly("orders/replica OK");
            ReplicaStatus replica = runtime.rpoMonitor().evaluator().evaluate("orders").replica().orElseThrow();
            assertThat(replica.achieved()).contains(Duration.ZERO);
            assertThat(replica.standbys()).singleElement().satisfies(s -> {
                assertThat(s.member()).isEqualTo("dr1");
                assertThat(s.detail()).isEqualTo("streaming");
            });

            CLUSTER.pause();
            clock.advance(Duration.ofSeconds(5));
            sampleAndEvaluate(runtime); // the standby lacks the heartbeat just written: behind by (5s - 5s) = 0
            // 51 s since the pause; the standby lacks the heartbeat of 5 s after it: 46 s behind, past 45 s (0.75 × 60 s)
            clock.advance(Duration.ofSeconds(46));
            assertThat(sampleAndEvaluate(runtime)).extracting(t -> t.from().orElseThrow() + "->" + t.to())
                    .containsExactly("OK->AT_RISK");
            assertThat(runtime.rpoMonitor().evaluator().evaluate("orders").replica().orElseThrow().achieved())
                    .contains(Duration.ofSeconds(46));
            clock.advance(Duration.ofSeconds(20));
            assertThat(sampleAndEvaluate(runtime)).extracting(t -> t.from().orElseThrow() + "->" + t.to())
                    .containsExactly("AT_RISK->BREACHED");
            assertThat(sampleAndEvaluate(runtime)).isEmpty(); // no change, no new record

            CLUSTER.resume();
            clock.advance(Duration.ofSeconds(5));
            assertThat(sampleAndEvaluate(runtime)).extracting(t -> t.from().orElseThrow() + "->" + t.to())
                    .containsExactly("BREACHED->OK");
            // The backup RPO of the service is a separate state; a service without databases has no replica state.
            assertThat(runtime.rpoMonitor().evaluator().evaluate("files-only").replica()).isEmpty();
            assertThat(runtime.catalog().rpoHistory(java.util.Optional.of("orders/replica"), 10)).hasSize(4);
        }
    }

    @Test
    void aMeasurementNobodyRenewsIsAgedSoASilentDaemonCannotHideLag() throws Exception {
        try (DroverRuntime runtime = runtime()) {
            sampleAndEvaluate(runtime);
            clock.advance(Duration.ofSeconds(60)); // no samples for 60 s: 10 s (two intervals) are normal
            ReplicaStatus replica = runtime.rpoMonitor().evaluator().evaluate("orders").replica().orElseThrow();
            assertThat(replica.achieved()).contains(Duration.ofSeconds(50));
            assertThat(replica.state()).isEqualTo(RpoState.AT_RISK);
        }
    }
}
