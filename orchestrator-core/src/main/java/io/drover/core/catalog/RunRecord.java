package io.drover.core.catalog;

import io.drover.core.model.BackupId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** One execution of a backup job, successful or not. */
public record RunRecord(long id, String job, Instant startedAt, Optional<Instant> finishedAt, RunStatus status,
                        Optional<BackupId> recoveryPoint, Optional<String> message, String actor) {
    public RunRecord {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(finishedAt, "finishedAt");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(recoveryPoint, "recoveryPoint");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(actor, "actor");
    }
}
