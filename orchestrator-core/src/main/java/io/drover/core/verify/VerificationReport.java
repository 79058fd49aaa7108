package io.drover.core.verify;

import io.drover.core.catalog.RestoreTest;
import io.drover.core.model.BackupId;
import io.drover.core.model.VerificationLevel;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of verifying one recovery point on one target.
 *
 * @param findings    every problem found, one line each; empty means it passed
 * @param restoreTest for a database backup at level {@code restore}: the load into a scratch
 *                    database and its checks (a failed check is also a finding)
 */
public record VerificationReport(BackupId backupId, String target, VerificationLevel level, Instant startedAt,
                                 Instant finishedAt, List<String> findings, long checkedObjects, long checkedBytes,
                                 Optional<RestoreTest> restoreTest) {
    public VerificationReport {
        Objects.requireNonNull(backupId, "backupId");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(level, "level");
        findings = List.copyOf(findings);
        Objects.requireNonNull(restoreTest, "restoreTest");
    }

    public VerificationReport(BackupId backupId, String target, VerificationLevel level, Instant startedAt,
                              Instant finishedAt, List<String> findings, long checkedObjects, long checkedBytes) {
        this(backupId, target, level, startedAt, finishedAt, findings, checkedObjects, checkedBytes, Optional.empty());
    }

    public boolean passed() {
        return findings.isEmpty();
    }
}
