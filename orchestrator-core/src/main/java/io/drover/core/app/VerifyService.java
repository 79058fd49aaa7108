package io.drover.core.app;

import io.drover.core.catalog.VerificationRecord.Outcome;
import io.drover.core.catalog.VerificationRecord;
import io.drover.core.model.BackupId;
import io.drover.core.model.VerificationLevel;
import io.drover.core.repository.Repository;
import io.drover.core.verify.VerificationReport;
import io.drover.core.verify.Verifier;

/** Verifies recovery points and records every result in the catalog. */
public final class VerifyService {
    private final DroverRuntime runtime;

    public VerifyService(DroverRuntime runtime) {
        this.runtime = runtime;
    }

    public VerificationReport verify(String targetName, BackupId id, VerificationLevel level) {
        Repository repository = runtime.repository(targetName);
        VerificationReport report = new Verifier(runtime.clock()).verify(repository, id, level,
                level == VerificationLevel.RESTORE ? runtime.decryption() : io.drover.core.crypto.Decryption.none());
        if (runtime.catalog().findRecoveryPoint(id).isPresent()) {
            runtime.catalog().recordVerification(new VerificationRecord(0, id, targetName, level, report.startedAt(),
                    report.finishedAt(), report.passed() ? Outcome.PASSED : Outcome.FAILED, report.findings(),
                    report.checkedObjects(), report.checkedBytes()));
        }
        return report;
    }
}
