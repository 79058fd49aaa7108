package io.drover.core.catalog;

import io.drover.core.model.BackupId;
import io.drover.core.model.BackupKind;
import io.drover.core.model.VerificationLevel;
import io.drover.core.model.VerificationState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Test data for catalog tests: records with sensible defaults. */
final class TestRecords {
    /** A time with microseconds, so round trips prove sub-second precision. */
    static final Instant T0 = Instant.parse("2026-11-27T09:15:00.123456Z");

    private TestRecords() {
    }

    static BackupId id(int minute) {
        return BackupId.generate(T0.plus(Duration.ofMinutes(minute)));
    }

    static RecoveryPointRecord point(BackupId id, String job, Instant capturedAt) {
        return new RecoveryPointRecord(id, "repo-1", job, Optional.of("shop"), "files", "filesystem",
                BackupKind.FULL, Optional.empty(), capturedAt.minusSeconds(5), capturedAt, capturedAt.plusSeconds(60),
                42, 4096, 1024, 2, 0, VerificationState.UNVERIFIED);
    }

    static RecoveryPointRecord point(BackupId id, String job) {
        return point(id, job, T0);
    }

    static CopyRecord copy(BackupId id, String target) {
        return CopyRecord.unverified(id, target, "repo-" + target, "snapshots/" + id + "/manifest.json",
                T0.plusSeconds(61));
    }

    static VerificationRecord run(BackupId id, String target, VerificationLevel level,
                                  VerificationRecord.Outcome outcome, Instant finishedAt) {
        return VerificationRecord.of(id, target, level, finishedAt.minusSeconds(10), finishedAt, outcome,
                outcome == VerificationRecord.Outcome.PASSED ? List.of() : List.of("parts/0001: missing"), 3, 1024);
    }
}
