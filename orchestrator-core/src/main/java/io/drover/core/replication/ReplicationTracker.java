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
            try {
                database.writeHeartbeat();
                ReplicationSample sample = database.sample();
                List<ReplicaStateRecord> states = ReplicaLag.measure(name, sample, interval, runtime.clock().instant());
                runtime.catalog().recordReplicaStates(states);
                return new Outcome(name, states, Optional.empty());
            } catch (IOException | RuntimeException e) {
                recordNeverMeasured(name, database, e.getMessage());
                return new Outcome(name, List.of(), Optional.of(name + ": " + e.getMessage()));
            }
        } catch (IOException | RuntimeException e) {
            return new Outcome(name, List.of(), Optional.of(name + ": " + e.getMessage()));
        }
    }

    /**
     * After a failed sample, standbys with a stored measurement keep it, and it ages
     * ({@link ReplicaLag#effective}): no news is counted as lag. Standbys never measured get a row
     * saying why, so that their services' replica RPO is judged (BREACHED: nothing is known).
     */
    private void recordNeverMeasured(String name, ReplicatedDatabase database, String problem) {
        var known = runtime.catalog().replicaStates(List.of(name)).stream().map(ReplicaStateRecord::member)
                .collect(java.util.stream.Collectors.toSet());
        List<ReplicaStateRecord> unknown = new ArrayList<>();
        database.sites().forEach((member, site) -> {
            if (!site.equals("primary") && !known.contains(member)) {
                unknown.add(new ReplicaStateRecord(name, member, site, runtime.clock().instant(), false, Optional.empty(),
                        Optional.empty(), Optional.empty(), "not measured: " + problem));
            }
        });
        runtime.catalog().recordReplicaStates(unknown);
    }
}
