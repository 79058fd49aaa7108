package io.drover.core.catalog;

import io.drover.core.model.BackupId;
import io.drover.core.model.BackupKind;
import io.drover.core.model.VerificationState;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** A committed recovery point as indexed by the catalog; its verification state summarises its copies. */
public record RecoveryPointRecord(BackupId id, String repositoryId, String job, Optional<String> service,
                                  String sourceName, String sourceType, BackupKind kind, Optional<BackupId> parent,
                                  Instant startedAt, Instant capturedAt, Instant finishedAt,
                                  long fileCount, long plainBytes, long storedBytes, int partCount,
                                  int warningCount, VerificationState verificationState) {
    public RecoveryPointRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(repositoryId, "repositoryId");
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(sourceName, "sourceName");
        Objects.requireNonNull(sourceType, "sourceType");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(parent, "parent");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(capturedAt, "capturedAt");
        Objects.requireNonNull(finishedAt, "finishedAt");
        Objects.requireNonNull(verificationState, "verificationState");
    }

    public RecoveryPointRecord withVerificationState(VerificationState state) {
        return new RecoveryPointRecord(id, repositoryId, job, service, sourceName, sourceType, kind, parent,
                startedAt, capturedAt, finishedAt, fileCount, plainBytes, storedBytes, partCount, warningCount, state);
    }
}
