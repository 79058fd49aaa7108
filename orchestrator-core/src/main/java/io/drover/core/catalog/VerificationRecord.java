package io.drover.core.catalog;

import io.drover.core.model.BackupId;
import io.drover.core.model.VerificationLevel;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One verification of one copy. {@code id} is assigned by the catalog (pass {@code 0} to
 * {@link Catalog#recordVerification}). Findings are stored one per line, so line breaks inside a
 * finding are turned into spaces.
 */
public record VerificationRecord(long id, BackupId backupId, String target, VerificationLevel level,
                                 Instant startedAt, Instant finishedAt, Outcome outcome, List<String> findings,
                                 long checkedObjects, long checkedBytes, Optional<RestoreTest> restoreTest) {
    /** How a verification ended. */
    public enum Outcome {
        /** Every check passed. */
        PASSED,
        /** Stored data is missing or damaged: the copy is corrupt. */
        FAILED,
        /** The check could not be completed (e.g. the target was unreachable); says nothing about the data. */
        ERROR
    }

    public VerificationRecord {
        Objects.requireNonNull(backupId, "backupId");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(finishedAt, "finishedAt");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(findings, "findings");
        findings = findings.stream().map(f -> f.replaceAll("[\\r\\n]+", " ")).toList();
        Objects.requireNonNull(restoreTest, "restoreTest");
    }

    /** A verification without a restore test (quick, deep, or restore of a file backup). */
    public VerificationRecord(long id, BackupId backupId, String target, VerificationLevel level, Instant startedAt,
                              Instant finishedAt, Outcome outcome, List<String> findings, long checkedObjects,
                              long checkedBytes) {
        this(id, backupId, target, level, startedAt, finishedAt, outcome, findings, checkedObjects, checkedBytes,
                Optional.empty());
    }

    /** A record not yet stored, for {@link Catalog#recordVerification}. */
    public static VerificationRecord of(BackupId backupId, String target, VerificationLevel level, Instant startedAt,
                                        Instant finishedAt, Outcome outcome, List<String> findings,
                                        long checkedObjects, long checkedBytes) {
        return new VerificationRecord(0, backupId, target, level, startedAt, finishedAt, outcome, findings,
                checkedObjects, checkedBytes);
    }

    VerificationRecord withId(long newId) {
        return new VerificationRecord(newId, backupId, target, level, startedAt, finishedAt, outcome, findings,
                checkedObjects, checkedBytes, restoreTest);
    }
}
