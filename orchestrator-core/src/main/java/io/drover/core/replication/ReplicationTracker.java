package io.drover.core.replication;

import io.drover.core.app.DroverRuntime;
import io.drover.core.catalog.ReplicaStateRecord;
import io.drover.core.spi.ReplicatedDatabase;
import io.drover.core.spi.ReplicationSample;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Writes a heartbeat on the primary of every database under {@code databases:}, measures every
 * standby and stores the result in the catalog: what {@code drover serve} runs every
 * {@code rpo-tracking.replication-interval}.
 */
public final class ReplicationTracker {
    private final DroverRuntime runtime;

    public ReplicationTracker(DroverRuntime runtime) {
        this.runtime = runtime;
    }

    /** One database's outcome: its standbys' states, or why it could not be sampled. */
    public record Outcome(String database, List<ReplicaStateRecord> standbys, Optional<String> problem) {
    }

    public List<Outcome> sampleAll() {
        List<Outcome> outcomes = new ArrayList<>();
        for (String name : new TreeMap<>(runtime.config().databases()).keySet()) {
            outcomes.add(sample(name));
        }
        return outcomes;
    }

    public Outcome sample(String name) {
        Duration interval = runtime.config().rpoTracking().replicationInterval();
        try (ReplicatedDatabase database = runtime.database(name)) {
            database.writeHeartbeat();
            ReplicationSample sample = database.sample();
            List<ReplicaStateRecord> states = ReplicaLag.measure(name, sample, interval, runtime.clock().instant());
            runtime.catalog().recordReplicaStates(states);
            return new Outcome(name, states, Optional.empty());
        } catch (IOException | RuntimeException e) {
            // The stored measurements stay and age (ReplicaLag.effective): no news is counted as lag.
            return new Outcome(name, List.of(), Optional.of(name + ": " + e.getMessage()));
        }
    }
}
