package io.drover.core.app;

import io.drover.core.catalog.Catalog;
import io.drover.core.catalog.CopyRecord;
import io.drover.core.catalog.RecoveryPointRecord;
import io.drover.core.model.VerificationState;
import io.drover.core.repository.Manifest;
import io.drover.core.repository.RepositoryLayout;
import io.drover.core.repository.Repository;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Records manifests in the catalog: after a backup, and when the catalog is rebuilt from the repositories. */
final class CatalogSync {
    private CatalogSync() {
    }

    static void record(Catalog catalog, Manifest manifest, List<Repository> repositories, Instant committedAt) {
        Repository first = repositories.get(0);
        catalog.upsertRecoveryPoint(recoveryPoint(manifest, first.info().id()));
        for (Repository repository : repositories) {
            catalog.upsertCopy(new CopyRecord(manifest.id(), repository.name(), repository.info().id(),
                    RepositoryLayout.manifestKey(manifest.id()), committedAt, VerificationState.UNVERIFIED, Optional.empty(),
                    Optional.empty()));
        }
    }

    static RecoveryPointRecord recoveryPoint(Manifest manifest, String repositoryId) {
        return new RecoveryPointRecord(manifest.id(), repositoryId, manifest.job(), manifest.services().stream().findFirst(),
                manifest.sourceName(), manifest.sourceType(), manifest.kind(), manifest.parent(), manifest.startedAt(),
                manifest.capturedAt(), manifest.finishedAt(), manifest.stats().files(), manifest.stats().plainBytes(),
                manifest.storedBytes(), manifest.parts().size(), (int) manifest.stats().warnings(), VerificationState.UNVERIFIED);
    }
}
