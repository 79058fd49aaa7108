package io.drover.core.retention;

import io.drover.core.model.BackupId;
import io.drover.core.model.VerificationState;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** What retention needs to know about one recovery point on one target. */
public record RetentionPoint(BackupId id, Instant capturedAt, VerificationState verification, Optional<BackupId> parent) {
    public RetentionPoint {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(capturedAt, "capturedAt");
        Objects.requireNonNull(verification, "verification");
        Objects.requireNonNull(parent, "parent");
    }

    /** Passed at least a quick verification and is not known to be corrupt. */
    public boolean verified() {
        return verification.satisfies(VerificationState.VERIFIED_QUICK);
    }
}
