package io.drover.core.catalog;

import java.util.Objects;
import java.util.Optional;

/** Filter for {@link Catalog#listRecoveryPoints}: empty means any; at most {@code limit} rows, newest first. */
public record RecoveryPointQuery(Optional<String> job, Optional<String> service, Optional<String> target, int limit) {
    public RecoveryPointQuery {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(target, "target");
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
    }

    /** The newest {@code limit} recovery points of every job. */
    public static RecoveryPointQuery newest(int limit) {
        return new RecoveryPointQuery(Optional.empty(), Optional.empty(), Optional.empty(), limit);
    }

    public RecoveryPointQuery withJob(String newJob) {
        return new RecoveryPointQuery(Optional.of(newJob), service, target, limit);
    }

    public RecoveryPointQuery withService(String newService) {
        return new RecoveryPointQuery(job, Optional.of(newService), target, limit);
    }

    public RecoveryPointQuery withTarget(String newTarget) {
        return new RecoveryPointQuery(job, service, Optional.of(newTarget), limit);
    }
}
