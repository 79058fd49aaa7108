package io.drover.core.catalog;

import io.drover.core.model.BackupId;
import io.drover.core.model.RpoState;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A change of a service's RPO state. {@code from} is empty for a service's first evaluation.
 * {@code id} is assigned by the catalog.
 */
public record RpoTransition(long id, String service, Instant at, Optional<RpoState> from, RpoState to,
                            Optional<Duration> achieved, Optional<Duration> target, Optional<BackupId> recoveryPoint) {
    public RpoTransition {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(achieved, "achieved");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(recoveryPoint, "recoveryPoint");
    }
}
