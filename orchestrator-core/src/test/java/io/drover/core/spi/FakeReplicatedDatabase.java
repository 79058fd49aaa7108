package io.drover.core.spi;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A primary and one standby in memory: heartbeats written on the primary reach the standby unless
 * replication is paused. Bytes behind count 100 per heartbeat not yet applied.
 */
public final class FakeReplicatedDatabase implements ReplicatedDatabase {
    /** The shared state of one fake cluster, which tests pause and resume. */
    public static final class Cluster {
        volatile Instant primaryHeartbeat;
        volatile Instant standbyHeartbeat;
        volatile long primaryPosition;
        volatile long standbyPosition;
        volatile boolean paused;

        public void pause() {
            paused = true;
        }

        public synchronized void resume() {
            paused = false;
            standbyHeartbeat = primaryHeartbeat;
            standbyPosition = primaryPosition;
        }
    }

    private final Cluster cluster;
    private final Clock clock;
    private final boolean standbyReachable;

    public FakeReplicatedDatabase(Cluster cluster, Clock clock, boolean standbyReachable) {
        this.cluster = cluster;
        this.clock = clock;
        this.standbyReachable = standbyReachable;
    }

    @Override
    public String describe() {
        return "fake replicated database";
    }

    @Override
    public Map<String, String> sites() {
        return Map.of("dc1", "primary", "dr1", "dr");
    }

    @Override
    public void writeHeartbeat() {
        synchronized (cluster) {
            cluster.primaryHeartbeat = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
            cluster.primaryPosition += 100;
            if (!cluster.paused) {
                cluster.standbyHeartbeat = cluster.primaryHeartbeat;
                cluster.standbyPosition = cluster.primaryPosition;
            }
        }
    }

    @Override
    public ReplicationSample sample() {
        synchronized (cluster) {
            ReplicationSample.Standby standby = standbyReachable
                    ? new ReplicationSample.Standby("dr1", "dr", true, Optional.ofNullable(cluster.standbyHeartbeat),
                    Optional.of(cluster.primaryPosition - cluster.standbyPosition), cluster.paused ? "replay paused" : "streaming")
                    : new ReplicationSample.Standby("dr1", "dr", false, Optional.empty(), Optional.empty(),
                    "connection refused");
            return new ReplicationSample("dc1", clock.instant(), Optional.ofNullable(cluster.primaryHeartbeat), List.of(standby));
        }
    }
}
