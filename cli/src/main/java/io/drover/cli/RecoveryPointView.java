package io.drover.cli;

import io.drover.core.catalog.CopyRecord;
import io.drover.core.catalog.RecoveryPointRecord;
import java.time.Instant;
import java.util.List;

/** The JSON shape of a recovery point in {@code backup list|show --output json}; documented in the README. */
record RecoveryPointView(String id, String job, String service, String source, String kind, String parent,
                         Instant startedAt, Instant capturedAt, Instant finishedAt, String status, long files,
                         long plainBytes, long storedBytes, int parts, int warnings, String verification,
                         List<CopyView> copies) {

    /** One copy of the recovery point on one target. */
    record CopyView(String target, String verification, Instant verifiedAt, String verifiedLevel, Instant committedAt) {
    }

    static RecoveryPointView of(RecoveryPointRecord rp, List<CopyRecord> copies) {
        return new RecoveryPointView(rp.id().value(), rp.job(), rp.service().orElse(null), rp.sourceName(), rp.kind().name(),
                rp.parent().map(Object::toString).orElse(null), rp.startedAt(), rp.capturedAt(), rp.finishedAt(), "COMMITTED",
                rp.fileCount(), rp.plainBytes(), rp.storedBytes(), rp.partCount(), rp.warningCount(),
                rp.verificationState().name(),
                copies.stream().map(c -> new CopyView(c.target(), c.verificationState().name(), c.verifiedAt().orElse(null),
                        c.verifiedLevel().map(Enum::name).orElse(null), c.committedAt())).toList());
    }
}
