package io.drover.core.catalog;

import io.drover.core.model.BackupId;
import io.drover.core.model.VerificationLevel;
import io.drover.core.model.VerificationState;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** One copy of a recovery point on one target, with the best verification that copy has passed. */
public record CopyRecord(BackupId id, String target, String repositoryId, String manifestKey, Instant committedAt,
                         VerificationState verificationState, Optional<Instant> verifiedAt,
                         Optional<VerificationLevel> verifiedLevel) {
    public CopyRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(repositoryId, "repositoryId");
        Objects.requireNonNull(manifestKey, "manifestKey");
        Objects.requireNonNull(committedAt, "committedAt");
        Objects.requireNonNull(verificationState, "verificationState");
        Objects.requireNonNull(verifiedAt, "verifiedAt");
        Objects.requireNonNull(verifiedLevel, "verifiedLevel");
    }

    /** A freshly written or re-imported copy that has not been verified. */
    public static CopyRecord unverified(BackupId id, String target, String repositoryId, String manifestKey,
                                        Instant committedAt) {
        return new CopyRecord(id, target, repositoryId, manifestKey, committedAt, VerificationState.UNVERIFIED,
                Optional.empty(), Optional.empty());
    }
}
