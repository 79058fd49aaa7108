package io.drover.core.app;

import io.drover.core.catalog.VerificationRecord;
import io.drover.core.catalog.VerificationRecord.Outcome;
import io.drover.core.error.DroverErrors;
import io.drover.core.error.DroverException;
import io.drover.core.model.BackupId;
import io.drover.core.model.VerificationLevel;
import io.drover.core.repository.Manifest;
import io.drover.core.repository.Repository;
import io.drover.core.spi.LoadableSource;
import io.drover.core.verify.VerificationReport;
import io.drover.core.verify.Verifier;
import java.util.Optional;

/** Verifies recovery points and records every result in the catalog. */
public final class VerifyService {
    private final DroverRuntime runtime;

    public VerifyService(DroverRuntime runtime) {
        this.runtime = runtime;
    }

    /**
     * Verifies {@code id} on {@code targetName} at {@code level} and records the result. At level
     * {@code restore}, a backup of a database source is also loaded into a scratch database and the
     * job's checks are run there (see {@link DatabaseRestores#restoreTest}).
     */
    public VerificationReport verify(String targetName, BackupId id, VerificationLevel level) {
        Repository repository = runtime.repository(targetName);
        VerificationReport report = level == VerificationLevel.RESTORE ? restoreTestOfDatabase(repository, id)
                .orElseGet(() -> verifyFiles(repository, id, level)) : verifyFiles(repository, id, level);
        if (runtime.catalog().findRecoveryPoint(id).isPresent()) {
            runtime.catalog().recordVerification(new VerificationRecord(0, id, targetName, level, report.startedAt(),
                    report.finishedAt(), report.passed() ? Outcome.PASSED : Outcome.FAILED, report.findings(),
                    report.checkedObjects(), report.checkedBytes(), report.restoreTest()));
        }
        return report;
    }

    private VerificationReport verifyFiles(Repository repository, BackupId id, VerificationLevel level) {
        return new Verifier(runtime.clock()).verify(repository, id, level,
                level == VerificationLevel.RESTORE ? runtime.decryption() : io.drover.core.crypto.Decryption.none());
    }

    private Optional<VerificationReport> restoreTestOfDatabase(Repository repository, BackupId id) {
        Optional<Manifest> manifest;
        try {
            manifest = repository.findManifest(id);
        } catch (DroverException e) {
            return Optional.empty(); // the file verification reports the unreadable manifest
        }
        if (manifest.isEmpty()) {
            return Optional.empty();
        }
        DatabaseRestores restores = new DatabaseRestores(runtime);
        Optional<LoadableSource> source = restores.restoreTestSource(manifest.get());
        if (source.isEmpty()) {
            return Optional.empty();
        }
        try (LoadableSource loadable = source.get()) {
            return Optional.of(restores.restoreTest(repository, manifest.get(), loadable));
        } catch (java.io.IOException e) {
            throw new DroverException(DroverErrors.SOURCE_FAILED, "closing source " + manifest.get().sourceName()
                    + ": " + e.getMessage(), e);
        }
    }
}
