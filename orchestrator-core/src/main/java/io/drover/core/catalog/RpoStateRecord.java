package io.drover.core.catalog;

import io.drover.core.model.BackupId;
import io.drover.core.model.RpoState;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A service's RPO state as last evaluated.
 *
 * @param since         when the service entered {@code state}
 * @param achieved      age of the newest usable recovery point at {@code evaluatedAt}; empty when there is none
 * @param recoveryPoint that recovery point
 */
public record RpoStateRecord(String service, RpoState state, Instant since, Instant evaluatedAt,
                             Optional<Duration> achieved, Optional<Duration> target,
                             Optional<BackupId> recoveryPoint) {
    public RpoStateRecord {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(evaluatedAt, "evaluatedAt");
        Objects.requireNonNull(achieved, "achieved");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(recoveryPoint, "recoveryPoint");
    }
}
