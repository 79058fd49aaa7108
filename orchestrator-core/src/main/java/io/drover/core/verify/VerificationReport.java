package io.drover.core.verify;

import io.drover.core.model.BackupId;
import io.drover.core.model.VerificationLevel;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The result of verifying one recovery point on one target.
 *
 * @param findings every problem found, one line each; empty means it passed
 */
public record VerificationReport(BackupId backupId, String target, VerificationLevel level, Instant startedAt,
                                 Instant finishedAt, List<String> findings, long checkedObjects, long checkedBytes) {
    public VerificationReport {
        Objects.requireNonNull(backupId, "backupId");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(level, "level");
        findings = List.copyOf(findings);
    }

    public boolean passed() {
        return findings.isEmpty();
    }
}
